"""What a gateway knows of accounts while a connection logs in, fetched from the world.

The SSH login (game/fronts/ssh/auth.py) and the login gate (game/fronts/gate.py) ask the
game synchronously: does this account exist, which keys are its, is this key or address
banned, is a link code pending. On a gateway those facts live in the world, so the login
fetches them first (``prepare_login`` when the name is known, ``prepare_key`` for each key
offered) and :class:`LoginFacts` answers from what came back, standing in for the game's
``store``, ``moderation``, ``ledger`` and ``audit``. Passwords are checked here, on the
gateway's hashing threads (the world never spends CPU on argon2).

What a login writes (a new account, a key bound on first use or with a link code, the audit
row) is not written here: it is kept as the connection's *creation* and travels with the
session's ``open`` to the world, which applies it in one transaction or refuses the session
(the name was taken meanwhile, the link code was spent elsewhere).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from game.cluster.gateway_link import GatewayLink
from game.services.metrics import Metrics
from game.services.moderation import Ban
from game.world.store import Account

WORLD_AWAY = "The world is restarting; try again in a few seconds."


class LoginFacts:
    """Stands in for the game during logins on a gateway (duck-typed: store, moderation,
    ledger, audit, metrics, clock, ensure_account)."""

    def __init__(self, link: GatewayLink, clock: Callable[[], int], metrics: Metrics) -> None:
        self.link = link
        self.clock = clock
        self.metrics = metrics
        self._accounts: dict[str, Account | None] = {}
        self._keys: dict[str, list[str]] = {}
        self._links: dict[str, str | None] = {}
        self._owners: dict[str, str | None] = {}
        self._bans: dict[tuple[str, str], Ban | None] = {}
        self._creations: dict[str, dict[str, Any]] = {}
        self.store = _Store(self)
        self.moderation = _Bans(self)
        self.ledger = _Ledger()
        self.audit = _Audit(self)

    async def prepare_login(self, name: str, address: str) -> str | None:
        """Fetch what the login of ``name`` from ``address`` will ask; why it cannot go on
        (the world is away), or None."""
        try:
            account, keys, link, account_ban, address_ban = await self.link.ask(
                "login", name, address
            )
        except TimeoutError:
            return WORLD_AWAY
        key = name.lower()
        self._accounts[key] = Account(*account) if account else None
        self._keys[key] = list(keys)
        self._links[key] = link
        self._bans[("account", name)] = Ban(*account_ban) if account_ban else None
        self._bans[("address", address)] = Ban(*address_ban) if address_ban else None
        return None

    async def prepare_key(self, fingerprint: str) -> bool:
        """Fetch who owns ``fingerprint`` and whether it is banned; False if the world is away."""
        try:
            owner, ban = await self.link.ask("key", fingerprint)
        except TimeoutError:
            return False
        self._owners[fingerprint] = owner
        self._bans[("key", fingerprint)] = Ban(*ban) if ban else None
        return True

    def ensure_account(self, name: str, *, password_hash: str | None = None) -> None:
        if self.store.account(name) is None:
            self._creation(name)["password_hash"] = password_hash
            self._accounts[name.lower()] = Account(name, "player", password_hash, False, None)

    def creation(self, name: str) -> dict[str, Any] | None:
        """What the login of ``name`` wrote, to send with its session (taken: sent once)."""
        return self._creations.pop(name.lower(), None)

    def _creation(self, name: str) -> dict[str, Any]:
        return self._creations.setdefault(
            name.lower(), {"password_hash": None, "keys": [], "link": False, "audit": []}
        )


class _Store:
    def __init__(self, facts: LoginFacts) -> None:
        self.facts = facts

    def account(self, name: str) -> Account | None:
        return self.facts._accounts.get(name.lower())

    def keys(self, name: str) -> list[str]:
        return self.facts._keys.get(name.lower(), [])

    def key_owner(self, fingerprint: str) -> str | None:
        return self.facts._owners.get(fingerprint)

    def link_code(self, name: str, now_ms: int) -> str | None:
        return self.facts._links.get(name.lower())

    def add_key(self, name: str, fingerprint: str, public_key: str, now_ms: int) -> None:
        self.facts._creation(name)["keys"].append([fingerprint, public_key])
        self.facts._keys.setdefault(name.lower(), []).append(fingerprint)

    def clear_link_code(self, name: str) -> None:
        self.facts._creation(name)["link"] = True
        self.facts._links[name.lower()] = None


class _Bans:
    def __init__(self, facts: LoginFacts) -> None:
        self.facts = facts

    def banned(self, kind: str, value: str) -> Ban | None:
        return self.facts._bans.get((kind, value))


class _Ledger:
    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        """Nothing is written on a gateway: the creation is applied whole by the world."""
        yield


class _Audit:
    def __init__(self, facts: LoginFacts) -> None:
        self.facts = facts

    def record(self, actor: str, action: str, target: str, reason: str, detail: str = "") -> None:
        self.facts._creation(target)["audit"].append([actor, action, target, reason, detail])
