"""Bots for the telnet front in the SSH load benchmark: a MUD client over plain TCP.

A telnet bot is a :class:`~bench.bots.Bot` whose connection is a socket from its own
loopback address, like the SSH bots. It asks for what a MUD client asks for (``DO EOR``,
``DO GMCP``), so the run pays for prompts, GMCP Room.Info/Room.Players and Comm.Channel
messages as a Mudlet player would; the say tokens and the ``look`` reply's last line are
found in the byte stream exactly as for SSH line mode (GMCP JSON never puts ``\\r\\n`` after
a line of text).
Bots log in with a name and password; the first run creates the accounts.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time

from bench.bots import TAIL, TITLE, Bot, Tracker, bot_address

PASSWORD = "bench-password"
IAC_DO_EOR_GMCP = bytes([255, 253, 25, 255, 253, 201])
NEGOTIATION = re.compile(rb"\xff[\xfb-\xfe].", re.S)  # IAC WILL/WONT/DO/DONT <option>
PROMPT_END = bytes([255, 239])  # IAC EOR: the password prompt is complete


class TelnetBot(Bot):
    def __init__(self, n: int, tracker: Tracker) -> None:
        super().__init__(n, None, False, tracker)
        self.name = f"tbot{n:03d}"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self, port: int, within: float = 60.0) -> float:
        """Log in (creating the account the first time) and wait for the room."""
        start = time.perf_counter()
        self.reader, self.writer = await asyncio.open_connection(
            "127.0.0.1", port, local_addr=(bot_address(self.n), 0)
        )
        self.writer.write(IAC_DO_EOR_GMCP)
        seen = b""
        async with asyncio.timeout(within):
            seen = await self._until(b"What name", seen)
            self.send(self.name)
            seen = await self._until(b"assword", seen)
            seen = await self._until(PROMPT_END, seen, after=seen.rindex(b"assword"))
            if b"New password" in seen:
                self.send(PASSWORD)
                seen = await self._until(b"Repeat password", seen)
            self.send(PASSWORD)
            seen = await self._until(TITLE.encode() + b"\r\n", seen)
        self.first_screen_ms = (time.perf_counter() - start) * 1000
        self._tail = seen[-TAIL:]
        self._pump = asyncio.get_running_loop().create_task(self.pump())
        return self.first_screen_ms

    async def _until(self, marker: bytes, seen: bytes, after: int = 0) -> bytes:
        assert self.reader is not None
        while marker not in seen[after:]:
            chunk = await self.reader.read(65536)
            if not chunk:
                raise EOFError(f"{self.name}: closed before {marker!r}: {seen[-300:]!r}")
            seen += chunk
        return seen

    async def pump(self) -> None:
        assert self.reader is not None
        while chunk := await self.reader.read(65536):
            self.received += len(chunk)
            # A client consumes option negotiation (the server's late DO NEW-ENVIRON, say):
            # it is not text, and a title right after it still starts a line.
            self.scan(NEGOTIATION.sub(b"", chunk), time.perf_counter())

    def send(self, line: str) -> None:
        assert self.writer is not None
        self.writer.write((line + "\r\n").encode())

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        if self._pump is not None:
            await asyncio.gather(self._pump, return_exceptions=True)
