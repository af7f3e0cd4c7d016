"""What both ways of playing in the browser share: the checks before a game WebSocket opens,
and the queue between the game (which writes synchronously) and the socket (which awaits).

Opening a game socket is logging in: the browser must be signed in (its session cookie),
the request must come from this site (``Origin``; a WebSocket has no CSRF form), and the
login gate must agree (bans, shutdown, a full server), after which the connection holds one
of ``max_sessions`` slots until it closes, exactly like an SSH or telnet connection. A new
game session takes over an older one of the same player, wherever it is: over SSH, telnet
or in another tab.

Close codes the page reads: 1000 (the game ended the session: quit, takeover, kick; the
reason was the last thing sent, and the page does not reconnect by itself), 4001 (not
signed in), 4003 (refused: the reason is sent first). Anything else (the network) makes the
page reconnect.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog
from aiohttp import WSCloseCode, web

from game.fronts.gate import LoginGate
from game.fronts.web.security import Viewer, same_origin, viewer

log = structlog.get_logger("sshrealm.web")
GATE = web.AppKey("play_gate", LoginGate)
PLAYING = web.AppKey("playing", dict[asyncio.Task[object], web.Request])
"""The handlers of open game sockets and their requests (tests wait for them to finish)."""
MAX_MESSAGE = 64 * 1024
NOT_SIGNED_IN = 4001
REFUSED = 4003


@dataclass(slots=True)
class Opened:
    ws: web.WebSocketResponse
    who: Viewer
    address: str


async def play_socket(
    request: web.Request, play: Callable[[web.Request, Opened], Awaitable[None]]
) -> web.StreamResponse:
    """Open a game socket (:func:`open_play`), run ``play`` on it, and give its session
    slot back however it ends."""
    opened = await open_play(request)
    if not isinstance(opened, Opened):
        return opened
    try:
        await play(request, opened)
    finally:
        request.app[GATE].release_slot()
    return opened.ws


async def open_play(request: web.Request) -> Opened | web.WebSocketResponse:
    """The socket and who is on it, holding a session slot; or a socket already closed with
    the reason (the caller returns it)."""
    ws = web.WebSocketResponse(heartbeat=30.0, max_msg_size=MAX_MESSAGE)
    if not same_origin(request):
        raise web.HTTPForbidden(text="Cross-site game sockets are refused.")
    await ws.prepare(request)
    who = viewer(request)
    if who is None:
        await refuse(ws, "Sign in first.", NOT_SIGNED_IN)
        return ws
    gate = request.app[GATE]
    address = request.remote or ""
    why = gate.refuse_login(who.name, address)
    if why is None and not gate.claim_slot():
        why = "The server is full right now. Try again in a few minutes."
    if why is not None:
        await refuse(ws, why, REFUSED)
        return ws
    task = asyncio.current_task()
    if task is not None:
        playing = request.app[PLAYING]
        playing[task] = request
        task.add_done_callback(lambda done: playing.pop(done, None))
    return Opened(ws, who, address)


async def refuse(ws: web.WebSocketResponse, why: str, code: int) -> None:
    await ws.send_str(json.dumps({"closed": why}))
    await ws.close(code=code, message=why.encode()[:120])


def parsed(text: str) -> dict[str, object]:
    """A JSON object from the page, or an empty one (bad input changes nothing)."""
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class Outgoing:
    """Frames for one socket, queued synchronously and sent in order by :meth:`pump`.

    ``get_write_buffer_size`` is what is queued and not yet sent, so the TUI driver's
    back-pressure (drop frames, then one repaint) works as over SSH; past ``limit`` bytes
    the connection is dropped (``overflow``), as an SSH client that stops reading is.
    """

    def __init__(self, ws: web.WebSocketResponse, limit: int, overflow: Callable[[], None]):
        self.ws = ws
        self.limit = limit
        self.overflow = overflow
        self.frames: list[bytes | str] = []
        self.size = 0
        self.closing = False
        self._wake = asyncio.Event()

    # -- the game's side (synchronous) -----------------------------------------------------------
    def write(self, data: bytes | str) -> None:
        if self.closing or not data:
            return
        if self.size > self.limit:
            self.overflow()
            return
        self.frames.append(data)
        self.size += len(data)
        self._wake.set()

    def close(self) -> None:
        self.closing = True
        self._wake.set()

    def get_write_buffer_size(self) -> int:
        return self.size

    # -- the socket's side -----------------------------------------------------------------------
    async def pump(self) -> None:
        """Send until closed and drained, then close the socket (code 1000)."""
        ws = self.ws
        try:
            while not (self.closing and not self.frames):
                await self._wake.wait()
                self._wake.clear()
                while self.frames:
                    batch, self.frames = self.frames, []
                    try:
                        await _send(ws, batch)
                    finally:
                        self.size -= sum(len(f) for f in batch)
        except (ConnectionError, RuntimeError):
            self.closing = True  # the browser went away mid-send
        finally:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await ws.close(code=WSCloseCode.OK)


async def _send(ws: web.WebSocketResponse, batch: list[bytes | str]) -> None:
    """Consecutive byte frames go as one; text frames (JSON) one by one."""
    run: list[bytes] = []
    for frame in batch:
        if isinstance(frame, bytes):
            run.append(frame)
            continue
        if run:
            await ws.send_bytes(b"".join(run))
            run = []
        await ws.send_str(frame)
    if run:
        await ws.send_bytes(b"".join(run))
