"""The game's request handler for plugins: the only way a plugin changes anything.

The bridge has already checked the capability, the rate limit and the fields; this module
decides against the live game (is the player online, does the room exist, can they pay)
and applies the request on the game loop. A refusal changes nothing and says why.

Token requests go through the wallet like every other token movement, with the plugin
reason codes; the ``tokens-*`` event carries the plugin's own ``reason`` (docs/plugins.md,
the JS client checks it) rather than the reason code's label.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from bridge.requests import (
    ChargeTokens,
    GrantTokens,
    GrantUnlock,
    MessagePlayer,
    PostToRoom,
    Request,
    RequestResult,
)
from economy import IdempotencyConflict, InsufficientFunds, Reason
from game.core.reply import Kind, Reply
from game.core.text import clean, plural

if TYPE_CHECKING:
    from game.engine.game import Game


def speaker(principal: str) -> str:
    """How a plugin is named to players: ``http/contest-bot`` is ``contest-bot``."""
    return principal.rsplit("/", 1)[-1]


def attributed(principal: str, text: str) -> str:
    """Plugin text as players see it: always marked with the plugin that sent it, so a
    plugin cannot pass its words off as a player's or the server's.

    ``[contest-bot via bridge] Round two starts now.``"""
    return f"[{speaker(principal)} via bridge] {clean(text)}"


def idem_key(principal: str, request_id: str) -> str:
    """A short ledger key for a plugin's retried request: the same principal and
    ``request_id`` give the same key, so a retry is applied once (17 characters)."""
    digest = hashlib.blake2b(f"{principal}\0{request_id}".encode(), digest_size=8)
    return "b" + digest.hexdigest()


class GameRequests:
    """``RequestHandler`` over a live ``Game``."""

    def __init__(self, game: Game) -> None:
        self.game = game

    async def apply(self, plugin: str, request: Request) -> RequestResult:
        """Carry out one allowed request; refusals are results, never exceptions."""
        if isinstance(request, MessagePlayer):
            return self._message(plugin, request)
        if isinstance(request, PostToRoom):
            return self._post(plugin, request)
        if isinstance(request, GrantTokens | ChargeTokens):
            return self._tokens(plugin, request)
        if isinstance(request, GrantUnlock):
            return self._unlock(plugin, request)
        return RequestResult(False, f"the game does not handle {type(request).__name__}")

    def _known(self, name: str) -> str | None:
        account = self.game.store.account(name)
        return account.name if account is not None else None

    def _message(self, plugin: str, req: MessagePlayer) -> RequestResult:
        name = self._known(req.player)
        if name is None:
            return RequestResult(False, f"no player named {req.player}")
        session = self.game.sessions.get(name)
        if session is None:
            return RequestResult(False, f"{name} is not online")
        session.send([Reply(Kind.SYSTEM, attributed(plugin, req.text))])
        return RequestResult(True, f"delivered to {name}")

    def _post(self, plugin: str, req: PostToRoom) -> RequestResult:
        if req.room not in self.game.world.content.rooms:
            return RequestResult(False, f"no room named {req.room}")
        listeners = self.game.world.occupants(req.room)
        self.game.outbox.tell_room(req.room, Reply(Kind.SYSTEM, attributed(plugin, req.text)))
        return RequestResult(True, f"posted to {req.room}", data={"players": len(listeners)})

    def _tokens(self, plugin: str, req: GrantTokens | ChargeTokens) -> RequestResult:
        name = self._known(req.player)
        if name is None:
            return RequestResult(False, f"no player named {req.player}")
        grant = isinstance(req, GrantTokens)
        key = idem_key(plugin, req.request_id) if req.request_id else self.game.wallet.new_key("b")
        wallet = self.game.wallet
        try:
            if grant:
                done = wallet.credit(
                    name, req.amount, Reason.PLUGIN_GRANT, key, req.reason, said=req.reason
                )
            else:
                done = wallet.charge(
                    name, req.amount, Reason.PLUGIN_CHARGE, key, req.reason, said=req.reason
                )
        except InsufficientFunds as exc:
            return RequestResult(
                False,
                f"{name} cannot pay {plural(req.amount, 'token')}",
                data={"balance": exc.balance},  # only for clients allowed to see balances
            )
        except IdempotencyConflict:
            return RequestResult(
                False, f"request_id {req.request_id} was already used for a different request"
            )
        balance = self.game.wallet.balance(name)
        data = {"balance": balance, "transfer_id": str(done.id), "duplicate": done.duplicate}
        if done.duplicate:
            return RequestResult(True, f"already applied (request_id {req.request_id})", data=data)
        self._announce(plugin, name, req, balance)
        verb = "granted" if grant else "charged"
        return RequestResult(True, f"{verb} {plural(req.amount, 'token')}", data=data)

    def _announce(
        self, plugin: str, name: str, req: GrantTokens | ChargeTokens, balance: int
    ) -> None:
        """Tell the player in words; the wallet already refreshed the status bar and published."""
        amount, why = plural(req.amount, "token"), clean(req.reason)
        if isinstance(req, GrantTokens):
            text = f"{speaker(plugin)} gave you {amount} ({why}). You have {balance}."
        else:
            text = f"{speaker(plugin)} took {amount} from you ({why}). You have {balance}."
        self.game.outbox.tell(name, Reply(Kind.ECONOMY, text))

    def _unlock(self, plugin: str, req: GrantUnlock) -> RequestResult:
        name = self._known(req.player)
        if name is None:
            return RequestResult(False, f"no player named {req.player}")
        if self.game.grant_unlock(name, req.unlock, clean(req.reason), plugin):
            return RequestResult(True, f"unlocked {req.unlock} for {name}", data={"new": True})
        return RequestResult(True, f"{name} already has {req.unlock}", data={"new": False})
