"""APScheduler 3.x wiring for the reflection cycle (the only module that imports apscheduler).

Recipe from research/ledger_economy.md section 5: an ``AsyncIOScheduler`` with a memory job
store, one interval job re-added at start with a fixed id; coalesce, max_instances=1 and a
120 s misfire grace (the default of 1 s silently skips runs after a slow loop). APScheduler's
``shutdown`` cancels a running coroutine job, so ``stop`` first pauses the scheduler and
waits for the cycle in flight, then shuts down.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger("sshrealm.reflection")

JOB_ID = "reflection"
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 120}


class CycleScheduler:
    """Runs ``job`` every ``interval_s`` seconds on the running loop; never two at once."""

    def __init__(self, job: Callable[[], Awaitable[object]], interval_s: int) -> None:
        if interval_s <= 0:
            raise ValueError("the reflection interval must be a positive number of seconds")
        self.job = job
        self.interval_s = interval_s
        self.scheduler = AsyncIOScheduler(timezone=UTC, job_defaults=dict(JOB_DEFAULTS))
        self.in_flight: asyncio.Task[object] | None = None

    async def _tick(self) -> None:
        task: asyncio.Task[object] = asyncio.ensure_future(self.job())
        self.in_flight = task
        try:
            await asyncio.shield(task)
        except Exception:
            log.exception("reflection cycle failed; the next one runs on schedule")
        finally:
            if self.in_flight is task:
                self.in_flight = None

    def start(self, *, paused: bool = False, first_run: datetime | None = None) -> None:
        """Start inside the running loop. The first cycle runs one interval from now unless
        ``first_run`` says otherwise."""
        self.scheduler.add_job(
            self._tick,
            "interval",
            seconds=self.interval_s,
            id=JOB_ID,
            replace_existing=True,
            next_run_time=first_run or datetime.now(UTC) + timedelta(seconds=self.interval_s),
        )
        self.scheduler.start(paused=paused)

    @property
    def job_settings(self) -> dict[str, Any]:
        job = self.scheduler.get_job(JOB_ID)
        return {
            "interval": job.trigger.interval,
            "coalesce": job.coalesce,
            "max_instances": job.max_instances,
            "misfire_grace_time": job.misfire_grace_time,
            "next_run_time": job.next_run_time,
        }

    def run_soon(self) -> None:
        """Make the job due now (tests and ``reflect`` requests), then resume."""
        job = self.scheduler.get_job(JOB_ID)
        job.modify(next_run_time=datetime.now(UTC))
        self.scheduler.resume()

    async def stop(self, grace_s: float = 30.0) -> None:
        """No new runs; wait (bounded) for a running cycle to finish; then shut down."""
        if not self.scheduler.running:
            return
        self.scheduler.pause()
        task = self.in_flight
        if task is not None and not task.done():
            done, _ = await asyncio.wait({task}, timeout=grace_s)
            if not done:
                log.warning("reflection cycle still running after %.0f s; cancelling it", grace_s)
                task.cancel()
        self.scheduler.shutdown(wait=False)
        await asyncio.sleep(0)  # shutdown is deferred through call_soon_threadsafe
