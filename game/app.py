"""Composition root: build the database, world, game and listeners; start and stop them.

Only the ``serve`` command (game/cli/main.py) imports this module. What sits below it and
needs the server (the health server, the graceful shutdown) declares what it uses as a
protocol (:class:`game.ops.host.OpsHost`) and is handed the :class:`Server`; wiring between
parts that must not know each other (the bridge's plugin states shown by /metrics) is done
here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

import structlog

from game.core import heap
from game.core.config import Settings
from game.engine.bridging import BridgeComponent
from game.engine.game import Clock, Game, wall_clock_ms
from game.engine.reflecting import Reflection
from game.fronts.gate import LoginGate
from game.fronts.ssh.server import SshFront
from game.fronts.telnet.front import TelnetFront
from game.fronts.web.front import WebFront
from game.ops.service import ops_components
from game.ops.shutdown import graceful_stop, stop_on_signals
from game.world.loader import load_content
from game.world.store import connect

log = structlog.get_logger("sshrealm.app")


class Component(Protocol):
    """A long-running service owned by the server."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class Server:
    """The whole server in one asyncio process. Tests start it on port 0."""

    def __init__(self, settings: Settings, *, clock: Clock = wall_clock_ms) -> None:
        self.settings = settings
        self.conn = connect(settings.db_path)
        self.game = Game(settings, self.conn, load_content(settings.content_dir), clock=clock)
        # One login gate for every front end: limits, bans and the password lockout count
        # once per address whether a player comes over SSH or telnet.
        self.gate = LoginGate(self.game, settings)
        self.ssh = SshFront(self.game, settings, self.gate)
        self.telnet = TelnetFront(self.game, settings, self.gate)  # off unless a port is set
        self.web = WebFront(  # off unless web_port is set; the same gate as SSH and telnet
            self.game,
            settings,
            self.gate,
            ssh_port=lambda: self.ssh_port,
            telnet_port=lambda: self.telnet_port,
        )
        # Services beside the SSH front (bridge host, scheduler, ops HTTP...), started in
        # order after SSH and stopped in reverse before it.
        self.components: list[Component] = []
        self.bridge = BridgeComponent(self.game, settings)  # plugin host; admin console too
        self.components.append(self.bridge)
        # Plugin states for /metrics and the admin console, without the bridge knowing either.
        self.game.metrics.plugins = self.bridge.status
        ops = ops_components(self)  # loop lag, idle watcher, health/metrics HTTP
        self.ops_http = ops.http
        self.idle = ops.idle
        self.components.extend(ops)
        self.reflection = Reflection(self.game, reword=self.bridge.reword, isolated=True)
        self.components.append(self.reflection)  # Cal and Domingo on APScheduler
        self.components += [self.game.wanderers, self.game.content_watcher]  # content
        self.components.append(self.game.triggers)  # on_time triggers, once a second
        self.components.append(self.game.combat)  # combat rounds, NPC respawn, recovery
        self._stopped = asyncio.Event()

    @property
    def ssh_port(self) -> int:
        return self.ssh.port

    @property
    def telnet_port(self) -> int:
        return self.telnet.port

    async def start(self) -> None:
        await self.ssh.start()
        await self.telnet.start()
        await self.web.start()
        for component in self.components:
            await component.start()
        log.info(
            "server_started",
            ssh_port=self.ssh_port,
            telnet_port=self.telnet.port,
            web_port=self.web.port,
            data_dir=str(self.settings.data_dir),
        )

    async def stop(self, reason: str = "The server is shutting down. See you soon.") -> None:
        for session in list(self.game.sessions):
            session.close(reason)
        for component in reversed(self.components):
            try:
                await component.stop()
            except Exception:
                log.exception("component_stop_failed", component=repr(component))
        await self.web.stop()
        await self.telnet.stop()
        await self.ssh.stop()
        self.gate.close()
        self.conn.close()
        self._stopped.set()
        log.info("server_stopped")

    async def serve_forever(self, ready: Callable[[Server], None] | None = None) -> None:
        await self.start()
        heap.settle()  # the world is loaded: fewer, cheaper collections from here on
        stop = stop_on_signals()
        if ready is not None:
            ready(self)
        await stop.wait()
        await graceful_stop(self)  # warn players, refuse logins, flush, exit within 10 s
