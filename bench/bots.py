"""Bots for the SSH load benchmark: real asyncssh clients that read their screens.

A bot is one player: its own key, its own loopback source address (127.0.x.y, so the
per-address connection limit sees 100 players, not one flood), and either a PTY session
(xterm-256color, 100x30: the Textual UI) or a plain shell session (line mode).

What a bot sees is judged from the raw byte stream, without a terminal emulator:

* say tokens are unique (``zq`` + 10 characters + ``qz``) and written by Textual as one
  uncompressed text run, so a regex over each chunk finds them;
* the ``look`` reply is recognised by its last line (the room's items, ``You see a notice
  board.``) at the start of a log line: in line mode at a line start; in the TUI right
  after a cursor move to the log's first column, 2. The last line, not the title: with
  200 players in the room the reply is taller than the log, so its title is never on
  screen at all. The TUI repaints the whole log when it scrolls, so an *old* look reply is
  drawn again whenever a new line arrives; a last line counts as the answer only if no
  say token the bot had already seen before sending ``look`` is drawn after it (that
  would make it an older reply).
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field

import asyncssh

TITLE = "Town Square"
LOOK_END = re.escape(b"You see a notice board.")  # the last line of the square's look
TOKEN = re.compile(rb"zq[0-9a-z]{10}qz")
# The log keeps a one-column margin: its lines start at column 2.
TUI_LOOK = re.compile(rb"\x1b\[\d+;[12]H\x1b\[[0-9;]*m" + LOOK_END + rb"[ \x1b]")
# Line mode: at a line start; telnet: also right after IAC EOR or IAC GA (a prompt's end)
# or IAC SE (the end of a GMCP message).
LINE_LOOK = re.compile(rb"(?:^|\n|\xff[\xef\xf9\xf0])" + LOOK_END + rb"\r\n")
TUI_READY = b"ype a command"  # the prompt's placeholder (its first cell is the cursor)
TAIL = 256  # bytes of the previous chunk kept so a match split across reads is still found


def bot_address(n: int) -> str:
    return f"127.0.{1 + n // 250}.{1 + n % 250}"


@dataclass
class Say:
    """One say in flight: who must still see it, and when each saw it."""

    sender: str
    sent: float
    waiting: set[str]
    done: float | None = None


@dataclass
class Tracker:
    """Say tokens in flight across all bots, and the latencies measured so far."""

    says: dict[bytes, Say] = field(default_factory=dict)
    look_ms: list[float] = field(default_factory=list)
    say_all_ms: list[float] = field(default_factory=list)
    looks_sent: int = 0
    looks_lost: int = 0
    recording: bool = False
    settled: asyncio.Event = field(default_factory=asyncio.Event)
    """Set whenever no say is waiting for anyone."""

    def said(self, token: bytes, sender: str, others: set[str], now: float) -> None:
        # With nobody else in the room the sender's own echo is the only audience.
        self.says[token] = Say(sender, now, others or {sender})
        self.settled.clear()

    def saw(self, token: bytes, bot: str, now: float) -> None:
        say = self.says.get(token)
        if say is None or bot not in say.waiting:
            return
        say.waiting.discard(bot)
        if not say.waiting:
            say.done = now
            if not self.unfinished():
                self.settled.set()
            if self.recording:
                self.say_all_ms.append((now - say.sent) * 1000)

    def unfinished(self) -> int:
        return sum(1 for say in self.says.values() if say.done is None)


class Bot:
    """One connected player; ``pump`` reads its output until the connection ends."""

    def __init__(self, n: int, key: asyncssh.SSHKey | None, tui: bool, tracker: Tracker) -> None:
        self.n = n
        self.name = f"bot{n:03d}"
        self.key = key
        self.tui = tui
        self.tracker = tracker
        self.conn: asyncssh.SSHClientConnection | None = None
        self.proc: asyncssh.SSHClientProcess[bytes] | None = None
        self.first_screen_ms: float | None = None
        self.seen: dict[bytes, float] = {}
        self.look_sent: float | None = None
        self.received = 0
        self._tail = b""
        self._pump: asyncio.Task[None] | None = None

    async def connect(self, port: int, within: float = 60.0) -> float:
        """Log in and wait for the first full screen; returns milliseconds taken."""
        start = time.perf_counter()
        assert self.key is not None
        self.conn = await asyncssh.connect(
            "127.0.0.1",
            port,
            local_addr=(bot_address(self.n), 0),
            username=self.name,
            client_keys=[self.key],
            known_hosts=None,
            agent_path=None,
        )
        if self.tui:
            self.proc = await self.conn.create_process(
                encoding=None, term_type="xterm-256color", term_size=(100, 30)
            )
        else:
            self.proc = await self.conn.create_process(encoding=None)
        ready = TUI_READY if self.tui else b"\r\n"
        seen = b""
        async with asyncio.timeout(within):
            # The title and a drawn prompt, in either order: a gateway's UI draws its
            # prompt first and the room panel when the world's view arrives.
            while not (TITLE.encode() in seen and ready in seen):
                chunk = await self.proc.stdout.read(65536)
                if not chunk:
                    raise EOFError(f"{self.name}: closed before the first screen: {seen[-300:]!r}")
                seen += chunk
        self.first_screen_ms = (time.perf_counter() - start) * 1000
        self._tail = seen[-TAIL:]
        self._pump = asyncio.get_running_loop().create_task(self.pump())
        return self.first_screen_ms

    async def pump(self) -> None:
        assert self.proc is not None
        while chunk := await self.proc.stdout.read(65536):
            self.received += len(chunk)
            self.scan(chunk, time.perf_counter())

    def scan(self, chunk: bytes, now: float) -> None:
        data = self._tail + chunk
        fresh_from = len(self._tail)
        self._tail = data[-TAIL:]
        tokens = [(m.start(), m.group()) for m in TOKEN.finditer(data)]
        for _, token in tokens:
            if token not in self.seen:
                self.seen[token] = now
                self.tracker.saw(token, self.name, now)
        if self.look_sent is None:
            return
        marker = TUI_LOOK if self.tui else LINE_LOOK
        last = None
        for m in marker.finditer(data):
            if m.end() > fresh_from:
                last = m
        if last is None:
            return
        stale = any(at > last.start() and self.seen[token] < self.look_sent for at, token in tokens)
        if not stale:
            if self.tracker.recording:
                self.tracker.look_ms.append((now - self.look_sent) * 1000)
            self.look_sent = None

    def send(self, line: str) -> None:
        assert self.proc is not None
        self.proc.stdin.write((line + "\r").encode())

    def look(self) -> None:
        if self.look_sent is not None:  # the last one never came back within 2 s
            self.tracker.looks_lost += 1
        self.look_sent = time.perf_counter()
        self.tracker.looks_sent += 1
        self.send("look")

    async def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            await self.conn.wait_closed()
        if self._pump is not None:
            await asyncio.gather(self._pump, return_exceptions=True)
