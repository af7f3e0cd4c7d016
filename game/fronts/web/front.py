"""The web front: one more front end of the same game, on ``web_host:web_port``.

It is off unless ``web_port`` is set (``-1`` by default; ``make run`` needs nothing more),
listens apart from the private operations port, and holds no game state: pages read the
game through its commands (ask.py) and a few public facts (pages.py); play sockets open game
sessions like SSH and telnet do, through the same :class:`~game.fronts.gate.LoginGate`.

Routes::

    GET  /                     landing page (public)       GET /live.json  its live facts
    GET  /signin  POST /signin sign in (code or password)  GET/POST /signup, POST /signout
    GET  /me                   the player's page
    GET  /play                 the full-screen UI (xterm.js)   WS /play/terminal.ws
    GET  /play/text            the accessible page             WS /play/text.ws
    GET  /admin ...            the admin dashboard (admin.py)
    GET  /developers           the bridge's OpenAPI document, and its JS client
    GET  /static/...           styles, page scripts, vendored xterm.js
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import structlog
from aiohttp import web

from game.fronts.web import accounts, admin, pages
from game.fronts.web.play import GATE, PLAYING
from game.fronts.web.render import ENV, TITLE, environment, errors, page
from game.fronts.web.security import GAME, INLINE_STYLES, SECURE, headers, viewer
from game.fronts.web.terminal import FACTORY, terminal_socket
from game.fronts.web.text import text_socket

if TYPE_CHECKING:
    from game.core.config import Settings
    from game.engine.game import Game
    from game.fronts.gate import LoginGate

log = structlog.get_logger("sshrealm.web")
STATIC = Path(__file__).resolve().parent / "static"


async def play_terminal(request: web.Request) -> web.Response:
    if viewer(request) is None:
        raise web.HTTPSeeOther("/signin")
    return page(request, "terminal.html")


async def play_text(request: web.Request) -> web.Response:
    if viewer(request) is None:
        raise web.HTTPSeeOther("/signin")
    return page(request, "text.html")


def make_app(game: Game, gate: LoginGate, ports: pages.Ports) -> web.Application:
    settings = game.settings
    app = web.Application(middlewares=[headers, errors], client_max_size=64 * 1024)
    app[GAME] = game
    app[GATE] = gate
    app[pages.PORTS] = ports
    app[pages.LIVE_EVERY] = 5000
    app[pages.BOARDS] = pages.BoardCache()
    app[SECURE] = bool(settings.web_secure_cookies)
    app[INLINE_STYLES] = {"/play"}
    app[ENV] = environment()
    app[TITLE] = settings.web_title
    app[FACTORY] = {}
    app[PLAYING] = {}
    add = app.router.add_get
    add("/", pages.landing)
    add("/live.json", pages.live)
    add("/signin", accounts.signin_page)
    app.router.add_post("/signin", accounts.signin)
    add("/signup", accounts.signup_page)
    app.router.add_post("/signup", accounts.signup)
    app.router.add_post("/signout", accounts.signout)
    add("/me", pages.me)
    add("/play", play_terminal)
    add("/play/terminal.ws", terminal_socket)
    add("/play/text", play_text)
    add("/play/text.ws", text_socket)
    add("/admin", admin.dashboard)
    add("/admin/reports/{kind}", admin.report)
    add("/admin/bridge", admin.bridge)
    add("/admin/audit", admin.audit)
    app.router.add_post("/admin/act", admin.act)
    add("/developers", pages.developers)
    add("/developers/{file:(client|ws)\\.mjs}", pages.js_client)
    add("/developers/openapi.json", pages.openapi)
    app.router.add_static("/static", STATIC, append_version=False)
    return app


class WebFront:
    """Starts and stops the web listener; a component of the server (game/app.py)."""

    def __init__(
        self,
        game: Game,
        settings: Settings,
        gate: LoginGate,
        *,
        ssh_port: Callable[[], int],
        telnet_port: Callable[[], int],
    ) -> None:
        self.game = game
        self.settings = settings
        self.gate = gate
        self.ports = pages.Ports(ssh_port, telnet_port)
        self.runner: web.AppRunner | None = None
        self.app: web.Application | None = None
        self.port = -1

    async def start(self) -> None:
        settings = self.settings
        if settings.web_port < 0:
            return
        self.app = make_app(self.game, self.gate, self.ports)
        self.runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=2.0)
        await self.runner.setup()
        site = web.TCPSite(self.runner, settings.web_host or None, settings.web_port)
        await site.start()
        bound = self.runner.addresses
        self.port = int(bound[0][1]) if bound else settings.web_port
        log.info("web_started", host=settings.web_host, port=self.port)

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None
