"""The seam between a player's session and a front end.

The TUI's log, panels and prompt (``game/fronts/tui``) depend only on this protocol and on
``game.core.reply``, so they can be tested headless with a fake port; only the admin console
asks the session for the whole game (``Game.of``). ``textual`` stays in game/fronts/tui.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from game.core.reply import Reply, RoomView, StatusView


class PlayerPort(Protocol):
    """What a front end may ask of the player's session."""

    @property
    def name(self) -> str:
        """The player's name as they chose to write it."""

    def submit(self, line: str) -> None:
        """Run a typed line. Replies come back through :class:`FrontEnd` methods."""

    def completions(self) -> Sequence[str]:
        """Words that make sense now: command names and aliases, exits, names, items."""

    def current_room(self) -> RoomView | None:
        """The room the player stands in, for the room panel at start-up."""

    def current_status(self) -> StatusView:
        """The status bar's content at start-up."""


class FrontEnd(Protocol):
    """What the session may push to a front end. Every call must be cheap and non-blocking:
    the TUI only queues a message and repaints at most once per tick. A front end without a
    room panel may say so with a class attribute ``shows_room = False``: it then gets no
    ``set_room`` calls (line mode)."""

    def deliver(self, replies: Sequence[Reply]) -> None: ...

    def set_room(self, view: RoomView) -> None: ...

    def set_status(self, status: StatusView) -> None: ...

    def close(self, reason: str) -> None: ...
