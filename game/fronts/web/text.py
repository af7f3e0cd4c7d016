"""The accessible way to play in the browser: line mode as an HTML log.

The session is an ordinary line-mode session (game/fronts/line.py, started the way SSH and
telnet start theirs, game/fronts/entry.py): the same commands, the same one-fact-per-line
output in the same order, the player's own prompt, no escape sequence anywhere. Each burst
of lines goes to the page as ``{"lines": [...]}``; the page (static/text.js) appends each as
a paragraph to a ``role="log"`` region, which screen readers announce as it grows. The page
sends ``{"line": "..."}`` for each line typed in its text box.
"""

from __future__ import annotations

import asyncio
import codecs
import json

from aiohttp import WSMsgType, web

from game.fronts.entry import enter_line
from game.fronts.line import LineFrontEnd
from game.fronts.web.play import Opened, Outgoing, parsed, play_socket
from game.fronts.web.security import GAME

MAX_TYPED = 4000


class Lines:
    """Turns the line front end's ``\\r\\n``-ended bytes into JSON frames of whole lines."""

    def __init__(self, out: Outgoing) -> None:
        self.out = out
        self.partial = ""
        self._decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode

    def write(self, data: bytes) -> None:
        text = self.partial + self._decode(data)
        *lines, self.partial = text.split("\r\n")
        if lines:
            self.out.write(json.dumps({"lines": lines}))


async def text_socket(request: web.Request) -> web.StreamResponse:
    return await play_socket(request, _play)


async def _play(request: web.Request, opened: Opened) -> None:
    game = request.app[GAME]
    out = Outgoing(opened.ws, max(1, game.settings.max_output_kb) * 1024, lambda: out.close())
    lines = Lines(out)
    screen = LineFrontEnd(lines.write, out.close, echo=False)
    session = enter_line(game, opened.who.name, screen, kind="line", address=opened.address)
    pumping = asyncio.get_running_loop().create_task(out.pump())
    try:
        async for msg in opened.ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            typed = parsed(msg.data).get("line")
            if isinstance(typed, str) and not screen.closed:
                one = " ".join(typed[:MAX_TYPED].splitlines())
                screen.feed((one + "\n").encode("utf-8", "replace"))
    finally:
        screen.steps.cancel()
        screen.closed = True
        game.disconnect(session)
        out.close()
        await asyncio.gather(pumping, return_exceptions=True)
