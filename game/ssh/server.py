"""The SSH listener: host key, options, and the sessions it has running."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import asyncssh

from game.limits import Buckets, LoginThrottle
from game.ssh.auth import GameSSHServer, make_hasher
from game.ssh.keys import load_or_create_host_key

if TYPE_CHECKING:
    from game.config import Settings
    from game.game import Game
    from game.tui.runner import TuiFactory


class SshFront:
    """Owns the asyncssh acceptor. ``port`` is the bound port (useful with port 0)."""

    def __init__(self, game: Game, settings: Settings) -> None:
        self.game = game
        self.settings = settings
        self.hasher = make_hasher()
        self.acceptor: asyncssh.SSHAcceptor | None = None
        self.tasks: set[asyncio.Task[None]] = set()
        self.tui_factory: TuiFactory | None = None  # made by the first TUI session (channel.py)
        # Protection (game/limits.py): the clock is the game's, so tests drive it by hand.
        self.accepting = True  # False once shutdown begins: new logins are refused
        self.connections = 0
        per_min = settings.conn_per_minute
        self.conn_buckets = Buckets(per_min, per_min / 60, game.clock) if per_min > 0 else None
        self.throttle = LoginThrottle(settings.login_failures, settings.login_lockout_s, game.clock)

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

    def admit(self, address: str) -> str | None:
        """Count a new TCP connection; return why it may not log in, or None."""
        self.connections += 1
        why, text = None, None
        if not self.accepting:
            why, text = "shutdown", "The server is shutting down. Try again in a minute."
        elif self.conn_buckets is not None and not self.conn_buckets.allow(address):
            why = "rate"
            text = "Too many connections from your address. Wait a minute and try again."
        elif self.connections > self.settings.max_sessions:
            why, text = "full", "The server is full right now. Try again in a few minutes."
        if why is not None:
            self.game.metrics.refused[why] += 1
        return text

    def release(self) -> None:
        self.connections = max(0, self.connections - 1)

    def refuse_login(self, name: str, address: str) -> str | None:
        """Why ``name`` from ``address`` may not log in (lockout, ban), or None."""
        if self.throttle.locked(address):
            self.game.metrics.refused["throttled"] += 1
            wait = self.throttle.seconds_left(address)
            return f"Too many failed logins from your address. Try again in {wait} seconds."
        bans = self.game.moderation
        ban = bans.banned("account", name) or bans.banned("address", address)
        if ban is not None:
            self.game.metrics.refused["banned"] += 1
            return f"You are banned from sshrealm. Reason: {ban.reason}"
        return None

    async def stop(self) -> None:
        if self.acceptor is not None:
            self.acceptor.close()
            await self.acceptor.wait_closed()
            self.acceptor = None
        for task in list(self.tasks):
            task.cancel()
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)
