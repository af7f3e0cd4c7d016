"""Bad plugins (raising, hanging, flooding) cannot hurt the game or other plugins."""

from __future__ import annotations

import asyncio
import statistics
import time

from bridge.bus import EventBus
from bridge.config import BridgeConfig, PluginConfig
from bridge.events import PlayerSaid
from bridge.gate import AuditRecord, RateLimit
from bridge.plugin import PluginFactory
from bridge.registry import PluginHost
from tests.bridge.fakes import FakeGame
from tests.bridge.sample_plugins import Flooder, HangStart, HangStop, Raiser, Recorder

ROUNDS = 200


async def measure(bus: EventBus, recorder: Recorder) -> tuple[float, float]:
    """Median publish() cost and median publish->delivery latency to a good plugin (s)."""
    publish_costs, latencies = [], []
    for i in range(ROUNDS):
        recorder.got.clear()
        began = time.perf_counter()
        bus.publish(PlayerSaid("ana", "hall", f"{i}", ts=float(i)))
        publish_costs.append(time.perf_counter() - began)
        await asyncio.wait_for(recorder.got.wait(), 2)
        latencies.append(time.perf_counter() - began)
    return statistics.median(publish_costs), statistics.median(latencies)


async def run_with(
    extra: dict[str, PluginFactory], game: FakeGame
) -> tuple[float, float, PluginHost]:
    bus = EventBus()
    recorders: list[Recorder] = []

    def recorder() -> Recorder:
        recorders.append(Recorder())
        return recorders[-1]

    audit: list[AuditRecord] = []
    config = BridgeConfig(
        plugins={"flooder": PluginConfig(frozenset({"tokens.grant"}), RateLimit(0.01, 5))},
        start_timeout=0.2,
        stop_timeout=0.2,
        backoff_base=0.001,
        max_restarts=1000,
    )
    host = PluginHost(
        bus=bus,
        state=game,
        handler=game,
        config=config,
        audit=audit.append,
        factories={"good": recorder, **extra},
        entry_points=lambda: [],
    )
    await host.start()
    publish, latency = await measure(bus, recorders[-1])
    await host.stop()
    return publish, latency, host


async def test_bad_plugins_do_not_slow_publishing_or_delivery(game: FakeGame) -> None:
    base_publish, base_latency, _ = await run_with({}, game)
    release = asyncio.Event()
    flooders: list[Flooder] = []

    def flooder() -> Flooder:
        flooders.append(Flooder())
        return flooders[-1]

    bad: dict[str, PluginFactory] = {
        "raiser": Raiser,
        "hang-start": lambda: HangStart(release),
        "hang-stop": HangStop,
        "flooder": flooder,
    }
    publish, latency, host = await run_with(bad, FakeGame())
    release.set()
    states = {s.name: s.state for s in host.status()}
    assert states["good"] == "stopped"
    assert states["hang-start"] == "failed"
    assert states["hang-stop"] == "failed"
    assert sum(s.errors for s in host.status() if s.name == "raiser") > 1  # kept restarting
    # The flooder ran hard the whole time, yet only its burst reached the game.
    assert flooders[0].sent > ROUNDS
    assert host.gate.counts["rate-limited"] > ROUNDS
    assert host.gate.counts.get("ok", 0) <= 5 + 1
    # publish() is a few microseconds either way; generous bounds keep CI steady.
    assert publish < base_publish * 5 + 20e-6, (publish, base_publish)
    assert latency < base_latency * 20 + 5e-3, (latency, base_latency)
