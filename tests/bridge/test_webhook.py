"""WebhookRelay against a local aiohttp server on port 0."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiohttp import web

from bridge.builtin.webhook import WebhookRelay
from bridge.bus import EventBus
from bridge.config import BridgeConfig, PluginConfig
from bridge.events import PlayerMoved, PlayerSaid, PlayerTold
from bridge.registry import PluginHost
from tests.bridge.fakes import FakeGame


class Sink:
    """Records posted JSON; answers with ``status`` or hangs while ``hang`` is set."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.status = 200
        self.hang = False
        self.release = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        if self.hang:
            await self.release.wait()
        self.bodies.append(await request.json())
        assert request.headers["X-Secret"] == "s3"
        return web.Response(status=self.status)


@asynccontextmanager
async def sink_server(sink: Sink) -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_post("/hook", sink.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    finally:
        sink.release.set()
        await runner.cleanup()


@asynccontextmanager
async def relay(game: FakeGame, bus: EventBus, **settings: Any) -> AsyncIterator[WebhookRelay]:
    config = BridgeConfig(
        plugins={"webhook": PluginConfig(settings={"headers": {"X-Secret": "s3"}, **settings})}
    )
    host = PluginHost(
        bus=bus,
        state=game,
        handler=game,
        config=config,
        factories={"webhook": WebhookRelay},
        entry_points=lambda: [],
    )
    await host.start()
    plugin = host.plugin("webhook")
    assert isinstance(plugin, WebhookRelay), host.status()
    try:
        yield plugin
    finally:
        await host.stop()


async def test_relays_chosen_events_as_json(game: FakeGame, bus: EventBus) -> None:
    sink = Sink()
    async with sink_server(sink) as url, relay(game, bus, url=url, events=["player-said"]) as hook:
        bus.publish(PlayerMoved("ana", "hall", "yard", "north", ts=1.0))
        bus.publish(PlayerSaid("ana", "yard", "hi", ts=2.0))
        await asyncio.wait_for(hook.wait_for_attempts(1), 2)
    assert sink.bodies == [
        {"type": "player-said", "ts": 2.0, "data": {"player": "ana", "room": "yard", "text": "hi"}}
    ]
    assert (hook.sent, hook.failed) == (1, 0)


async def test_private_events_only_when_listed(game: FakeGame, bus: EventBus) -> None:
    sink = Sink()
    async with sink_server(sink) as url, relay(game, bus, url=url) as hook:
        bus.publish(PlayerTold("ana", "bo", "secret", ts=1.0))
        bus.publish(PlayerSaid("ana", "yard", "hi", ts=2.0))
        await asyncio.wait_for(hook.wait_for_attempts(1), 2)
    assert [b["type"] for b in sink.bodies] == ["player-said"]


async def test_failures_are_counted_and_relay_continues(game: FakeGame, bus: EventBus) -> None:
    sink = Sink()
    async with sink_server(sink) as url, relay(game, bus, url=url, timeout=0.2) as hook:
        sink.status = 500
        bus.publish(PlayerSaid("ana", "yard", "one", ts=1.0))
        await asyncio.wait_for(hook.wait_for_attempts(1), 2)
        sink.status, sink.hang = 200, True
        bus.publish(PlayerSaid("ana", "yard", "two", ts=2.0))
        await asyncio.wait_for(hook.wait_for_attempts(2), 2)  # the 0.2 s timeout fires
        sink.hang = False
        sink.release.set()
        bus.publish(PlayerSaid("ana", "yard", "three", ts=3.0))
        await asyncio.wait_for(hook.wait_for_attempts(3), 2)
    assert (hook.sent, hook.failed) == (1, 2)
    assert "TimeoutError" in hook.last_error or "Timeout" in hook.last_error


async def test_unreachable_endpoint_is_counted(game: FakeGame, bus: EventBus) -> None:
    sink = Sink()
    async with sink_server(sink) as url:
        pass  # the server is gone: connections are refused
    async with relay(game, bus, url=url, timeout=1) as hook:
        bus.publish(PlayerSaid("ana", "yard", "hi", ts=1.0))
        await asyncio.wait_for(hook.wait_for_attempts(1), 2)
    assert (hook.sent, hook.failed) == (0, 1)
    assert "Connect" in hook.last_error


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"url": "ftp://x/y"},
        {"url": "http://x/", "events": ["nope"]},
        {"url": "http://x/", "timeout": 0},
        {"url": "http://x/", "colour": "red"},
    ],
)
async def test_bad_settings_fail_the_plugin(
    game: FakeGame, bus: EventBus, settings: dict[str, Any]
) -> None:
    config = BridgeConfig(plugins={"webhook": PluginConfig(settings=settings)}, max_restarts=0)
    host = PluginHost(
        bus=bus,
        state=game,
        handler=game,
        config=config,
        factories={"webhook": WebhookRelay},
        entry_points=lambda: [],
    )
    await host.start()
    [status] = host.status()
    assert status.state == "failed"
    assert "webhook settings" in status.last_error
    await host.stop()
