"""The two scaled-out roles: ``sshrealm world`` and ``sshrealm gateway``.

* :class:`WorldServer` is the all-in-one server (game/app.py) plus the world's end of the
  bus: the single writer of the world, the ledger, reflection and the bridge. Its own SSH
  port still takes logins (an admin's console, a test); players come through gateways.
  Stopping it (SIGTERM, ``@restart`` under a supervisor, a deploy) does not close the
  gateways' sessions: it tells them the world is restarting and leaves them in presence
  for the next world to bring back.
* :class:`GatewayServer` terminates SSH, logs players in through the world, renders (TUI,
  line, exec) and holds no game state; any number run, on any hosts, behind HAProxy.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from typing import Any

import structlog
from aiohttp import web

from game.app import Server
from game.cluster.bus import Keys, connect
from game.cluster.gateway_link import GatewayLink
from game.cluster.logins import LoginFacts
from game.cluster.remote import RemoteRealm
from game.cluster.world_link import WorldLink
from game.core import heap
from game.core.config import Settings
from game.engine.game import Clock, wall_clock_ms
from game.fronts.gate import LoginGate
from game.fronts.ssh.server import SshFront
from game.ops.shutdown import stop_on_signals
from game.services.metrics import Metrics

log = structlog.get_logger("sshrealm.cluster")


class WorldServer(Server):
    """The world role: the game, its services, and the bus to the gateways."""

    def __init__(self, settings: Settings, *, clock: Clock = wall_clock_ms) -> None:
        super().__init__(settings, clock=clock)
        self.redis = connect(settings.redis_url)
        self.link = WorldLink(self.game, self.redis, Keys(settings.cluster_name))
        self.components.append(self.link)
        if self.ops_http is not None:
            self.ops_http.readiness.append(self._bus_reasons)
            self.ops_http.more_metrics.append(self._bus_metrics)

    def _bus_reasons(self) -> list[str]:
        return [] if self.link.redis_ok else ["redis unreachable"]

    async def _bus_metrics(self) -> str:
        lines = [
            "# TYPE sshrealm_bus_commands_total counter",
            f"sshrealm_bus_commands_total {self.link.commands}",
            "# TYPE sshrealm_bus_lag_ms gauge",
            f"sshrealm_bus_lag_ms {self.link.last_lag_ms:.1f}",
            "# TYPE sshrealm_gateway_sessions gauge",
        ]
        lines += [
            f'sshrealm_gateway_sessions{{gateway="{g}"}} {n}' for g, n in self.link.gateways.items()
        ]
        try:
            lengths = await self.link.stream_lengths()
        except Exception:
            lengths = {}
        lines.append("# TYPE sshrealm_bus_stream_length gauge")
        lines += [f'sshrealm_bus_stream_length{{stream="{k}"}} {v}' for k, v in lengths.items()]
        return "\n".join(lines) + "\n"

    async def stop(self, reason: str = "The server is shutting down. See you soon.") -> None:
        # The gateways keep their players: the link says the world is restarting, and their
        # sessions are left out of the goodbye every local session gets.
        if self.link in self.components:
            self.components.remove(self.link)
            await self.link.stop()
        for _, session in self.link.ops.sessions.values():
            self.game.sessions.forget(session)
        await super().stop(reason)
        await self.redis.aclose()

    async def serve_forever(self, ready: Callable[[Server], None] | None = None) -> None:
        await self.start()
        heap.settle()  # the world is loaded: fewer, cheaper collections (as serve does)
        stop = stop_on_signals()
        loop = asyncio.get_running_loop()
        # @restart: stop as SIGTERM would, once the command's reply is out; the supervisor
        # (systemd's Restart=always, compose's restart policy, ``sshrealm cluster``) starts
        # the next world.

        def restart() -> None:
            loop.call_later(0.05, stop.set)

        self.game.restart = restart
        if ready is not None:
            ready(self)
        await stop.wait()
        await self.stop("The world is restarting.")


class GatewaySshFront(SshFront):
    """The SSH front of a gateway: logins fetch their facts from the world first."""

    facts: LoginFacts

    async def prepare_login(self, name: str, address: str) -> str | None:
        return await self.facts.prepare_login(name, address)

    async def prepare_key(self, fingerprint: str) -> bool:
        return await self.facts.prepare_key(fingerprint)


class GatewayServer:
    """The gateway role: SSH fronts whose sessions live in the world, across Redis."""

    def __init__(self, settings: Settings, *, clock: Clock = wall_clock_ms) -> None:
        self.settings = settings
        self.redis = connect(settings.redis_url)
        self.id = settings.gateway_id or secrets.token_hex(4)
        self.link = GatewayLink(self.redis, Keys(settings.cluster_name), self.id)
        self.metrics = Metrics()
        self.facts = LoginFacts(self.link, clock, self.metrics)
        facts: Any = self.facts  # stands in for the game during logins (logins.py)
        self.gate = LoginGate(facts, settings)
        self.realm = RemoteRealm(self.link, self.facts, settings.max_waiting)
        self.ssh = GatewaySshFront(facts, settings, self.gate, realm=self.realm)
        self.ssh.facts = self.facts
        self.http = GatewayHttp(self)

    @property
    def ssh_port(self) -> int:
        return self.ssh.port

    async def start(self) -> None:
        await self.link.start()
        await self.ssh.start()
        await self.http.start()
        log.info("gateway_started", gateway=self.id, ssh_port=self.ssh_port)

    async def stop(self) -> None:
        self.gate.accepting = False
        await self.link.stop()  # the world lets this gateway's bodies go now
        await self.http.stop()
        await self.ssh.stop()
        self.gate.close()
        await self.redis.aclose()
        log.info("gateway_stopped", gateway=self.id)

    async def serve_forever(self, ready: Callable[[GatewayServer], None] | None = None) -> None:
        await self.start()
        heap.settle()
        stop = stop_on_signals()
        if ready is not None:
            ready(self)
        await stop.wait()
        await self.stop()


class GatewayHttp:
    """``/healthz``, ``/readyz`` (Redis and the world reachable) and ``/metrics`` of a gateway."""

    def __init__(self, gateway: GatewayServer) -> None:
        self.gateway = gateway
        self.runner: web.AppRunner | None = None
        self.port = 0

    def reasons(self) -> list[str]:
        g = self.gateway
        out = []
        if g.ssh.acceptor is None:
            out.append("ssh listener is not running")
        if not g.gate.accepting:
            out.append("shutting down: new logins are refused")
        if not g.link.redis_ok:
            out.append("redis unreachable")
        elif not g.link.world_up:
            out.append("world unreachable")
        return out

    def body(self) -> dict[str, object]:
        reasons = self.reasons()
        return {
            "status": "not ready" if reasons else "ready",
            "reasons": reasons,
            "gateway": self.gateway.id,
            "sessions": len(self.gateway.link.sessions),
        }

    async def healthz(self, request: web.Request) -> web.Response:
        return web.json_response(self.body())

    async def readyz(self, request: web.Request) -> web.Response:
        body = self.body()
        return web.json_response(body, status=503 if body["reasons"] else 200)

    async def metrics(self, request: web.Request) -> web.Response:
        link = self.gateway.link
        waiting = sum(getattr(s, "waiting", 0) for s in link.sessions.values())
        refused = self.gateway.metrics.refused
        lines = [
            "# TYPE sshrealm_gateway_sessions gauge",
            f"sshrealm_gateway_sessions {len(link.sessions)}",
            "# TYPE sshrealm_bus_waiting_commands gauge",
            f"sshrealm_bus_waiting_commands {waiting}",
            "# TYPE sshrealm_bus_frame_lag_ms gauge",
            f"sshrealm_bus_frame_lag_ms {link.frame_lag_ms:.1f}",
            "# TYPE sshrealm_world_up gauge",
            f"sshrealm_world_up {int(link.world_up)}",
            "# TYPE sshrealm_refused_total counter",
        ]
        lines += [f'sshrealm_refused_total{{why="{k}"}} {v}' for k, v in sorted(refused.items())]
        text = "\n".join(lines) + "\n"
        return web.Response(text=text, content_type="text/plain", charset="utf-8")

    async def start(self) -> None:
        settings = self.gateway.settings
        if settings.http_port < 0:
            return
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, settings.http_host, settings.http_port).start()
        bound = self.runner.addresses
        self.port = int(bound[0][1]) if bound else settings.http_port

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None
