"""Plugins that crash, hang or flood the game with requests, in the real server, while a
player plays over real SSH: the player's round trip must stay quick and the game intact."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import asyncssh

from bridge.events import PlayerSaid
from bridge.plugin import PluginContext, PluginFactory
from bridge.requests import GrantTokens, PostToRoom
from game.app import Server
from game.core.config import Settings
from tests.e2e.conftest import Reader, connect
from tests.game.engine.bridging.harness import bridged_server, bridged_settings

LOOKS = 40
P95_LIMIT_MS = 250.0


class Crasher:
    """Its task raises at once, every run: the host keeps restarting it."""

    name = "crasher"
    runs = 0

    async def start(self, ctx: PluginContext) -> None:
        Crasher.runs += 1
        ctx.spawn(self._boom())

    async def _boom(self) -> None:
        await asyncio.sleep(0)
        raise RuntimeError("plugin bug")

    async def stop(self) -> None:
        pass


class Hanger:
    """Never returns from start."""

    name = "hanger"

    async def start(self, ctx: PluginContext) -> None:
        await asyncio.Event().wait()

    async def stop(self) -> None:
        pass


class Sleeper:
    """Subscribes to every event and never reads one (its queue fills and drops)."""

    name = "sleeper"

    async def start(self, ctx: PluginContext) -> None:
        self.sub = ctx.subscribe(maxsize=10)
        ctx.spawn(asyncio.Event().wait())

    async def stop(self) -> None:
        pass


class Flooder:
    """Asks the game to act as fast as the loop lets it, forever."""

    name = "flooder"
    outcomes: dict[str, int] = {}

    async def start(self, ctx: PluginContext) -> None:
        ctx.spawn(self._flood(ctx))

    async def _flood(self, ctx: PluginContext) -> None:
        n = 0
        while True:
            n += 1
            if n % 2:
                req: Any = PostToRoom("town:loft", "spam")
            else:
                req = GrantTokens("bob", 1, "flood", request_id=f"f{n}")
            result = await ctx.request(req)
            Flooder.outcomes[result.outcome] = Flooder.outcomes.get(result.outcome, 0) + 1

    async def stop(self) -> None:
        pass


BAD: Mapping[str, PluginFactory] = {
    "crasher": Crasher,
    "hanger": Hanger,
    "sleeper": Sleeper,
    "flooder": Flooder,
}


def settings_for(path: Path) -> Settings:
    """Fast supervision so the crasher restarts many times during the measurement."""
    caps = {"capabilities": ["post", "tokens.grant"]}
    extra: dict[str, Any] = {}
    if "commands_per_second" in Settings.__dataclass_fields__:
        extra["commands_per_second"] = 0  # measure the bridge, not the per-session limit
    settings = bridged_settings(
        path,
        plugins={"flooder": caps},
        start_timeout=0.3,
        backoff_base=0.02,
        backoff_max=0.02,
        max_restarts=100_000,
    )
    return settings if not extra else type(settings)(**{**settings.__dict__, **extra})


async def look_times(server: Server, key: asyncssh.SSHKey) -> list[float]:
    """Round trips of ``look`` over SSH line mode, in milliseconds."""
    async with await connect(server.ssh_port, "ana", key) as conn:
        reader = Reader(await conn.create_process(encoding=None))
        await reader.until("Exits:")
        times = []
        for _ in range(LOOKS):
            began = time.perf_counter()
            reader.send("look")
            await reader.until("Exits:")
            times.append((time.perf_counter() - began) * 1000)
            reader.send("say still here")
            await reader.until("still here")
    return times


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


async def test_bad_plugins_do_not_slow_ssh_players(tmp_path: Path) -> None:
    key = asyncssh.generate_private_key("ssh-ed25519")
    async with bridged_server(settings_for(tmp_path / "calm")) as calm:
        baseline = await look_times(calm, key)
    Flooder.outcomes.clear()
    bad = settings_for(tmp_path / "bad")
    async with bridged_server(bad, factories=BAD, accounts=("bob",)) as server:
        stressed = await look_times(server, key)
        states = {s.name: s for s in server.bridge.status()}
        sleeper = states["sleeper"].subscriptions[0]
        server.game.publish(PlayerSaid(ts=server.game.now(), player="x", room="y", text="z"))
        bob_balance = server.game.wallet.balance("bob")
    figures = (
        f"look p50/p95 ms: calm {statistics.median(baseline):.1f}/{p95(baseline):.1f}, "
        f"bad plugins {statistics.median(stressed):.1f}/{p95(stressed):.1f}; "
        f"crasher runs {Crasher.runs}; flooder {Flooder.outcomes}"
    )
    assert p95(stressed) < P95_LIMIT_MS, figures
    assert states["hanger"].state == "failed"
    assert "start hung" in states["hanger"].last_error
    assert Crasher.runs >= 3
    assert states["crasher"].errors >= 2
    assert states["flooder"].state == "running"
    assert states["http"].state == "running"
    assert Flooder.outcomes.get("rate-limited", 0) > Flooder.outcomes.get("ok", 0) > 0
    assert sleeper.dropped > 0  # it fell behind; nobody waited for it
    assert 0 < bob_balance <= Flooder.outcomes["ok"]
