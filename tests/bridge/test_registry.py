"""The plugin host: discovery, allow-list, supervision, restarts with backoff."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from importlib.metadata import EntryPoint

from bridge.bus import EventBus
from bridge.config import BridgeConfig
from bridge.events import PlayerSaid
from bridge.plugin import PluginFactory
from bridge.registry import GROUP, PluginHost
from tests.bridge.fakes import FakeClock, FakeGame
from tests.bridge.sample_plugins import CrashLater, HangStart, HangStop, Raiser, Recorder


def make_host(
    bus: EventBus,
    game: FakeGame,
    factories: Mapping[str, PluginFactory] | None = None,
    delays: list[float] | None = None,
    clock: FakeClock | None = None,
    **cfg: object,
) -> PluginHost:
    async def sleep(seconds: float) -> None:
        if delays is not None:
            delays.append(seconds)
        await asyncio.sleep(0)

    config = BridgeConfig(**{"start_timeout": 0.2, "stop_timeout": 0.2, **cfg})  # type: ignore[arg-type]
    return PluginHost(
        bus=bus,
        state=game,
        handler=game,
        config=config,
        factories=factories,
        clock=clock or FakeClock(),
        sleep=sleep,
        entry_points=lambda: [],
    )


async def test_entry_points_are_filtered_by_allow_list(bus: EventBus, game: FakeGame) -> None:
    eps = [
        EntryPoint("recorder", "tests.bridge.sample_plugins:Recorder", GROUP),
        EntryPoint("broken", "tests.bridge.no_such_module:Plugin", GROUP),
        EntryPoint("unlisted", "tests.bridge.sample_plugins:Recorder", GROUP),
    ]
    host = PluginHost(
        bus=bus,
        state=game,
        handler=game,
        config=BridgeConfig(enabled=("recorder", "broken", "missing")),
        entry_points=lambda: eps,
    )
    await host.start()
    states = {s.name: (s.state, s.last_error) for s in host.status()}
    assert set(states) == {"recorder", "broken", "missing"}
    assert states["recorder"] == ("running", "")
    assert states["broken"][0] == "failed"
    assert "load failed" in states["broken"][1]
    assert "not installed" in states["missing"][1]
    plugin = host.plugin("recorder")
    assert isinstance(plugin, Recorder)
    bus.publish(PlayerSaid("ana", "hall", "hi", ts=1.0))
    await asyncio.wait_for(plugin.got.wait(), 1)
    await host.stop()
    assert plugin.stopped
    assert {s.state for s in host.status()} == {"stopped", "failed"}
    assert bus.subscriber_count == 0


async def test_failing_start_restarts_with_exponential_backoff(
    bus: EventBus, game: FakeGame
) -> None:
    delays: list[float] = []
    host = make_host(bus, game, {"raiser": Raiser}, delays, backoff_base=0.5, max_restarts=3)
    await host.start()
    async with asyncio.timeout(2):
        await host.wait_for_state("raiser", "failed")
    [status] = host.status()
    assert delays == [0.5, 1.0, 2.0]
    assert (status.errors, status.restarts) == (4, 3)
    assert "gave up after 4 failures" in status.last_error
    assert "cannot start" in status.last_error
    assert bus.subscriber_count == 0  # each failed run's subscriptions were closed


async def test_backoff_is_capped(bus: EventBus, game: FakeGame) -> None:
    delays: list[float] = []
    host = make_host(
        bus, game, {"raiser": Raiser}, delays, backoff_base=1, backoff_max=3, max_restarts=4
    )
    await host.start()
    async with asyncio.timeout(2):
        await host.wait_for_state("raiser", "failed")
    assert delays == [1, 2, 3, 3]


async def test_crash_in_spawned_task_restarts_fresh_instance(bus: EventBus, game: FakeGame) -> None:
    trigger, instances = asyncio.Event(), list[CrashLater]()
    clock = FakeClock()
    delays: list[float] = []
    host = make_host(
        bus,
        game,
        {"c": lambda: CrashLater(trigger, instances)},
        delays,
        clock,
        backoff_base=1,
        healthy_after=60,
    )
    await host.start()
    for _ in range(2):
        trigger.set()
        async with asyncio.timeout(2):
            await host.wait_for_state("c", "backoff")
            await host.wait_for_state("c", "running")
    assert delays == [1, 2]
    clock.advance(61)  # healthy for long enough: the next crash starts the backoff over
    trigger.set()
    async with asyncio.timeout(2):
        await host.wait_for_state("c", "backoff")
        await host.wait_for_state("c", "running")
    assert delays == [1, 2, 1]
    assert len(instances) == 4
    [status] = host.status()
    assert (status.errors, status.restarts, status.state) == (3, 3, "running")
    assert "boom in task" in status.last_error
    await host.stop()


async def test_hanging_start_is_timed_out_and_others_run(bus: EventBus, game: FakeGame) -> None:
    release = asyncio.Event()
    host = make_host(bus, game, {"hang": lambda: HangStart(release), "rec": Recorder})
    began = time.perf_counter()
    await host.start()
    assert time.perf_counter() - began < 1.0
    states = {s.name: s for s in host.status()}
    assert states["hang"].state == "failed"
    assert "start hung" in states["hang"].last_error
    assert states["rec"].state == "running"
    await host.stop()
    release.set()
    await asyncio.sleep(0)


async def test_hanging_stop_is_timed_out(bus: EventBus, game: FakeGame) -> None:
    host = make_host(bus, game, {"hs": HangStop, "rec": Recorder})
    await host.start()
    began = time.perf_counter()
    await host.stop()
    assert time.perf_counter() - began < 1.0
    states = {s.name: s for s in host.status()}
    assert (states["hs"].state, states["hs"].errors) == ("failed", 1)
    assert "stop hung" in states["hs"].last_error
    assert states["rec"].state == "stopped"


async def test_factory_error_is_contained(bus: EventBus, game: FakeGame) -> None:
    def bad() -> Recorder:
        raise ImportError("missing dependency")

    host = make_host(bus, game, {"bad": bad}, max_restarts=0)
    await host.start()
    [status] = host.status()
    assert status.state == "failed"
    assert "missing dependency" in status.last_error


async def test_admin_restart_and_status(bus: EventBus, game: FakeGame) -> None:
    host = make_host(bus, game, {"rec": Recorder})
    await host.start()
    first = host.plugin("rec")
    assert await host.restart("rec")
    second = host.plugin("rec")
    assert second is not None
    assert second is not first
    [status] = host.status()
    assert (status.state, status.tasks, len(status.subscriptions)) == ("running", 1, 1)
    assert not await host.restart("nope")
    await host.stop()
    assert host.plugin("rec") is None


class SyncStart:
    """Forgot ``async``: start raises at once instead of returning a coroutine."""

    name = "sync"

    def start(self, ctx: object) -> None:
        raise RuntimeError("not async")

    async def stop(self) -> None:
        pass


async def test_non_plugins_are_contained(bus: EventBus, game: FakeGame) -> None:
    host = make_host(
        bus,
        game,
        {"sync": SyncStart, "object": object},
        max_restarts=0,  # type: ignore[dict-item]
    )
    await host.start()
    states = {s.name: (s.state, s.last_error) for s in host.status()}
    assert states["sync"][0] == "failed"
    assert "not async" in states["sync"][1]
    assert states["object"][0] == "failed"
    assert "AttributeError" in states["object"][1]
    await host.stop()


async def test_start_again_after_stop_and_not_twice(bus: EventBus, game: FakeGame) -> None:
    host = make_host(bus, game, {"rec": Recorder})
    await host.start()
    first = host.plugin("rec")
    await host.start()  # already running: nothing happens
    assert host.plugin("rec") is first
    await host.stop()
    await host.start()
    second = host.plugin("rec")
    assert second is not None
    assert second is not first
    await host.stop()


async def test_one_run_fails_once_and_a_failing_factory_backs_off(
    bus: EventBus, game: FakeGame
) -> None:
    trigger, instances = asyncio.Event(), list[CrashLater]()
    calls = [0]

    def factory() -> CrashLater:
        calls[0] += 1
        if calls[0] == 2:
            raise ImportError("flaky dependency")
        return CrashLater(trigger, instances)

    delays: list[float] = []
    host = make_host(bus, game, {"c": factory}, delays, backoff_base=1)
    await host.start()
    trigger.set()
    async with asyncio.timeout(2):
        await host.wait_for_state("c", "backoff")
        await host.wait_for_state("c", "running")
    [status] = host.status()
    assert delays == [1, 2]  # crash in task, then the factory raised once
    assert (status.errors, status.restarts, calls[0]) == (2, 2, 3)
    await host.stop()
