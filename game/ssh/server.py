"""The SSH listener: host key, options, and the sessions it has running."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import asyncssh

from game.ssh.auth import GameSSHServer, make_hasher
from game.ssh.keys import load_or_create_host_key

if TYPE_CHECKING:
    from game.config import Settings
    from game.game import Game


class SshFront:
    """Owns the asyncssh acceptor. ``port`` is the bound port (useful with port 0)."""

    def __init__(self, game: Game, settings: Settings) -> None:
        self.game = game
        self.settings = settings
        self.hasher = make_hasher()
        self.acceptor: asyncssh.SSHAcceptor | None = None
        self.tasks: set[asyncio.Task[None]] = set()

    @property
    def port(self) -> int:
        assert self.acceptor is not None
        return int(self.acceptor.get_port())

    async def start(self) -> None:
        key = load_or_create_host_key(self.settings.host_key_path)
        self.acceptor = await asyncssh.create_server(
            lambda: GameSSHServer(self),
            self.settings.ssh_host,
            self.settings.ssh_port,
            server_host_keys=[key],
            line_editor=False,
            encoding=None,
            login_timeout=60,
            keepalive_interval=60,
        )

    async def stop(self) -> None:
        if self.acceptor is not None:
            self.acceptor.close()
            await self.acceptor.wait_closed()
            self.acceptor = None
        for task in list(self.tasks):
            task.cancel()
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)
