"""Plugins that behave well and badly, for host tests (also loaded via entry points)."""

from __future__ import annotations

import asyncio

from bridge.events import PlayerSaid
from bridge.plugin import PluginContext
from bridge.requests import GrantTokens


class Recorder:
    """Collects every PlayerSaid it sees."""

    name = "recorder"

    def __init__(self) -> None:
        self.seen: list[PlayerSaid] = []
        self.got = asyncio.Event()
        self.stopped = False

    async def start(self, ctx: PluginContext) -> None:
        self.ctx = ctx
        ctx.spawn(self._pump(ctx))

    async def _pump(self, ctx: PluginContext) -> None:
        async for event in ctx.subscribe(PlayerSaid):
            assert isinstance(event, PlayerSaid)
            self.seen.append(event)
            self.got.set()

    async def stop(self) -> None:
        self.stopped = True


class Raiser:
    """Fails in start, every time."""

    name = "raiser"

    async def start(self, ctx: PluginContext) -> None:
        ctx.subscribe(PlayerSaid)
        raise RuntimeError("cannot start")

    async def stop(self) -> None:
        pass


class CrashLater:
    """Starts fine; its spawned task raises once ``trigger`` is set."""

    name = "crash-later"

    def __init__(self, trigger: asyncio.Event, instances: list[CrashLater]) -> None:
        self.trigger = trigger
        instances.append(self)

    async def start(self, ctx: PluginContext) -> None:
        ctx.spawn(self._work())

    async def _work(self) -> None:
        await self.trigger.wait()
        self.trigger.clear()
        raise ValueError("boom in task")

    async def stop(self) -> None:
        pass


class HangStart:
    """Never finishes start, and even ignores cancellation until ``release`` is set."""

    name = "hang-start"

    def __init__(self, release: asyncio.Event) -> None:
        self.release = release

    async def start(self, ctx: PluginContext) -> None:
        while not self.release.is_set():
            try:
                await self.release.wait()
            except asyncio.CancelledError:
                continue

    async def stop(self) -> None:
        pass


class HangStop:
    """Starts fine, never stops."""

    name = "hang-stop"

    async def start(self, ctx: PluginContext) -> None:
        pass

    async def stop(self) -> None:
        await asyncio.Event().wait()


class Flooder:
    """Asks for tokens in a tight loop, forever."""

    name = "flooder"

    def __init__(self) -> None:
        self.sent = 0

    async def start(self, ctx: PluginContext) -> None:
        ctx.spawn(self._flood(ctx))

    async def _flood(self, ctx: PluginContext) -> None:
        while True:
            await ctx.request(GrantTokens("ana", 1, "flood"))
            self.sent += 1

    async def stop(self) -> None:
        pass
