"""What the operations code needs of the server it watches and stops.

``ops`` sits below the composition root (game/app.py builds the Server and hands it to the
health server and to :func:`game.ops.shutdown.graceful_stop`), so it never imports the
Server: it knows it as :class:`OpsHost`, the few parts it reads or stops.
``game.app.Server`` fits without naming this module.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from game.core.config import Settings
    from game.engine.game import Game


class SshGate(Protocol):
    """The SSH front as ops sees it (:class:`game.fronts.ssh.server.SshFront` fits)."""

    accepting: bool
    """False once shutdown begins: new logins are refused (the health check says so)."""

    @property
    def acceptor(self) -> object | None:
        """The listener; None when it is not running."""


class OpsHost(Protocol):
    """The running server, as the health server and the graceful shutdown use it."""

    @property
    def settings(self) -> Settings: ...

    @property
    def conn(self) -> sqlite3.Connection:
        """The game database: probed by the health check, checkpointed on shutdown."""

    @property
    def game(self) -> Game: ...

    @property
    def ssh(self) -> SshGate: ...

    async def stop(self, reason: str) -> None:
        """Close every session with ``reason``, stop the components and the SSH front."""
