"""Running untrusted plugin coroutines with a deadline.

``asyncio.wait_for`` waits for the cancelled coroutine to finish unwinding, so a plugin
that swallows ``CancelledError`` (or blocks in ``finally``) would hang the host anyway.
``bounded`` cancels and walks away instead, keeping a reference to the abandoned task so
it is neither garbage-collected mid-flight nor reported as a never-retrieved exception.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any


class Abandoned:
    """Tasks given up on, kept alive until they end by themselves."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Future[Any]] = set()

    def add(self, task: asyncio.Future[Any]) -> None:
        task.cancel()
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Future[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: no "exception was never retrieved" noise

    def __len__(self) -> int:
        return len(self._tasks)


async def bounded(
    call: Callable[[], Awaitable[None]], limit: float, abandoned: Abandoned
) -> BaseException | None:
    """Await ``call()`` for at most ``limit`` seconds.

    Returns the exception it raised (even a non-async function raising at once),
    ``TimeoutError`` if it did not finish in time, or ``None`` on success.
    """
    try:
        task = asyncio.ensure_future(call())
    except Exception as exc:
        return exc
    try:
        done, _ = await asyncio.wait({task}, timeout=limit)
    except asyncio.CancelledError:
        abandoned.add(task)
        raise
    if not done:
        abandoned.add(task)
        return TimeoutError(f"timed out after {limit}s")
    return None if task.cancelled() else task.exception()
