"""The event bus: fan-out, filtering, bounded queues that drop the oldest."""

from __future__ import annotations

import asyncio

import pytest

from bridge.bus import EventBus
from bridge.events import PlayerJoined, PlayerMoved, PlayerSaid


def said(i: int) -> PlayerSaid:
    return PlayerSaid("ana", "hall", f"line {i}", ts=float(i))


async def test_subscribers_get_only_their_types(bus: EventBus) -> None:
    speech = bus.subscribe(PlayerSaid)
    everything = bus.subscribe()
    bus.publish(said(1))
    bus.publish(PlayerMoved("ana", "hall", "yard", "north", ts=2.0))
    assert speech.depth == 1
    assert everything.depth == 2
    assert await speech.get() == said(1)


async def test_overflow_drops_oldest_and_counts(bus: EventBus) -> None:
    sub = bus.subscribe(PlayerSaid, maxsize=3)
    for i in range(5):
        bus.publish(said(i))
    assert sub.dropped == 2
    assert [(await sub.get()).text for _ in range(3)] == ["line 2", "line 3", "line 4"]
    assert bus.stats().subscribers[0].dropped == 2


async def test_publish_never_raises(bus: EventBus) -> None:
    bus.publish("not an event")  # type: ignore[arg-type]
    assert bus.errors == 1
    assert bus.published == 0


def test_publish_works_without_a_running_loop(bus: EventBus) -> None:
    sub = bus.subscribe()
    bus.publish(said(1))
    assert sub.get_nowait() == said(1)


async def test_close_ends_iteration_and_unsubscribes(bus: EventBus) -> None:
    sub = bus.subscribe(PlayerSaid)
    seen: list[str] = []

    async def read() -> None:
        async for event in sub:
            assert isinstance(event, PlayerSaid)
            seen.append(event.text)

    reader = asyncio.create_task(read())
    bus.publish(said(1))
    await asyncio.sleep(0)
    bus.unsubscribe(sub)
    await asyncio.wait_for(reader, 1)
    assert seen == ["line 1"]
    assert bus.subscriber_count == 0
    bus.publish(said(2))
    assert sub.depth == 0


async def test_close_on_full_queue_still_drains_then_ends(bus: EventBus) -> None:
    sub = bus.subscribe(maxsize=2)
    bus.publish(said(1))
    bus.publish(said(2))
    sub.close()
    assert [e async for e in sub] == [said(1), said(2)]
    assert sub.dropped == 0


async def test_context_manager_closes(bus: EventBus) -> None:
    async with bus.subscribe(PlayerJoined) as sub:
        assert bus.subscriber_count == 1
    assert sub.closed
    assert bus.subscriber_count == 0


def test_subscribe_rejects_non_events(bus: EventBus) -> None:
    with pytest.raises(TypeError):
        bus.subscribe(str)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="maxsize"):
        bus.subscribe(maxsize=0)


async def test_a_stalled_subscriber_does_not_hold_back_others(bus: EventBus) -> None:
    stalled = bus.subscribe(maxsize=10)
    live = bus.subscribe(maxsize=10_000)
    for i in range(5000):
        bus.publish(said(i))
    assert live.depth == 5000
    assert stalled.depth == 10
    assert stalled.dropped == 4990
    stats = bus.stats()
    assert stats.published == 5000
    assert {s.depth for s in stats.subscribers} == {10, 5000}
