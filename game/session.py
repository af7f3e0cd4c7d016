"""Sessions: one per connection, bound to a player's body and a front end.

:class:`Session` is the :class:`~game.port.PlayerPort` a front end talks to; it hands typed
lines to the engine and pushes replies to its :class:`~game.port.FrontEnd`. :class:`Sessions`
is the presence table: who is connected, and where output for a room or a player goes.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from game.port import FrontEnd
from game.reply import Reply, RoomView, StatusView

if TYPE_CHECKING:
    from game.game import Game
    from game.world.state import Player


class Session:
    """One connection's view of the game. Exec sessions are transient and never announced."""

    def __init__(
        self,
        game: Game,
        player: Player,
        front_end: FrontEnd,
        *,
        kind: str,
        address: str = "",
    ) -> None:
        self.id = secrets.token_hex(4)
        self.game = game
        self.player = player
        self.front_end = front_end
        self.kind = kind
        self.address = address
        self.closed = False
        self.gone = False  # the game has let go of this session (disconnect ran)
        self._status: StatusView | None = None
        self.last_input_ms = game.clock()
        self.on_close: Callable[[], None] | None = None

    # -- PlayerPort ------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.player.name

    def submit(self, line: str) -> None:
        if self.closed:
            return
        self.last_input_ms = self.game.clock()
        replies = self.game.engine.execute(self, line)
        if self.closed:
            return
        if replies:
            self.front_end.deliver(replies)
        self.refresh_status()

    def refresh_status(self) -> None:
        """Push the status bar when it changed (location, tokens, tier, quota)."""
        status = self.game.status(self.player)
        if status != self._status:
            self._status = status
            self.front_end.set_status(status)

    def completions(self) -> Sequence[str]:
        return self.game.completions(self.player)

    def current_room(self) -> RoomView | None:
        return self.game.world.view(self.player.room, self.player)

    def current_status(self) -> StatusView:
        return self.game.status(self.player)

    # -- output ----------------------------------------------------------------------------------
    def send(self, replies: Sequence[Reply]) -> None:
        if not self.closed:
            self.front_end.deliver(replies)

    def close(self, reason: str) -> None:
        """End this session (quit, takeover, kick). Safe to call twice."""
        if self.closed:
            return
        self.closed = True
        self.game.sessions.remove(self)
        self.front_end.close(reason)
        if self.on_close is not None:
            self.on_close()


class Sessions:
    """Connected players, by lower-cased name; at most one interactive session per player."""

    def __init__(self) -> None:
        self.by_player: dict[str, Session] = {}

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

    def to_room(self, room: str, replies: Sequence[Reply], *, exclude: Sequence[str] = ()) -> None:
        for key, session in list(self.by_player.items()):
            if session.player.room == room and key not in exclude:
                session.send(replies)

    def to_player(self, name: str, replies: Sequence[Reply]) -> bool:
        session = self.by_player.get(name.lower())
        if session is None:
            return False
        session.send(replies)
        return True

    def to_all(self, replies: Sequence[Reply]) -> None:
        for session in list(self.by_player.values()):
            session.send(replies)

    def refresh_room(self, room: str, world_view: Callable[[Player], RoomView]) -> None:
        """Push a fresh room panel to everyone in ``room`` (arrivals, items moved)."""
        for session in list(self.by_player.values()):
            if session.player.room == room:
                session.front_end.set_room(world_view(session.player))
