"""Bridge benchmark: bus throughput to many subscribers, and publish -> WebSocket latency.

Run from the repository root: ``PYTHONPATH=. python -m bench.bus_bench [--quick]``.
Results land in ``bench/results/bus.json``.

* ``throughput``: events/s through one ``EventBus`` to 10 subscribers that each drain their
  own queue concurrently (``async for``), the publisher yielding to the loop every 100
  events as the game would between commands. Target >= 50,000 events/s.
* ``ws_latency``: time from ``bus.publish`` to the message in an aiohttp WebSocket client
  of the built-in HTTP plugin over loopback: one event at a time to one client ("idle"),
  then steady loads (``LOADS``) to clients in a separate process. Target p95 <= 50 ms for
  idle and the first three loads; the last ("stress", 10,000 frames/s) shows the edge.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from typing import Any

import aiohttp

from bridge.builtin.http_api import HttpApiPlugin
from bridge.bus import EventBus, Subscription
from bridge.config import BridgeConfig, PluginConfig
from bridge.events import PlayerSaid
from bridge.registry import PluginHost
from bridge.requests import Request, RequestResult
from bridge.state import PlayerInfo

TARGETS = {"events_per_s": 50_000, "ws_p95_ms": 50.0}  # >=, <=
# (name, events/s, clients): the target applies to the first three; "stress" finds the edge.
LOADS = (
    ("busy_1_client", 1_000, 1),
    ("dashboards_10_clients", 100, 10),
    ("busy_10_clients", 500, 10),
    ("stress_10_clients", 1_000, 10),
)


class _Game:
    """Just enough StateView and RequestHandler for the HTTP plugin to start."""

    def players(self) -> list[PlayerInfo]:
        return []

    def player(self, name: str) -> PlayerInfo | None:
        return None

    async def apply(self, plugin: str, request: Request) -> RequestResult:
        return RequestResult(True)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _throughput(n: int, subscribers: int) -> dict[str, float]:
    bus = EventBus()
    subs = [bus.subscribe(PlayerSaid, maxsize=1000) for _ in range(subscribers)]
    events = [PlayerSaid("ana", "hall", "x", ts=float(i)) for i in range(n)]

    async def drain(sub: Subscription[PlayerSaid]) -> int:
        got = 0
        async for _ in sub:
            got += 1
            if got == n:
                break
        return got

    readers = [asyncio.create_task(drain(s)) for s in subs]
    await asyncio.sleep(0)
    began = time.perf_counter()
    for i, event in enumerate(events):
        bus.publish(event)
        if i % 100 == 99:
            await asyncio.sleep(0)
    counts = await asyncio.wait_for(asyncio.gather(*readers), 120)
    elapsed = time.perf_counter() - began
    dropped = sum(s.dropped for s in subs)
    return {
        "events_per_s": round(n / elapsed),
        "deliveries_per_s": round(sum(counts) / elapsed),
        "dropped": dropped,
    }


def _publish_cost_ns(n: int, subscribers: int) -> float:
    """publish() alone (no reader awake), per event, with ``subscribers`` queues."""
    bus = EventBus()
    subs = [bus.subscribe(maxsize=n) for _ in range(subscribers)]
    event = PlayerSaid("ana", "hall", "x", ts=0.0)
    began = time.perf_counter()
    for _ in range(n):
        bus.publish(event)
    cost = (time.perf_counter() - began) / n * 1e9
    for sub in subs:
        sub.close()
    return round(cost)


# The loaded WebSocket clients run in their own process, as real clients would, so that
# their JSON parsing does not share the server's event loop. Latency is wall-clock ms from
# the event's ``ts`` (stamped at publish) to its arrival, on the same machine.
_CLIENT = r"""
import asyncio, json, sys, time
import aiohttp

async def main(url, clients):
    lat = []
    async with aiohttp.ClientSession() as http:
        sockets = [await http.ws_connect(url) for _ in range(clients)]
        print("ready", flush=True)

        async def recv(ws):
            async for msg in ws:
                event = json.loads(msg.data)
                if event["data"]["text"] == "stop":
                    return
                lat.append(time.time() * 1000 - event["ts"])

        await asyncio.gather(*(recv(ws) for ws in sockets))
    print(json.dumps(lat), flush=True)

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""


def _summary(ms: list[float]) -> dict[str, float]:
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 3),
        "p95_ms": round(_pct(ms, 0.95), 3),
        "p99_ms": round(_pct(ms, 0.99), 3),
        "max_ms": round(max(ms), 3),
    }


def _said(text: str) -> PlayerSaid:
    return PlayerSaid("ana", "hall", text, ts=time.time() * 1000)


async def _idle(bus: EventBus, base: str, url: str, n: int) -> dict[str, float]:
    """One event at a time to one in-process client: the floor of the latency."""
    latencies: list[float] = []
    async with aiohttp.ClientSession(base) as http, http.ws_connect(url) as ws:
        for i in range(n):
            began = time.perf_counter()
            bus.publish(_said(str(i)))
            await ws.receive_str(timeout=10)
            latencies.append((time.perf_counter() - began) * 1000)
    return _summary(latencies)


async def _loaded(
    bus: EventBus, url: str, rate: int, clients: int, seconds: float
) -> dict[str, Any]:
    """``rate`` events/s, in bursts every 10 ms, to ``clients`` sockets in another process."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _CLIENT, url, str(clients), stdout=asyncio.subprocess.PIPE
    )
    assert proc.stdout is not None
    assert (await proc.stdout.readline()).strip() == b"ready"
    per_burst, sent, began = max(1, rate // 100), 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        for _ in range(per_burst):
            bus.publish(_said(str(sent)))
            sent += 1
        await asyncio.sleep(0.01)
    elapsed = time.perf_counter() - began
    bus.publish(_said("stop"))
    out, _ = await asyncio.wait_for(proc.communicate(), 120)
    latencies = json.loads(out.decode().strip().splitlines()[-1])
    return {
        "rate_per_s": round(sent / elapsed),
        "clients": clients,
        "frames_per_s": round(sent * clients / elapsed),
        **_summary(latencies),
    }


async def _ws_latency(idle_n: int, seconds: float) -> dict[str, Any]:
    bus = EventBus()
    settings = {"port": 0, "max_streams": 64}
    config = BridgeConfig(plugins={"http": PluginConfig(settings=settings)})
    game = _Game()
    host = PluginHost(
        bus=bus,
        state=game,
        handler=game,
        config=config,
        factories={"http": HttpApiPlugin},
        entry_points=lambda: [],
    )
    await host.start()
    plugin = host.plugin("http")
    assert isinstance(plugin, HttpApiPlugin), host.status()
    try:
        async with aiohttp.ClientSession(plugin.url) as http:
            body = {"name": "bench", "language": "python", "code": plugin.add("bench", [])}
            reg = await http.post("/register", json=body)
            token = (await reg.json())["token"]
        path = f"/events?types=player-said&token={token}"
        result: dict[str, Any] = {"idle": await _idle(bus, plugin.url, path, idle_n)}
        ws_url = plugin.url.replace("http", "ws", 1) + path
        for name, rate, clients in LOADS:
            result[name] = await _loaded(bus, ws_url, rate, clients, seconds)
    finally:
        await host.stop()
    return result


def run(quick: bool) -> dict[str, Any]:
    """Run every measurement; ``quick`` shrinks sizes for a smoke run (a few seconds)."""
    n = 50_000 if quick else 200_000
    reps = 1 if quick else 3
    rounds = [asyncio.run(_throughput(n, 10)) for _ in range(reps)]
    best = max(rounds, key=lambda r: r["events_per_s"])
    throughput = {
        "subscribers": 10,
        "events": n,
        "events_per_s_median": statistics.median(r["events_per_s"] for r in rounds),
        **best,
        "publish_ns_per_event_10_subs": _publish_cost_ns(n, 10),
        "publish_ns_per_event_0_subs": _publish_cost_ns(n, 0),
    }
    ws = asyncio.run(_ws_latency(300 if quick else 2_000, 1.0 if quick else 5.0))
    worst_p95 = max(ws[name]["p95_ms"] for name in ("idle", *(n for n, _, _ in LOADS[:3])))
    results = {
        "quick": quick,
        "throughput": throughput,
        "ws_latency": ws,
        "targets": TARGETS,
        "met": {
            "events_per_s": throughput["events_per_s_median"] >= TARGETS["events_per_s"],
            "ws_p95_ms": worst_p95 <= TARGETS["ws_p95_ms"],
        },
    }
    return results


if __name__ == "__main__":  # the same as: python -m bench --only bus [--quick]
    from bench.__main__ import main

    sys.exit(main(["--only", "bus", *sys.argv[1:]]))
