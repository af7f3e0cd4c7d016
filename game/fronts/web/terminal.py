"""The full-screen game in the browser: the SSH players' Textual UI, drawn by xterm.js.

One Textual app per tab, in this process, on this event loop, built exactly as for an SSH
PTY session (game/fronts/tui/runner.py): the app's driver writes terminal bytes to a
"channel", here :class:`~game.fronts.web.play.Outgoing` in front of the WebSocket, which
sends them as binary frames to xterm.js. No process per tab, no PTY.

From the page (static/terminal.js), text frames of JSON:

* ``{"i": "..."}``: what was typed or pasted, as the terminal encodes it (keys, escape
  sequences, bracketed paste), fed to the app like SSH channel data;
* ``{"r": [cols, rows]}``: the window's size, clamped to ``max_term_cols`` x
  ``max_term_rows`` and coalesced over ``resize_window_ms`` as over SSH.

The first size comes in the URL (``?cols=&rows=``), so the first frame already fits.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import structlog
from aiohttp import WSMsgType, web

from game.fronts.entry import open_session
from game.fronts.web.play import Opened, Outgoing, parsed, play_socket
from game.fronts.web.security import GAME

if TYPE_CHECKING:
    from game.core.config import Settings
    from game.engine.session import Session
    from game.fronts.tui.runner import TuiFactory, TuiSession

log = structlog.get_logger("sshrealm.web")
FACTORY = web.AppKey("tui_factory", dict)
"""{"factory": TuiFactory}, made by the first browser TUI: its sessions share its caches."""
TERM = "xterm-256color"


def clamp(settings: Settings, cols: object, rows: object) -> tuple[int, int] | None:
    try:
        c, r = int(str(cols)), int(str(rows))
    except ValueError:
        return None
    if c <= 0 or r <= 0:
        return None
    return min(c, max(1, settings.max_term_cols)), min(r, max(1, settings.max_term_rows))


def factory(app: web.Application) -> TuiFactory:
    from game.fronts.tui.runner import TuiFactory

    holder = app[FACTORY]
    if "factory" not in holder:
        holder["factory"] = TuiFactory(tick_ms=app[GAME].settings.tick_ms)
    made: TuiFactory = holder["factory"]
    return made


async def terminal_socket(request: web.Request) -> web.StreamResponse:
    return await play_socket(request, _play)


async def _run(tui: TuiSession, name: str) -> None:
    """The app until it exits; a crash is logged (the player reads the runner's notice)."""
    try:
        await tui.run()
    except Exception:
        log.exception("web_tui_failed", player=name)


async def _play(request: web.Request, opened: Opened) -> None:
    game = request.app[GAME]
    settings = game.settings
    ws = opened.ws
    size = clamp(settings, request.query.get("cols", 80), request.query.get("rows", 24))
    out = Outgoing(ws, max(1, settings.max_output_kb) * 1024, lambda: out.close())
    made, built = factory(request.app), []

    def build(session: Session) -> TuiSession:
        tui = made.session(session, out, size=size or (80, 24), term=TERM, colorterm="truecolor")
        built.append(tui)
        return tui

    session = open_session(game, opened.who.name, build, kind="tui", address=opened.address)
    tui = built[0]
    loop = asyncio.get_running_loop()
    running = loop.create_task(_run(tui, session.name))
    pumping = loop.create_task(out.pump())
    resize: asyncio.TimerHandle | None = None
    wanted = size
    log.info("web_tui_started", player=session.name, session=session.id)

    def apply() -> None:
        nonlocal resize
        resize = None
        if wanted is not None:
            tui.resize(*wanted)

    try:
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            data = parsed(msg.data)
            typed = data.get("i")
            if isinstance(typed, str):
                tui.feed(typed.encode("utf-8", "replace"))
            dims = data.get("r")
            if isinstance(dims, list) and len(dims) == 2:
                wanted = clamp(settings, dims[0], dims[1]) or wanted
                if resize is None:
                    resize = loop.call_later(max(0, settings.resize_window_ms) / 1000, apply)
    finally:
        if resize is not None:
            resize.cancel()
        game.disconnect(session)
        tui.close("Connection closed.")
        await asyncio.gather(running, return_exceptions=True)
        out.close()
        await asyncio.gather(pumping, return_exceptions=True)
        log.info("web_tui_ended", player=session.name, session=session.id)
