"""Sessions: one per connection, bound to a player's body and a front end.

:class:`Session` is the :class:`~game.core.port.PlayerPort` a front end talks to; it hands typed
lines to the engine, one step each (game/core/outbox.py): the command's reply is released first,
then what followed from it, in order, and the status bar once. :class:`Sessions` is the
presence table: who is connected, for the dispatcher (game/engine/dispatch.py) to find the
front ends that output is addressed to (a session, a player, a room, everyone).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

from game.core.outbox import Close, Outbox, ToSession
from game.core.port import FrontEnd
from game.core.reply import Reply, RoomView, StatusView
from game.world.state import Player


class Host(Protocol):
    """What a session needs from the game (game/engine/game.py provides it)."""

    outbox: Outbox
    sessions: Sessions

    def clock(self) -> int: ...
    def execute(self, session: Session, line: str) -> list[Reply]: ...
    def status(self, player: Player) -> StatusView: ...
    def status_stale_at(self, player: Player) -> int: ...
    def prompt(self, player: Player) -> str | None: ...
    def completions(self, player: Player) -> list[str]: ...
    def room_view(self, player: Player) -> RoomView | None: ...


class Session:
    """One connection's view of the game. Exec sessions are transient and never announced."""

    def __init__(
        self,
        host: Host,
        player: Player,
        front_end: FrontEnd,
        *,
        kind: str,
        address: str = "",
    ) -> None:
        self.id = secrets.token_hex(4)
        self.host = host
        self.player = player
        self.front_end = front_end
        self.kind = kind
        self.address = address
        self.closed = False  # no more input; output queued before the close still arrives
        self.ended = False  # the front end was closed (game/engine/dispatch.py)
        self.gone = False  # the game has let go of this session (disconnect ran)
        self._status: StatusView | None = None
        self._stale_at = 0  # clock ms after which the bar may be wrong without any event
        self.last_input_ms = host.clock()
        self.on_close: Callable[[], None] | None = None
        host.sessions.by_id[self.id] = self

    # -- PlayerPort ------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.player.name

    def submit(self, line: str) -> None:
        if self.closed:
            return
        self.last_input_ms = self.host.clock()
        outbox, room = self.host.outbox, self.player.room
        with outbox.step() as first:
            replies = self.host.execute(self, line)
            if replies:
                first(ToSession(self.id, tuple(replies)))
            # Tokens, tier and quota announce their own changes (Wallet, Premium); the place
            # shown, the midnight quota reset and premium running out do not.
            if self.player.room != room or self.host.clock() >= self._stale_at:
                outbox.status_changed(self.player.name)

    def refresh_status(self) -> None:
        """Push the status bar when it changed (location, tokens, tier, quota)."""
        status = self.host.status(self.player)
        self._stale_at = self.host.status_stale_at(self.player)
        if status != self._status:
            self._status = status
            self.front_end.set_status(status)

    def prompt(self) -> str | None:
        """The player's own line-mode prompt, filled in now; None when they set none."""
        return self.host.prompt(self.player)

    def completions(self) -> Sequence[str]:
        return self.host.completions(self.player)

    def current_room(self) -> RoomView | None:
        return self.host.room_view(self.player)

    def current_status(self) -> StatusView:
        return self.host.status(self.player)

    # -- output ----------------------------------------------------------------------------------
    def send(self, replies: Sequence[Reply]) -> None:
        """Lines for this session alone (not any other session of the same player)."""
        if not self.closed:
            self.host.outbox.put(ToSession(self.id, tuple(replies)))

    def close(self, reason: str) -> None:
        """End this session (quit, takeover, kick). Safe to call twice."""
        if self.closed:
            return
        self.closed = True
        sessions, outbox = self.host.sessions, self.host.outbox
        attached = sessions.get(self.player.name) is self
        sessions.remove(self)
        outbox.on_rollback(lambda: self._reopen(attached))
        outbox.put(Close(self.id, reason))  # after what was said before it

    def _reopen(self, attached: bool) -> None:
        """The step that closed this session failed: it goes on as it was."""
        self.closed = False
        if attached:
            self.host.sessions.by_player.setdefault(self.player.key, self)


class Sessions:
    """Connected players, by lower-cased name; at most one interactive session per player.
    ``by_id`` also holds exec sessions (one command, never announced) while they run."""

    def __init__(self) -> None:
        self.by_player: dict[str, Session] = {}
        self.by_id: dict[str, Session] = {}

    def __len__(self) -> int:
        return len(self.by_player)

    def __iter__(self) -> Iterator[Session]:
        return iter(list(self.by_player.values()))

    def get(self, name: str) -> Session | None:
        return self.by_player.get(name.lower())

    def attach(self, session: Session) -> Session | None:
        """Register ``session``; return the older session of the same player, if any."""
        old = self.by_player.get(session.player.key)
        self.by_player[session.player.key] = session
        return old if old is not session else None

    def remove(self, session: Session) -> None:
        if self.by_player.get(session.player.key) is session:
            del self.by_player[session.player.key]

    def forget(self, session: Session) -> None:
        """The connection is gone: nothing is delivered to it any more."""
        self.remove(session)
        self.by_id.pop(session.id, None)
