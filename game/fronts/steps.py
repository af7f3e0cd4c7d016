"""Typed commands run one per event-loop turn, in order, with a bounded queue.

A batch of typed lines (a paste, a MUD client, ``printf ... | ssh``) is queued and run one
line per loop turn, so other players' commands and timers interleave with a long batch
instead of waiting behind it, and an end of input (EOF) or ``quit`` in the batch comes after
every line before it. Each line is one step of the outbox (game/core/outbox.py), so its reply
and what followed from it are out before the next line runs.

The queue is bounded: the front end is told when it holds ``high`` calls (pause reading
from the client) and when it is back under ``low`` (resume), and :meth:`add` refuses a call
past ``limit`` so a client that floods newlines cannot grow the server's memory.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable


class Steps:
    """A queue of calls run one per loop turn (all at once when no loop is running)."""

    def __init__(
        self,
        *,
        high: int = 64,
        low: int = 16,
        limit: int = 1000,
        pause: Callable[[], None] = lambda: None,
        resume: Callable[[], None] = lambda: None,
    ) -> None:
        self._queue: deque[Callable[[], None]] = deque()
        self._handle: asyncio.Handle | None = None
        self.high, self.low, self.limit = high, low, limit
        self._pause, self._resume = pause, resume
        self.paused = False

    def __len__(self) -> int:
        return len(self._queue)

    def add(self, call: Callable[[], None]) -> bool:
        """Queue ``call``; False (and nothing queued) when ``limit`` calls already wait."""
        if len(self._queue) >= self.limit:
            return False
        self._queue.append(call)
        if len(self._queue) >= self.high and not self.paused:
            self.paused = True
            self._pause()
        self._kick()
        return True

    def cancel(self) -> None:
        """Forget what is queued (the connection is gone)."""
        self._queue.clear()
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _kick(self) -> None:
        if self._handle is not None or not self._queue:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # tests and tools without a loop: nothing can be deferred
            while self._queue:
                self._queue.popleft()()
            return
        self._handle = loop.call_soon(self._run_one)

    def _run_one(self) -> None:
        self._handle = None
        if not self._queue:
            return
        call = self._queue.popleft()
        if self.paused and len(self._queue) <= self.low:
            self.paused = False
            self._resume()
        try:
            call()
        finally:
            self._kick()  # after what the call deferred: call_soon keeps order
