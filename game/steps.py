"""One typed command per event-loop turn, so each command's output arrives in order.

A command may defer lines to "after the current step" (``Game.tell_after``: a first-visit
reward after the room it rewards, "Quest complete" after "You hand over"); those go through
``loop.call_soon``. Running a batch of typed lines (a paste, a MUD client, ``printf ... |
ssh``) in one go would put every deferred line after the *last* command's reply, or drop it
when the batch ends in ``quit``. :class:`Steps` runs one queued call per loop turn and
schedules the next one only after the current call returned, so everything the current
call deferred (scheduled before the next step, and ``call_soon`` is first in, first out)
is delivered before the next command runs.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable


class Steps:
    """A queue of calls run one per loop turn (all at once when no loop is running)."""

    def __init__(self) -> None:
        self._queue: deque[Callable[[], None]] = deque()
        self._handle: asyncio.Handle | None = None

    def __len__(self) -> int:
        return len(self._queue)

    def add(self, call: Callable[[], None]) -> None:
        self._queue.append(call)
        self._kick()

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
        try:
            call()
        finally:
            self._kick()  # after what the call deferred: call_soon keeps order
