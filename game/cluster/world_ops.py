"""What the world does with each entry its gateways send (game/cluster/world_link.py).

* ``open``: a gateway's connection logged in: apply what the login wrote (a new account, a
  key), then open the session exactly as the all-in-one server does (greeting, arrival,
  takeover of an older session wherever it is).
* ``line``: run a typed line, unless its number says it already ran (a retried entry).
* ``close``: the player quit or sent EOF; ``gone``: the connection dropped.
* ``ask``: a question with an answer (login facts, an exec command).

A session's presence entry (gateway, name, kind, address, last line run) is rewritten with
each line, in the same transaction as its replies.
"""

from __future__ import annotations

from typing import Any, Protocol

import structlog

from game.core.port import FrontEnd
from game.core.reply import Kind, Reply
from game.engine.game import Game
from game.engine.session import Session
from game.fronts.entry import open_session, run_exec

log = structlog.get_logger("sshrealm.world")


class Refused(Exception):
    """A session's login cannot be applied (the name was taken, the code spent)."""


class Link(Protocol):
    """What the ops need of the world's end of the bus (world_link.py's WorldLink)."""

    gateways: dict[str, int]
    commands: int

    def front(self, gateway: str, sid: str, kind: str) -> FrontEnd:
        """The front end of a session ``gateway`` holds: its output goes into frames."""

    def to_gateway(self, gateway: str, op: list[Any]) -> None: ...
    def present(self, sid: str, entry: list[Any]) -> None: ...
    def forget(self, sid: str) -> None: ...


class WorldOps:
    def __init__(self, game: Game, link: Link) -> None:
        self.game = game
        self.link = link
        self.sessions: dict[str, tuple[str, Session]] = {}  # sid -> (gateway, session)
        self.last: dict[str, int] = {}  # sid -> the last line run

    def run(self, op: list[Any], entry_id: bytes) -> None:
        kind, gateway = op[0], op[1]
        if kind == "line":
            self._line(gateway, op[2], op[3], op[4], entry_id)
        elif kind == "open":
            self._open(gateway, op[2], op[3], op[4], op[5], op[6])
        elif kind == "close":
            held = self.sessions.get(op[2])
            if held is not None:
                held[1].close(op[3])
        elif kind == "gone":
            self._gone(op[2], "disconnected")
        elif kind == "ask":
            self.link.to_gateway(gateway, ["a", op[2], self._answer(op[3], op[4])])
        else:
            log.warning("bus_unknown_op", op=kind)

    # -- sessions --------------------------------------------------------------------------------
    def _open(
        self, gateway: str, sid: str, name: str, kind: str, address: str, creation: Any
    ) -> None:
        if sid in self.sessions:
            return  # a retried entry: it is open already
        front = self.link.front(gateway, sid, kind)
        try:
            self._create(name, creation)
        except Refused as why:
            front.close(str(why))
            return
        session = open_session(self.game, name, lambda s: front, kind=kind, address=address)
        self._hold(gateway, sid, session, 0)

    def resume(self, sid: str, entry: list[Any]) -> None:
        """A session a gateway kept while the world restarted: its body comes back quietly."""
        gateway, name, kind, address, last = entry
        if self.game.store.account(name) is None:
            self.link.forget(sid)
            return
        front = self.link.front(gateway, sid, kind)
        session = open_session(
            self.game, name, lambda s: front, kind=kind, address=address, resumed=True
        )
        self._hold(gateway, sid, session, last)

    def _hold(self, gateway: str, sid: str, session: Session, last: int) -> None:
        self.sessions[sid] = (gateway, session)
        self.last[sid] = last
        self.link.gateways[gateway] = self.link.gateways.get(gateway, 0) + 1
        session.on_close = lambda: self._gone(sid, "closed")
        self._present(sid)

    def _present(self, sid: str) -> None:
        gateway, session = self.sessions[sid]
        self.link.present(
            sid, [gateway, session.name, session.kind, session.address, self.last[sid]]
        )

    def _line(self, gateway: str, sid: str, seq: int, text: str, entry_id: bytes) -> None:
        held = self.sessions.get(sid)
        if held is None or seq <= self.last.get(sid, 0):
            self.link.to_gateway(gateway, ["k", sid, seq])
            return  # gone meanwhile, or already run (a retried entry, a restart)
        session = held[1]
        session.submit(text)
        self.last[sid] = seq
        self.link.commands += 1
        if session.kind == "line" and not session.closed:
            prompt = session.prompt()
            if prompt:
                session.front_end.deliver((Reply(Kind.SYSTEM, prompt),))
        self.link.to_gateway(gateway, ["k", sid, seq])
        self._present(sid)

    def _gone(self, sid: str, reason: str) -> None:
        held = self.sessions.pop(sid, None)
        self.last.pop(sid, None)
        self.link.forget(sid)
        if held is None:
            return
        gateway, session = held
        left = self.link.gateways.get(gateway, 1) - 1
        if left > 0:
            self.link.gateways[gateway] = left
        else:
            self.link.gateways.pop(gateway, None)
        self.game.disconnect(session, reason)

    def gateway_lost(self, gateway: str) -> None:
        """``gateway`` stopped beating: its players' bodies leave the world."""
        lost = [sid for sid, (gw, _) in self.sessions.items() if gw == gateway]
        log.warning("gateway_lost", gateway=gateway, sessions=len(lost))
        for sid in lost:
            self._gone(sid, "gateway lost")
        self.link.gateways.pop(gateway, None)

    def completions(self, sid: str) -> list[str] | None:
        """What Tab completes for a full-screen session (None for the others, which have no
        Tab): the room's words, recomputed when its panel is."""
        held = self.sessions.get(sid)
        if held is None or held[1].kind != "tui":
            return None
        return self.game.completions(held[1].player, everyone=False)

    # -- logins ----------------------------------------------------------------------------------
    def _create(self, name: str, creation: Any) -> None:
        """Apply what a gateway's login wrote (game/cluster/logins.py), all or nothing."""
        if not creation:
            return
        game, store, now = self.game, self.game.store, self.game.clock()
        with game.ledger.atomic():
            exists = store.account(name) is not None
            if creation["link"]:
                if store.link_code(name, now) is None:
                    raise Refused("That link code was just used or has expired.")
                store.clear_link_code(name)
            elif exists:
                raise Refused(f"The name {name!r} was just taken by someone else. Choose another.")
            if not exists:
                game.ensure_account(name, password_hash=creation["password_hash"])
            for fingerprint, public in creation["keys"]:
                if store.key_owner(fingerprint) is not None:
                    raise Refused("This key was just bound to another account.")
                store.add_key(name, fingerprint, public, now)
            for actor, action, target, reason, detail in creation["audit"]:
                game.audit.record(actor, action, target, reason, detail)

    def _answer(self, what: str, args: list[Any]) -> Any:
        game = self.game
        if what == "login":
            name, address = args
            account = game.store.account(name)
            bans = game.moderation
            return [
                _fields(account),
                game.store.keys(name) if account else [],
                game.store.link_code(name, game.clock()),
                _fields(bans.banned("account", name)),
                _fields(bans.banned("address", address)),
            ]
        if what == "key":
            (fingerprint,) = args
            return [
                game.store.key_owner(fingerprint),
                _fields(game.moderation.banned("key", fingerprint)),
            ]
        if what == "exec":
            name, command, address, creation = args
            try:
                self._create(name, creation)
            except Refused as why:
                return [[Reply.error(str(why))], False]
            replies, ok = run_exec(game, name, command, address)
            return [replies, ok]
        raise ValueError(f"unknown question {what!r}")


def _fields(row: Any) -> list[Any] | None:
    """A dataclass row (Account, Ban) as its field values, for the bus."""
    if row is None:
        return None
    return [getattr(row, f) for f in row.__dataclass_fields__]
