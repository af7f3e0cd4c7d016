"""The TUI over real SSH, read as a terminal would show it: a pyte screen fed by the channel.

Waiting is on a condition with a deadline (the bytes a client receives), never on a timer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import asyncssh
import pyte

PROMPT = "ype a command"  # the input placeholder; its first cell is drawn as the cursor
WITHIN = 15.0


class PtyScreen:
    """A PTY session's screen: ``text()`` is what a player sees, row by row."""

    def __init__(self, process: asyncssh.SSHClientProcess[bytes], size: tuple[int, int]) -> None:
        self.process = process
        self.screen = pyte.Screen(*size)
        self.stream = pyte.ByteStream(self.screen)

    @classmethod
    async def open(
        cls, conn: asyncssh.SSHClientConnection, size: tuple[int, int] = (100, 30)
    ) -> PtyScreen:
        proc = await conn.create_process(encoding=None, term_type="xterm-256color", term_size=size)
        screen = cls(proc, size)
        await screen.wait_for(lambda s: PROMPT in s, "the prompt")
        return screen

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def rows(self) -> list[str]:
        return list(self.screen.display)

    def column(self, left: int, right: int) -> str:
        """The screen between two columns, each row right-trimmed (the log, say)."""
        return "\n".join(row[left:right].rstrip() for row in self.screen.display)

    async def wait_for(self, test: Callable[[str], bool], what: str, within: float = WITHIN) -> str:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not test(self.text()):
            left = deadline - loop.time()
            if left <= 0:
                raise AssertionError(f"never saw {what}; the screen was:\n{self.text()}")
            try:
                chunk = await asyncio.wait_for(self.process.stdout.read(65536), left)
            except TimeoutError:
                continue
            if not chunk:
                raise AssertionError(f"channel closed before {what}:\n{self.text()}")
            self.stream.feed(chunk)
        return self.text()

    def send(self, text: str) -> None:
        self.process.stdin.write(text.encode())

    def type(self, line: str) -> None:
        self.send(line + "\r")
