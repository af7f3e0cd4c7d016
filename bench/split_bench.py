"""All-in-one vs split: the same players against ``sshrealm serve`` and against a world with
two gateways (bench/cluster_procs.py), over real SSH.

* **standard** (bench/ssh_bench.py's workload: one room, ``look`` every 2 s, ``say`` every
  10 s, 60 s): line mode and the full-screen UI at N = 100 and 200. Bots alternate between
  the two gateways. Figures as in ssh_bench, plus CPU per process (world, gw1, gw2).
* **town** (new): players spread over the town (a loop through 10 rooms, each bot starting at
  its own place on it), each looking every 2 s, saying something every 10 s, walking one
  room on every 6 s and buying bread whenever the walk passes the store. A look is timed to
  its reply's exits line (``Exits: ...`` at the start of a log line), which names the room
  the bot is in. N steps up until look p95 passes 100 ms (or the step's looks are lost);
  the figure is the largest N that stayed under, per front end and topology.

On this 2-core machine the split runs four processes (world, two gateways, Redis) and the
bots on two cores, so it can at most double what one process does; the world's own cost is
what bench/cluster_bench.py measures on one core. Run: ``python -m bench --only split``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncssh

from bench import ssh_bench
from bench.bots import Bot, Tracker
from bench.cluster_procs import ClusterProcesses
from game.core.text import join_words
from game.world.loader import load_content

ROOT = Path(__file__).resolve().parents[1]
ROUTE = (  # a loop through the town: (direction taken, room reached)
    ("north", "town:hall"),
    ("south", "town:square"),
    ("east", "town:harbour"),
    ("east", "town:pier"),
    ("west", "town:harbour"),
    ("south", "town:fishmarket"),
    ("north", "town:harbour"),
    ("west", "town:square"),
    ("south", "town:market"),
    ("west", "town:store"),
    ("east", "town:market"),
    ("north", "town:square"),
    ("west", "town:gate"),
    ("west", "town:track"),
    ("east", "town:gate"),
    ("east", "town:square"),
)
MOVE_EVERY = 6.0
TOWN_TARGET_MS = 100.0


class SplitServer:
    """ClusterProcesses behind the interface ssh_bench's scenario uses."""

    def __init__(self, data: Path, content: Path) -> None:
        self.cluster = ClusterProcesses(data, content)
        self.port = self.cluster.gateway_ports
        self.telnet_port = -1

    async def ready(self) -> None:
        await self.cluster.start()

    def cpu_s(self) -> float:
        return sum(self.cluster.cpu_s().values())

    def runq_wait_s(self) -> float:
        return 0.0

    def rss(self) -> int:
        return self.cluster.rss()

    def stop(self) -> None:
        self.cluster.stop()


def _exits_lines(content: Path) -> dict[str, bytes]:
    """Each room's exits line as a look shows it (doors start closed: the shed's stays so,
    so the walk never goes through it)."""
    rooms = load_content(content).rooms
    return {
        rid: f"Exits: {join_words([_label(e) for e in room.exits])}.".encode()
        for rid, room in rooms.items()
    }


def _label(exit_: Any) -> str:
    door = exit_.door
    return exit_.direction + (" (closed door)" if door is not None and door.closed else "")


class TownBot(Bot):
    """A bot that walks ROUTE and knows which room's exits line answers its look."""

    exits: dict[str, bytes] = {}
    route_rooms: tuple[str, ...] = tuple(dict.fromkeys(room for _, room in ROUTE))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.at = 0  # index in ROUTE of the room reached last; -1: the square
        self.room = "town:square"

    def scan(self, chunk: bytes, now: float) -> None:
        """A look is answered by the exits line of a room on the route. Any of them counts
        (the room it names becomes where the bot is): a walk the server refused or has not
        run yet must not leave the bot waiting for the wrong room's line. Walks land a second
        away from looks, so a walk's own room lines are not taken for a look's."""
        if self.look_sent is None:
            return
        data = self._tail + chunk
        self._tail = data[-512:]
        for room in self.route_rooms:
            if self.exits[room] in data:
                self.room = room
                if self.tracker.recording:
                    self.tracker.look_ms.append((now - self.look_sent) * 1000)
                self.look_sent = None
                return

    def walk(self) -> None:
        """One step on from where the bot last knew it was."""
        self.at = next(
            (i for i, (_, room) in enumerate(ROUTE) if room == self.room and i >= self.at),
            self.at,
        )
        self.at = (self.at + 1) % len(ROUTE)
        direction, self.room = ROUTE[self.at]
        self.send(direction)


async def _place(bots: Sequence[TownBot], rng: random.Random) -> None:
    """Walk each bot to its own starting place on the route (from the square), a step
    every 0.3 s so the walks stay inside the per-player command rate."""
    steps = {bot.n: rng.randrange(len(ROUTE)) for bot in bots}
    for bot in bots:
        bot.at = len(ROUTE) - 1  # the square, where everyone logs in
    for step in range(len(ROUTE)):
        for bot in bots:
            if step < steps[bot.n]:
                bot.walk()
        await asyncio.sleep(0.3)
    await asyncio.sleep(3.0)


async def _drive_town(bot: TownBot, until: float, rng: random.Random) -> None:
    loop = asyncio.get_running_loop()
    now = loop.time()
    next_look = now + rng.uniform(0, ssh_bench.LOOK_EVERY)
    next_say = now + rng.uniform(0, ssh_bench.SAY_EVERY)
    next_move = next_look + 1.0  # a walk never lands just before a look
    while True:
        at = min(next_look, next_say, next_move)
        if at >= until:
            return
        await asyncio.sleep(max(0.0, at - loop.time()))
        if at == next_look:
            bot.look()
            next_look += ssh_bench.LOOK_EVERY
        elif at == next_move:
            bot.walk()
            if bot.room == "town:store":
                bot.send("buy bread")
            next_move += MOVE_EVERY
        else:
            bot.send(f"say market day {rng.randrange(1000)}")
            next_say += ssh_bench.SAY_EVERY


def _reset_rooms(data: Path) -> None:
    with contextlib.closing(sqlite3.connect(data / "sshrealm.db")) as db, db:
        db.execute("UPDATE players SET room='town:square'")


async def _town(
    topology: str,
    front: str,
    n: int,
    keys: Sequence[asyncssh.SSHKey],
    data: Path,
    content: Path,
    duration: float,
    seed: int,
) -> dict[str, Any]:
    _reset_rooms(data)
    server: Any = (
        SplitServer(data, content)
        if topology == "split"
        else ssh_bench.ServerProcess(data, content)
    )
    tracker = Tracker()
    bots = [TownBot(i, keys[i], front == "tui", tracker) for i in range(n)]
    try:
        await server.ready()
        await ssh_bench._connect_all(bots, server.port)
        rng = random.Random(seed * 7919 + n)
        await _place(bots, rng)
        cpu0, wall0 = server.cpu_s(), time.perf_counter()
        tracker.recording = True
        until = asyncio.get_running_loop().time() + duration
        await asyncio.gather(*(_drive_town(b, until, random.Random(rng.random())) for b in bots))
        wall = time.perf_counter() - wall0
        cpu = server.cpu_s() - cpu0
        await asyncio.sleep(1.0)
        tracker.recording = False
        p95 = ssh_bench._pct(tracker.look_ms, 0.95)
        return {
            "n": n,
            "look_p50_ms": ssh_bench._pct(tracker.look_ms, 0.5),
            "look_p95_ms": p95,
            "looks": len(tracker.look_ms),
            "looks_lost": tracker.looks_lost,
            "cpu_pct_all_processes": round(100 * cpu / wall, 1),
        }
    finally:
        await asyncio.gather(*(b.close() for b in bots), return_exceptions=True)
        server.stop()


async def _measure(
    ns: Sequence[int],
    town_ns: Sequence[int],
    duration: float,
    town_s: float,
    seed: int,
    only: set[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """``only``: the (front, topology) pairs of the standard workload to run (all: None)."""
    content = Path(os.environ.get("BENCH_CONTENT_DIR", ROOT / "content"))
    TownBot.exits = _exits_lines(content)
    most = max([*ns, *town_ns])
    keys = [asyncssh.generate_private_key("ssh-ed25519") for _ in range(most + 1)]
    out: dict[str, Any] = {
        "workload": {
            "standard": "bench/ssh_bench.py's: one room, look every 2 s, say every 10 s",
            "standard_duration_s": duration,
            "town": "10 town rooms; look 2 s, say 10 s, walk 6 s, buy bread at the store",
            "town_duration_s": town_s,
            "split": "world + 2 gateways + redis-server, bots alternate gateways",
        },
        "targets": {"split_adds_look_p50_ms_n100": 10.0, "tui_n200_say_all_p95_ms": 300.0},
    }
    with tempfile.TemporaryDirectory(prefix="sshrealm-split-") as tmp:
        data = Path(tmp)
        await ssh_bench._create_accounts(["line"], keys, data, content)
        for front in ("line", "tui"):
            for topology in ("all_in_one", "split"):
                if only is not None and (front, topology) not in only:
                    continue
                for n in ns:
                    made: Any = SplitServer if topology == "split" else ssh_bench.ServerProcess
                    result = await ssh_bench._scenario(
                        front, n, keys, data, content, duration, 0.0, seed, server=made
                    )
                    out.setdefault("standard", {}).setdefault(front, {}).setdefault(topology, {})[
                        str(n)
                    ] = result
                    print(
                        f"split bench {front} {topology} N={n}: {result}",
                        file=sys.stderr,
                        flush=True,
                    )
        for front in ("line", "tui"):
            for topology in ("all_in_one", "split"):
                steps, best = [], 0
                for n in town_ns:
                    result = await _town(topology, front, n, keys, data, content, town_s, seed)
                    steps.append(result)
                    print(f"town {front} {topology}: {result}", file=sys.stderr, flush=True)
                    ok = (
                        result["look_p95_ms"] is not None
                        and result["look_p95_ms"] <= TOWN_TARGET_MS
                    )
                    if not ok or result["looks_lost"]:
                        break
                    best = n
                town = out.setdefault("town", {}).setdefault(front, {})
                town[topology] = {"largest_n_look_p95_under_100ms": best, "steps": steps}
    return out


def run(quick: bool) -> dict[str, Any]:
    if quick:
        return asyncio.run(_measure((10,), (10, 20), 8.0, 8.0, 1))
    return asyncio.run(_measure((100, 200), (100, 150, 200, 300, 400), 60.0, 30.0, 1))
