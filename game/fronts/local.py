"""The realm of the all-in-one server: the game in this process (game/fronts/realm.py)."""

from __future__ import annotations

from collections.abc import Callable

from game.core.port import FrontEnd
from game.core.reply import Reply
from game.engine.game import Game
from game.engine.session import Session
from game.fronts.entry import open_session, run_exec
from game.fronts.realm import Seat


class LocalRealm:
    """Sessions are the engine's own; nothing crosses a process boundary."""

    def __init__(self, game: Game) -> None:
        self.game = game

    def clock(self) -> int:
        return self.game.clock()

    def screenreader(self, name: str) -> bool:
        account = self.game.store.account(name)
        return bool(account and account.screenreader)

    def open(
        self, name: str, front_end: Callable[[Seat], FrontEnd], *, kind: str, address: str
    ) -> Seat:
        return open_session(self.game, name, front_end, kind=kind, address=address)

    async def run_exec(self, name: str, command: str, address: str) -> tuple[list[Reply], bool]:
        return run_exec(self.game, name, command, address)

    def gone(self, session: Seat) -> None:
        if isinstance(session, Session):
            self.game.disconnect(session)
