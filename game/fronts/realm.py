"""What a front end's connection needs of the world, wherever the world runs.

The all-in-one server's fronts reach the game in-process (:class:`game.fronts.local.LocalRealm`);
a gateway's reach it over the bus (:class:`game.cluster.remote.RemoteRealm`). A connection
opens a session, hands it typed lines, runs exec commands and says when it is gone; the
session (:class:`Seat`) is what it holds meanwhile. Nothing here imports the engine, so a
gateway never loads the world.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from game.core.port import FrontEnd, PlayerPort
from game.core.reply import Reply
from game.fronts.line import LineFrontEnd


class Seat(PlayerPort, Protocol):
    """A connection's session, as its front holds it."""

    @property
    def id(self) -> str: ...

    @property
    def closed(self) -> bool:
        """No more input is taken (quit, takeover, kick)."""

    def send(self, replies: Sequence[Reply]) -> None:
        """Lines for this session alone, from the front itself (a clamped terminal)."""

    def close(self, reason: str) -> None:
        """End the session with ``reason``, after everything before it."""

    def prompt(self) -> str | None:
        """The player's own line-mode prompt, if they set one."""


class Realm(Protocol):
    """The world as the fronts' connections see it."""

    def clock(self) -> int: ...

    def screenreader(self, name: str) -> bool:
        """Whether ``name`` chose line mode for every connection."""

    def open(
        self, name: str, front_end: Callable[[Seat], FrontEnd], *, kind: str, address: str
    ) -> Seat:
        """A new session for ``name`` (greeted, announced); ``front_end`` builds its front."""

    async def run_exec(self, name: str, command: str, address: str) -> tuple[list[Reply], bool]:
        """One command as ``name``: its replies and whether it worked."""

    def gone(self, session: Seat) -> None:
        """The connection is gone: the body leaves unless another session holds it."""


def wire_line(session: Seat, line: LineFrontEnd) -> None:
    """Typed lines go to ``session``; an end of input says goodbye after them."""
    line.on_line = session.submit
    line.prompt = session.prompt
    line.on_end = lambda: session.close("Goodbye.")
