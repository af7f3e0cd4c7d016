"""The operations HTTP server: ``/healthz`` (live), ``/readyz`` (ready) and ``/metrics``.

It listens on ``http_host:http_port`` (127.0.0.1:8888 by default; never expose it publicly,
it needs no auth because it reveals only counts). ``http_port = -1`` turns it off and ``0``
picks a free port (tests read :attr:`OpsHttp.port`). It reads the server through
:class:`game.ops.host.OpsHost`, never the composition root that builds it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import structlog
from aiohttp import web

if TYPE_CHECKING:
    from game.ops.host import OpsHost

log = structlog.get_logger("sshrealm.ops")
MAX_LAG_S = 1.0
"""Event-loop lag above this makes the server report itself not ready."""


class OpsHttp:
    def __init__(self, server: OpsHost) -> None:
        self.server = server
        self.runner: web.AppRunner | None = None
        self.port = 0
        # What a role adds (game/cluster/roles.py): more reasons not to be ready (Redis
        # away) and more metrics text (bus lag, stream lengths).
        self.readiness: list[Callable[[], list[str]]] = []
        self.more_metrics: list[Callable[[], Awaitable[str]]] = []

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics)
        return app

    async def start(self) -> None:
        settings = self.server.settings
        if settings.http_port < 0:
            return
        self.runner = web.AppRunner(self.app(), access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, settings.http_host, settings.http_port)
        await site.start()
        bound = self.runner.addresses
        self.port = int(bound[0][1]) if bound else settings.http_port
        log.info("ops_http_started", host=settings.http_host, port=self.port)

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None

    # -- handlers -----------------------------------------------------------------------------
    def reasons(self) -> list[str]:
        """Why the server is not ready; empty when it is."""
        server = self.server
        out = []
        if server.ssh.acceptor is None:
            out.append("ssh listener is not running")
        if not server.ssh.accepting:
            out.append("shutting down: new logins are refused")
        try:
            server.conn.execute("SELECT 1").fetchone()
        except sqlite3.Error as exc:
            out.append(f"database unavailable: {exc}")
        lag = server.game.metrics.loop_lag_s
        if lag > MAX_LAG_S:
            out.append(f"event loop lagging {lag:.2f}s (limit {MAX_LAG_S:.0f}s)")
        for check in self.readiness:
            out.extend(check())
        return out

    def warnings(self) -> list[str]:
        """Worth a look, but players can still play: a failed plugin."""
        return [
            f"plugin {p.name} failed: {p.last_error}"
            for p in self.server.game.metrics.plugins()
            if p.state == "failed"
        ]

    def _state(self) -> tuple[list[str], dict[str, object]]:
        reasons = self.reasons()
        body: dict[str, object] = {
            "status": "not ready" if reasons else "ready",
            "reasons": reasons,
            "warnings": self.warnings(),
            "sessions": len(self.server.game.sessions),
        }
        return reasons, body

    async def healthz(self, request: web.Request) -> web.Response:
        """Liveness: the process answers (200) and says whether it is ready, and why not."""
        return web.json_response(self._state()[1])

    async def readyz(self, request: web.Request) -> web.Response:
        """Readiness: 200 when it can take players, 503 with the reasons when not."""
        reasons, body = self._state()
        return web.json_response(body, status=503 if reasons else 200)

    async def metrics(self, request: web.Request) -> web.Response:
        text = self.server.game.metrics.render(self.server.game.sessions)
        for more in self.more_metrics:
            text += await more()
        return web.Response(text=text, content_type="text/plain", charset="utf-8")
