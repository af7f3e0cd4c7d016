"""A server component that does one step every ``interval_s`` seconds until stopped.

The step's logic lives in a plain method (``tick`` or an async ``step``) that tests call
directly after moving a fake clock; only this loop ever waits on real time.
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog

log = structlog.get_logger("sshrealm.periodic")


class Periodic:
    interval_s = 1.0

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        while True:
            await self.wait()
            try:
                await self.step()
            except Exception:  # one failed step is logged; the next one still runs
                log.exception("periodic_step_failed", component=type(self).__name__)

    async def wait(self) -> None:
        await asyncio.sleep(self.interval_s)

    async def step(self) -> None:
        """One step; the default runs the synchronous :meth:`tick`."""
        self.tick()

    def tick(self) -> object:
        raise NotImplementedError
