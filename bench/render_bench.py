"""Render cost of the player TUI: CPU per screen update, bytes, idle cost, memory per app.

Each player's Textual app runs in the server's one event loop, so CPU per repaint is what
limits how many players one process can serve (research/render_cost.md measured ~2.2 ms per
update and ~0.5 ms per line when 10 lines share a repaint). This drives the real
``TuiSession`` and ``SSHDriver`` over a fake channel at 100x30, truecolor:

* update: one line delivered -> the coalesced flush -> one frame on the channel, then 30 ms
  for follow-up repaints; CPU is ``time.process_time()`` over that whole window;
* batch10: ten replies delivered back to back (ten ``deliver`` calls) -> one frame;
* idle: the same window with no update (the measurement floor: the same timer, wake-up and
  waits), and CPU per second of idle apps (cursor blink is off, so this should be ~0);
* direct: the same updates with the frame run at once instead of by the loop's timer, the
  TUI's own CPU without the event loop's share;
* key: CPU per key typed into the prompt, fed to the driver as a terminal sends it (the
  parse, the prompt's edit and its row painted);
* memory: RSS growth per app with 50 apps up, and the startup CPU per app.

Run ``python -m bench.render_bench [--quick]``; results land in bench/results/render.json.
"""

from __future__ import annotations

import asyncio
import gc
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any

import psutil

from game.core import heap
from game.core.reply import Kind, Reply, RoomView, StatusView
from game.fronts.tui.app import FLUSH_INTERVAL
from game.fronts.tui.runner import TuiSession

SIZE = (100, 30)
TERM = "xterm-direct"  # truecolor
WINDOW = 0.03  # seconds waited after a frame for follow-up repaints
LINE = "bob says: the quick brown fox jumps over the lazy dog, twice!"  # 60 characters
ROOM = RoomView(
    "hall",
    "The Great Hall",
    "A long hall of grey stone.",
    exits=("north", "south"),
    people=("bob", "carol"),
    items=("a rusty key",),
    npcs=("an old guard",),
    area="Castle",
)


@dataclass
class Port:
    """A PlayerPort that ignores input: the benchmark only pushes output."""

    name: str = "bench"

    def submit(self, line: str) -> None:
        pass

    def completions(self) -> Sequence[str]:
        return ()

    def current_room(self) -> RoomView | None:
        return ROOM

    def current_status(self) -> StatusView:
        return StatusView(self.name, ROOM.title, 100, "free", 10)


@dataclass
class Channel:
    """Counts bytes and frames (one ``write`` per flushed frame) instead of sending them."""

    sent: int = 0
    writes: int = 0
    written: asyncio.Event = field(default_factory=asyncio.Event)

    def write(self, data: bytes) -> None:
        self.sent += len(data)
        self.writes += 1
        self.written.set()

    def close(self) -> None:
        pass


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 3),
        "p95": round(percentile(values, 0.95), 3),
    }


async def start(n: int) -> tuple[list[TuiSession], list[Channel], list[asyncio.Task[None]]]:
    channels = [Channel() for _ in range(n)]
    sessions = [
        TuiSession(Port(f"p{i}"), channel, size=SIZE, term=TERM)
        for i, channel in enumerate(channels)
    ]
    tasks = [asyncio.create_task(s.run()) for s in sessions]
    deadline = time.monotonic() + 60
    while not all(s.link.ready for s in sessions):
        if time.monotonic() > deadline:
            raise TimeoutError("the apps did not start")
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)  # let the first frames and the sync-mode query settle
    return sessions, channels, tasks


async def stop(sessions: list[TuiSession], tasks: list[asyncio.Task[None]]) -> None:
    for session in sessions:
        session.close("bye")
    await asyncio.gather(*tasks)


async def measure(
    tui: TuiSession, channel: Channel, lines: int, rounds: int
) -> dict[str, list[float]]:
    """CPU, bytes, frames and latency for ``rounds`` updates of ``lines`` lines each."""
    out: dict[str, list[float]] = {"cpu": [], "bytes": [], "frames": [], "latency": []}
    for n in range(rounds):
        await asyncio.sleep(FLUSH_INTERVAL)  # quiet long enough for a leading-edge flush
        channel.written.clear()
        sent0, writes0 = channel.sent, channel.writes
        wall0, cpu0 = time.perf_counter(), time.process_time()
        if lines:
            for k in range(lines):
                tui.deliver([Reply(Kind.SAY, f"{LINE[:-6]}{n:03d}:{k:02d}")])
        else:  # the floor: the same timer, wake-up and wait, with nothing to draw
            asyncio.get_running_loop().call_later(0, channel.written.set)
        await asyncio.wait_for(channel.written.wait(), 2)
        latency = time.perf_counter() - wall0
        await asyncio.sleep(WINDOW)
        out["cpu"].append((time.process_time() - cpu0) * 1000)
        out["bytes"].append(channel.sent - sent0)
        out["frames"].append(channel.writes - writes0)
        out["latency"].append(latency * 1000)
    return out


def direct_cpu_ms(tui: TuiSession, lines: int, rounds: int) -> float:
    """CPU per update of ``lines`` lines with the frame run at once, not by the loop's
    timer: what the TUI itself costs, without the event loop's share."""
    app = tui.app
    assert app is not None
    assert app.app_context is not None
    frame, context = app.frame_now, app.app_context
    cpu0 = time.process_time()
    for n in range(rounds):
        for k in range(lines):
            tui.deliver([Reply(Kind.SAY, f"{LINE[:-6]}{n:03d}:{k:02d}")])
        context.run(frame)
    return (time.process_time() - cpu0) * 1000 / rounds


async def key_cpu_ms(tui: TuiSession, channel: Channel, keys: int) -> float:
    """CPU per key typed: each key fed as its own read, until the prompt's row is written."""
    cpu0 = time.process_time()
    for n in range(keys):
        channel.written.clear()
        tui.feed(b"\x15" if n % 40 == 39 else b"x")  # Ctrl+U now and then: a short line
        await asyncio.wait_for(channel.written.wait(), 2)
    return (time.process_time() - cpu0) * 1000 / keys


async def idle_cpu_ms_per_s(seconds: float) -> float:
    cpu0 = time.process_time()
    await asyncio.sleep(seconds)
    return (time.process_time() - cpu0) * 1000 / seconds


async def _run(quick: bool) -> dict[str, Any]:
    warmup, rounds = (20, 60) if quick else (60, 300)
    apps = 20 if quick else 50
    idle_seconds = 1.0 if quick else 3.0
    heap.settle()  # the collector policy the server runs with (game/core/heap.py)

    sessions, channels, tasks = await start(1)
    tui, channel = sessions[0], channels[0]
    await measure(tui, channel, 1, warmup)
    single = await measure(tui, channel, 1, rounds)
    floor = await measure(tui, channel, 0, rounds)
    await measure(tui, channel, 10, warmup // 2)
    batch = await measure(tui, channel, 10, rounds)
    direct_one = direct_cpu_ms(tui, 1, rounds * 4)
    direct_ten = direct_cpu_ms(tui, 10, rounds)
    await key_cpu_ms(tui, channel, warmup)
    key = await key_cpu_ms(tui, channel, rounds * 4)
    idle_one = await idle_cpu_ms_per_s(idle_seconds)
    await stop(sessions, tasks)

    process = psutil.Process()
    gc.collect()
    rss0, cpu0 = process.memory_info().rss, time.process_time()
    sessions, channels, tasks = await start(apps)
    startup_ms = (time.process_time() - cpu0) * 1000 / apps
    gc.collect()
    rss_per_app = (process.memory_info().rss - rss0) / apps / 2**20
    idle_many = await idle_cpu_ms_per_s(idle_seconds)
    await stop(sessions, tasks)

    floor_median = statistics.median(floor["cpu"])
    return {
        "benchmark": "render",
        "quick": quick,
        "python": platform.python_version(),
        "textual": version("textual"),
        "terminal": {"size": list(SIZE), "term": TERM, "color_system": "truecolor"},
        "flush_interval_ms": FLUSH_INTERVAL * 1000,
        "window_ms": WINDOW * 1000,
        "rounds": rounds,
        "update": {
            "cpu_ms": summary(single["cpu"]),
            "net_cpu_ms_median": round(statistics.median(single["cpu"]) - floor_median, 3),
            "bytes_median": statistics.median(single["bytes"]),
            "frames_median": statistics.median(single["frames"]),
            "latency_ms": summary(single["latency"]),
            "direct_cpu_ms": round(direct_one, 3),
        },
        "batch10": {
            "cpu_ms": summary(batch["cpu"]),
            "cpu_ms_per_line_median": round(statistics.median(batch["cpu"]) / 10, 3),
            "bytes_median": statistics.median(batch["bytes"]),
            "bytes_per_line_median": statistics.median(batch["bytes"]) / 10,
            "frames_median": statistics.median(batch["frames"]),
            "direct_cpu_ms": round(direct_ten, 3),
        },
        "key": {"cpu_ms": round(key, 3)},
        "idle": {
            "window_cpu_ms": summary(floor["cpu"]),
            "one_app_cpu_ms_per_s": round(idle_one, 3),
            "apps": apps,
            "all_apps_cpu_ms_per_s": round(idle_many, 3),
        },
        "memory": {
            "apps": apps,
            "rss_mib_per_app": round(rss_per_app, 3),
            "startup_cpu_ms_per_app": round(startup_ms, 2),
        },
    }


def run(quick: bool) -> dict[str, Any]:
    """Run the benchmark and return the results (``python -m bench`` writes the file)."""
    results = asyncio.run(_run(quick))
    return results


if __name__ == "__main__":  # the same as: python -m bench --only render [--quick]
    from bench.__main__ import main

    sys.exit(main(["--only", "render", *sys.argv[1:]]))
