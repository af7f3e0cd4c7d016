"""The door every front end logs players in through: limits, bans, passwords, link codes.

SSH (game/fronts/ssh) and telnet (game/fronts/telnet) hold one :class:`LoginGate`
between them (the composition root makes it), so a player, a brute-forcer or a flood
meets the same budget whichever port it knocks on:

* before login: the per-address connection rate and the caps on connections still logging
  in, overall and per address group (an IPv6 /64);
* at login: shutdown, bans on the account or the address, a full server;
* passwords and link codes: :class:`~game.services.limits.LoginThrottle` counts failures
  per address; a guess is claimed before the argon2 check, so parallel guesses cannot
  outrun the count; hashing runs on threads of its own, off the event loop;
* once logged in: a connection holds one of ``max_sessions`` slots until it closes.

No framework is imported here: the fronts adapt its answers (sentences) to their protocol.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

import structlog
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from game.services.keylink import matches
from game.services.limits import Buckets, LoginThrottle, address_group

if TYPE_CHECKING:
    from game.core.config import Settings
    from game.engine.game import Game

log = structlog.get_logger("sshrealm.login")
T = TypeVar("T")

MIN_PASSWORD = 8
HASH_THREADS = 4
"""Password hashes (argon2: ~64 MiB and tens of ms each) run on this many threads, their own:
a flood of guesses from many addresses queues here, never in the loop's default executor that
new connections use, and never takes more than this many cores or this much memory."""

BUSY = "Too many logins from your address are being tried at once. Try again soon."


def make_hasher() -> PasswordHasher:
    return PasswordHasher()


class LoginGate:
    """Connection and login accounting shared by the front ends; the game's clock decides."""

    def __init__(self, game: Game, settings: Settings) -> None:
        self.game = game
        self.settings = settings
        self.hasher = make_hasher()
        self.hash_pool = ThreadPoolExecutor(HASH_THREADS, thread_name_prefix="sshrealm-argon2")
        self.accepting = True  # False once shutdown begins: new logins are refused
        self.startups = 0  # connections admitted and still logging in
        self.startups_by: dict[str, int] = {}  # the same, per address group (limits.py)
        self.sessions = 0  # connections logged in (each holds one of max_sessions)
        per_min = settings.conn_per_minute
        self.conn_buckets = Buckets(per_min, per_min / 60, game.clock) if per_min > 0 else None
        self.throttle = LoginThrottle(settings.login_failures, settings.login_lockout_s, game.clock)

    # -- before login ----------------------------------------------------------------------------
    def admit(self, address: str) -> str | None:
        """A new TCP connection from ``address``: why it is refused now, or None (it then
        holds a login slot until :meth:`logged_in_or_gone`)."""
        why, text = None, None
        group = address_group(address)
        if self.conn_buckets is not None and not self.conn_buckets.allow(group):
            why = "rate"
            text = "Too many connections from your address. Wait a minute and try again."
        elif self.startups_by.get(group, 0) >= self.settings.max_startups_per_address:
            why = "startups"
            text = "Too many logins from your address are in progress. Finish one first."
        elif self.startups >= self.settings.max_startups:
            why = "startups"
            text = "Too many people are logging in right now. Try again in a few seconds."
        if why is not None:
            self.game.metrics.refused[why] += 1
            return text
        self.startups += 1
        self.startups_by[group] = self.startups_by.get(group, 0) + 1
        return None

    def logged_in_or_gone(self, address: str) -> None:
        """The connection :meth:`admit` let in has logged in or left: its login slot is free."""
        self.startups = max(0, self.startups - 1)
        group = address_group(address)
        left = self.startups_by.get(group, 0) - 1
        if left > 0:
            self.startups_by[group] = left
        else:
            self.startups_by.pop(group, None)

    # -- logged in -------------------------------------------------------------------------------
    def full(self) -> bool:
        return self.sessions >= self.settings.max_sessions

    def claim_slot(self) -> bool:
        """One logged-in connection more; False (and nothing claimed) when full."""
        if self.full():
            self.game.metrics.refused["full"] += 1
            return False
        self.sessions += 1
        return True

    def release_slot(self) -> None:
        self.sessions = max(0, self.sessions - 1)

    # -- during login ----------------------------------------------------------------------------
    def refuse_login(self, name: str, address: str) -> str | None:
        """Why ``name`` from ``address`` may not log in by any method (shutdown, ban, a full
        server), or None. The password lockout is not here: it stops passwords, not keys."""
        why, text = None, None
        bans = self.game.moderation
        ban = bans.banned("account", name) or bans.banned("address", address)
        if not self.accepting:
            why, text = "shutdown", "The server is shutting down. Try again in a minute."
        elif ban is not None:
            why, text = "banned", f"You are banned from sshrealm. Reason: {ban.reason}"
        elif self.full():
            why, text = "full", "The server is full right now. Try again in a few minutes."
        if why is not None:
            self.game.metrics.refused[why] += 1
        return text

    def password_lockout(self, address: str) -> str | None:
        """Why ``address`` may not try a password (or link code) now, or None."""
        if not self.throttle.locked(address):
            return None
        self.game.metrics.refused["throttled"] += 1
        wait = self.throttle.seconds_left(address)
        return f"Too many failed logins from your address. Try again in {wait} seconds."

    def claim_guess(self, address: str) -> str | None:
        """Reserve one guess against the address's budget before checking it: None when
        reserved (settle it with the throttle), else why no guess may be tried now."""
        if self.throttle.reserve(address):
            return None
        why = self.password_lockout(address)
        if why is None:
            self.game.metrics.refused["throttled"] += 1
            why = BUSY
        return why

    async def hashing(self, work: Callable[..., T], *args: object) -> T:
        """Run a password hash or check on the hashing threads."""
        return await asyncio.get_running_loop().run_in_executor(self.hash_pool, work, *args)

    async def hash_new(self, password: str) -> str:
        return await self.hashing(self.hasher.hash, password)

    async def check_password(self, name: str, password: str, address: str) -> bool:
        """Whether ``password`` is ``name``'s; the guess must be claimed (:meth:`claim_guess`)
        and is settled here, right or wrong."""
        account = self.game.store.account(name)
        ok = False
        try:
            if account is not None and account.password_hash is not None:
                ok = await self.hashing(self.hasher.verify, account.password_hash, password)
        except (VerificationError, InvalidHashError):
            log.info("password_refused", player=name, address=address)
        finally:
            self.throttle.settle(address, ok, name)
        return ok

    def check_link_code(self, name: str, code: str, address: str) -> bool:
        """Whether ``code`` is ``name``'s pending link code; the guess must be claimed and is
        settled here. A right code is not spent: the caller spends it with what it binds."""
        stored = self.game.store.link_code(name, self.game.clock())
        ok = stored is not None and matches(code, stored)
        if not ok:
            log.info("key_link_refused", player=name, address=address)
        self.throttle.settle(address, ok=ok, account=name)
        return ok

    def check_web_code(self, name: str, code: str, address: str) -> bool:
        """Whether ``code`` is ``name``'s web sign-in code (``web login``); the guess must be
        claimed and is settled here. A right code is spent at once: it signs in one browser."""
        with self.game.ledger.atomic():
            ok = self.game.web.spend_code(name, code)
            if ok:
                self.game.audit.record(name, "web-sign-in", name, "one-time code")
        if not ok:
            log.info("web_code_refused", player=name, address=address)
        self.throttle.settle(address, ok=ok, account=name)
        return ok

    def close(self) -> None:
        self.hash_pool.shutdown(wait=False, cancel_futures=True)
