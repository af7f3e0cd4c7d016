"""APScheduler wiring without waiting for real time: settings, a forced run, clean stop."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bridge.events import ReflectionReportWritten
from game.engine.game import Game
from game.engine.reflecting import Reflection
from reflection.schedule import CycleScheduler


async def test_schedule_job_settings_follow_the_recipe() -> None:
    sched = CycleScheduler(lambda: asyncio.sleep(0), 300)
    sched.start(paused=True)
    try:
        settings = sched.job_settings
        assert settings["interval"] == timedelta(seconds=300)
        assert settings["coalesce"] is True
        assert settings["max_instances"] == 1
        assert settings["misfire_grace_time"] == 120
    finally:
        await sched.stop()


async def test_schedule_run_soon_runs_the_job_and_survives_a_failure() -> None:
    ran: list[int] = []
    done = asyncio.Event()

    async def job() -> None:
        ran.append(1)
        done.set()
        raise RuntimeError("one bad cycle")

    sched = CycleScheduler(job, 300)
    sched.start(paused=True)
    sched.run_soon()
    await asyncio.wait_for(done.wait(), 5)
    await asyncio.sleep(0)
    assert ran == [1]
    assert sched.scheduler.get_job("reflection") is not None  # still scheduled after the error
    await sched.stop()
    assert not sched.scheduler.running


async def test_schedule_stop_waits_for_the_running_cycle() -> None:
    started, release = asyncio.Event(), asyncio.Event()
    finished: list[bool] = []

    async def job() -> None:
        started.set()
        await release.wait()
        finished.append(True)

    sched = CycleScheduler(job, 300)
    sched.start(paused=True)
    sched.run_soon()
    await asyncio.wait_for(started.wait(), 5)
    stopping = asyncio.create_task(sched.stop())
    await asyncio.sleep(0)
    assert not stopping.done()  # waiting for the cycle, not cancelling it
    release.set()
    await asyncio.wait_for(stopping, 5)
    assert finished == [True]


def test_schedule_refuses_a_zero_interval() -> None:
    with pytest.raises(ValueError, match="positive"):
        CycleScheduler(lambda: asyncio.sleep(0), 0)


async def test_schedule_drives_the_real_component_to_a_stored_report(game: Game) -> None:
    """The server's component on its scheduler: made due now, it writes both reports."""
    written = asyncio.Event()
    game.listeners.append(
        lambda e: written.set() if isinstance(e, ReflectionReportWritten) else None
    )
    refl = Reflection(game)
    assert refl.scheduler.interval_s == game.settings.reflection_interval_s
    refl.scheduler.start(paused=True)
    refl.scheduler.run_soon()
    await asyncio.wait_for(written.wait(), 10)
    await refl.stop()
    rows = game.conn.execute("SELECT analyst FROM refl_reports ORDER BY 1").fetchall()
    assert rows == [("cal",), ("domingo",)]
