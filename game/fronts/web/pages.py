"""The public and the player's own pages: landing (with its live feed), me, developers.

The landing page is public and cheap: who is online (those who did not ``web hide``), the
world's areas, how to connect, three leaderboards. ``/live.json`` is the same facts as data;
the page's script (static/landing.js) fetches it every few seconds and updates the lists in
place, announced politely to screen readers. The player page shows what the game's own
commands say to that player (game/fronts/web/ask.py), so nothing private leaks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bridge.builtin.http_api import openapi_text
from game.fronts.web.ask import ask
from game.fronts.web.render import message, page
from game.fronts.web.security import GAME, viewer
from game.services.leaderboards import Leaderboards

if TYPE_CHECKING:
    from game.engine.game import Game

PORTS: web.AppKey[Ports] = web.AppKey("ports")
JS_CLIENT = Path(__file__).resolve().parents[3] / "examples" / "js-client" / "client.mjs"
CLIENT_FILES = ("client.mjs", "ws.mjs")
"""The bridge's JavaScript client for Node: client.mjs imports ws.mjs beside it."""
LIVE_EVERY = web.AppKey("live_every_ms", int)
"""How often the landing page refreshes its live facts (5000 ms; tests make it shorter)."""
PLAYER_SECTIONS = (
    ("Tokens", "balance"),
    ("Progress", "score"),
    ("Skills", "skills"),
    ("Quests", "quests"),
    ("Growth, unlocks and suggestions from Cal", "growth"),
    ("Statement of your token transfers", "history 50"),
)


class Ports:
    """Where the other front ends listen, for the "how to connect" box (-1: off)."""

    def __init__(self, ssh: Any, telnet: Any) -> None:
        self._ssh = ssh
        self._telnet = telnet

    @property
    def ssh(self) -> int:
        return int(self._ssh())

    @property
    def telnet(self) -> int:
        return int(self._telnet())


def online(game: Game) -> list[dict[str, str]]:
    """Listed players online and the area they are in, by name."""
    listed = []
    for session in sorted(game.sessions, key=lambda s: s.player.name.lower()):
        name = session.player.name
        if session.kind == "exec" or not game.web.listed(name):
            continue
        room = game.world.content.rooms.get(session.player.room)
        area = game.world.content.areas.get(room.area) if room is not None else None
        listed.append({"name": name, "area": area.title if area is not None else ""})
    return listed


BOARDS_FOR_MS = 10_000
"""Leaderboards are read at most this often (every open landing page asks every few
seconds); who is online is always fresh."""


class BoardCache:
    """The leaderboards as last read, with when and for which hidden players."""

    def __init__(self) -> None:
        self.at = -BOARDS_FOR_MS
        self.hidden: frozenset[str] = frozenset()
        self.boards: list[dict[str, Any]] = []

    def boards_of(self, game: Game) -> list[dict[str, Any]]:
        now, hidden = game.clock(), frozenset(game.web.hidden())
        if now - self.at >= BOARDS_FOR_MS or hidden != self.hidden:
            read = Leaderboards(game.conn, lambda xp: game.skills.rules().level(xp), set(hidden))
            self.boards = [
                {"title": "Quests done", "rows": read.quests()},
                {"title": "Skill levels", "rows": read.skills()},
                {"title": "Rooms explored", "rows": read.explorers()},
            ]
            self.at, self.hidden = now, hidden
        return self.boards


BOARDS: web.AppKey[BoardCache] = web.AppKey("boards")


def facts(request: web.Request) -> dict[str, Any]:
    game = request.app[GAME]
    return {"online": online(game), "boards": request.app[BOARDS].boards_of(game)}


async def landing(request: web.Request) -> web.Response:
    game = request.app[GAME]
    ports = request.app[PORTS]
    areas = sorted(game.world.content.areas.values(), key=lambda a: a.title)
    return page(
        request,
        "landing.html",
        facts=facts(request),
        areas=areas,
        host=request.url.host or "localhost",
        ssh_port=ports.ssh,
        telnet_port=ports.telnet,
        about=game.settings.web_about,
        live_every_ms=request.app[LIVE_EVERY],
    )


async def live(request: web.Request) -> web.Response:
    body = facts(request)
    return web.Response(text=json.dumps(body), content_type="application/json")


async def me(request: web.Request) -> web.Response:
    who = viewer(request)
    if who is None:
        raise web.HTTPSeeOther("/signin")
    game = request.app[GAME]
    sections = []
    for heading, line in PLAYER_SECTIONS:
        lines = [text for r in ask(game, who.name, line) for text in r.lines()]
        sections.append((heading, lines))
    return page(request, "me.html", sections=sections)


async def developers(request: web.Request) -> web.Response:
    try:
        spec = json.loads(openapi_text())
    except (OSError, ValueError):
        return message(request, "Developers", "The API description is missing.", status=500)
    operations = []
    for path, methods in sorted(spec.get("paths", {}).items()):
        for method, op in methods.items():
            if isinstance(op, dict):
                operations.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": op.get("summary", ""),
                        "description": op.get("description", ""),
                        "security": bool(op.get("security", spec.get("security"))),
                    }
                )
    info = spec.get("info", {})
    port = request.app[GAME].settings.bridge_port
    return page(
        request,
        "developers.html",
        info=info,
        operations=operations,
        bridge_port=port,
        client=JS_CLIENT.exists(),
    )


async def js_client(request: web.Request) -> web.StreamResponse:
    """The bridge's JavaScript client (examples/js-client), when the source tree is here."""
    name = request.match_info["file"]
    path = JS_CLIENT.with_name(name)
    if name not in CLIENT_FILES or not path.exists():
        return message(request, "Not here", "This install has no copy of that file.", status=404)
    return web.Response(text=path.read_text("utf-8"), content_type="text/javascript")


async def openapi(request: web.Request) -> web.Response:
    return web.Response(text=openapi_text(), content_type="application/json")
