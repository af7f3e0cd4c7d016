"""Synthetic gateways for the world-ceiling benchmark: sessions on the bus without SSH.

:class:`SyntheticGateways` speaks the gateway side of the wire protocol
(game/cluster/bus.py) from the bench process: it keeps one heartbeat key per synthetic
gateway id, writes ``open`` and ``line`` entries to ``{c}:in`` in pipelined batches (one
every ~10 ms, as a real gateway's writer does) and reads every ``{c}:out:{gw}`` stream with
one blocking ``XREAD``. A line's latency is the time from the ``XADD`` batch that carried
it to the ack op ``["k", sid, seq]`` read back; it includes the bench's own reading, so the
bench's CPU is reported beside it. Frames are decoded with plain msgpack: the ops are plain
lists, and the replies (ext types) are left undecoded, which a gateway would render.

:func:`walk_plan` finds, from the content, a path of plain exits (no door, no requirement)
from the start room to every reachable room; :func:`open_spread` opens sessions and walks
each to its share of those rooms; :func:`offer` drives commands at a fixed rate and returns
the window's figures (bench/cluster_bench.py's ``ceiling`` describes them).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgpack
import psutil

from bench.bots import bot_address
from game.cluster.bus import HEARTBEAT_S, INBOX_MAXLEN, TTL_S, Keys
from game.cluster.codec import pack

FLUSH_S = 0.01
READ_COUNT = 256
MIX = {"look": 0.85, "say": 0.10, "walk": 0.05}
"""What the ceiling's commands are: a walk is two commands (out of the room and back)."""
WORDS = ("hello", "anyone", "fish", "rain", "north", "tokens", "bell", "market")
BATCH = 25
"""Sessions opened at once (they arrive in the start room, then walk away)."""


def pct(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def cpu(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return float(times.user + times.system)


@dataclass(slots=True)
class Sess:
    sid: str
    name: str
    gw: str
    address: str
    seq: int = 0
    room: str = ""
    back: tuple[str, str] = ("", "")  # a walk out of ``room`` and the way back
    opened: bool = False
    closed: str | None = None


@dataclass
class Window:
    """Latencies of the lines sent while one tag was current."""

    sent: int = 0
    lat_ms: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)


def walk_plan(content_dir: Path) -> tuple[str, dict[str, list[str]], dict[str, tuple[str, str]]]:
    """(start room, room -> directions from the start, room -> (a way out, the way back))."""
    from game.world.loader import load_content

    content = load_content(content_dir)
    rooms = content.rooms

    def plain(room: str) -> dict[str, str]:
        return {
            e.direction: e.to
            for e in rooms[room].exits
            if e.door is None and not e.one_way and e.requires == type(e.requires)()
        }

    start = content.start_room
    paths: dict[str, list[str]] = {start: []}
    todo = deque([start])
    while todo:
        here = todo.popleft()
        for direction, there in plain(here).items():
            if there in rooms and there not in paths:
                paths[there] = [*paths[here], direction]
                todo.append(there)
    out_back = {}
    for room in paths:
        for direction, there in plain(room).items():
            back = [d for d, r in plain(there).items() if r == room]
            if back:
                out_back[room] = (direction, back[0])
                break
    return start, paths, out_back


class SyntheticGateways:
    """``count`` gateway ids whose sessions are driven from this process."""

    def __init__(self, redis: Any, keys: Keys, count: int = 4, prefix: str = "syn") -> None:
        self.redis = redis
        self.keys = keys
        self.ids = [f"{prefix}{n + 1}" for n in range(count)]
        self.sessions: dict[str, Sess] = {}
        self._queue: list[tuple[tuple[str, int, str] | None, bytes]] = []
        self.sent_at: dict[tuple[str, int], tuple[float, str, str]] = {}
        self.windows: dict[str, Window] = {}
        self.tag = ""
        self.acked = 0
        self.frames = 0
        self.closed = 0
        self._tasks: list[asyncio.Task[None]] = []

    # -- what the bench does -----------------------------------------------------------------
    def open(self, n: int, name: str, address: str, create: bool) -> Sess:
        gw = self.ids[n % len(self.ids)]
        sess = Sess(f"{gw}-{n:06d}", name, gw, address)
        self.sessions[sess.sid] = sess
        creation = None
        if create:
            key = [f"SHA256:bench{n}", f"ssh-ed25519 bench{n}"]
            creation = {"password_hash": None, "keys": [key], "link": False, "audit": []}
        self._queue.append((None, pack(["open", gw, sess.sid, name, "line", address, creation])))
        return sess

    def line(self, sess: Sess, text: str, kind: str = "") -> None:
        sess.seq += 1
        key = (sess.sid, sess.seq, kind)
        self._queue.append((key, pack(["line", sess.gw, sess.sid, sess.seq, text])))

    async def until(self, done: Any, within: float) -> bool:
        """Wait until ``done()`` is true (polled), at most ``within`` seconds."""
        deadline = time.monotonic() + within
        while not done():
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.02)
        return True

    def settled(self) -> bool:
        """Every line written and acknowledged."""
        return not self._queue and not self.sent_at

    def window(self, tag: str) -> Window:
        self.tag = tag
        return self.windows.setdefault(tag, Window())

    def unacked(self, tag: str) -> int:
        return sum(1 for _, t, _ in self.sent_at.values() if t == tag)

    async def backlog(self) -> int:
        """Entries of ``{c}:in`` the world has not read yet or not acknowledged."""
        groups = await self.redis.xinfo_groups(self.keys.inbox)
        for group in groups:
            return int(group.get("lag") or 0) + int(group.get("pending") or 0)
        return 0

    # -- the gateway's tasks -----------------------------------------------------------------
    async def _write(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_S)
            if not self._queue:
                continue
            batch, self._queue = self._queue, []
            async with self.redis.pipeline(transaction=False) as pipe:
                for _, raw in batch:
                    pipe.xadd(self.keys.inbox, {"m": raw}, maxlen=INBOX_MAXLEN, approximate=True)
                stamp = time.perf_counter()
                tag = self.tag
                window = self.windows.get(tag)
                for key, _ in batch:
                    if key is not None:
                        self.sent_at[key[:2]] = (stamp, tag, key[2])
                        if window is not None:
                            window.sent += 1
                await pipe.execute()

    async def _read(self) -> None:
        last = {self.keys.outbox(gw).encode(): b"0-0" for gw in self.ids}
        while True:
            found = await self.redis.xread(last, count=READ_COUNT, block=100)
            now = time.perf_counter()
            for stream, entries in found or ():
                for entry_id, fields in entries:
                    last[stream] = entry_id
                    self._apply(msgpack.unpackb(fields[b"m"], raw=False, strict_map_key=False), now)
                if entries:
                    await self.redis.xtrim(stream, minid=last[stream], approximate=True)

    def _apply(self, frame: list[Any], now: float) -> None:
        self.frames += 1
        for op in frame[2]:
            kind = op[0]
            sess = self.sessions.get(op[1]) if kind in ("d", "k", "r", "s", "c") else None
            if sess is None:
                continue
            sess.opened = True
            if kind == "k":
                sent = self.sent_at.pop((op[1], op[2]), None)
                self.acked += 1
                if sent is not None:
                    window = self.windows.get(sent[1])
                    if window is not None:
                        ms = (now - sent[0]) * 1000
                        window.lat_ms.append(ms)
                        window.by_kind.setdefault(sent[2], []).append(ms)
            elif kind == "c":
                sess.closed = str(op[2])
                self.closed += 1

    async def _beat(self) -> None:
        while True:
            async with self.redis.pipeline(transaction=False) as pipe:
                for gw in self.ids:
                    pipe.set(self.keys.gateway(gw), b"1", ex=TTL_S)
                await pipe.execute()
            await asyncio.sleep(HEARTBEAT_S)

    async def start(self) -> None:
        for gw in self.ids:
            await self.redis.delete(self.keys.outbox(gw))
            await self.redis.set(self.keys.gateway(gw), b"1", ex=TTL_S)
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(c) for c in (self._write(), self._read(), self._beat())]

    async def stop(self) -> None:
        """Stop writing, reading and beating (no ``gone``: the world is stopped next; letting
        thousands of bodies leave one by one would only slow its shutdown)."""
        await self.until(lambda: not self._queue, 5.0)
        await asyncio.sleep(2 * FLUSH_S)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        with contextlib.suppress(Exception):
            await self.redis.delete(*(self.keys.gateway(gw) for gw in self.ids))


async def open_spread(syn: SyntheticGateways, k: int, plan: Any, deadline: float) -> float:
    """Open sessions until ``k`` (or the deadline); returns the seconds it took."""
    start, paths, out_back = plan
    targets = sorted((r for r in paths if r != start), key=lambda r: (-len(paths[r]), r))
    began, first = time.perf_counter(), len(syn.sessions) + 1
    for at in range(first, k + 1, BATCH):
        if time.monotonic() > deadline:
            break
        batch = [
            syn.open(n, f"b{n:05d}", bot_address(n), True)
            for n in range(at, min(k + 1, at + BATCH))
        ]
        await syn.until(lambda b=batch: all(s.opened for s in b), 60)
        for n, sess in enumerate(batch, at):
            sess.room = targets[(n - first) * len(targets) // (k + 1 - first)]
            sess.back = out_back.get(sess.room, ("", ""))
            for direction in paths[sess.room]:
                syn.line(sess, direction)
        await syn.until(syn.settled, 120)
    return time.perf_counter() - began


async def offer(
    syn: SyntheticGateways,
    world: Any,
    rate: float,
    seconds: float,
    tag: str,
    seed: int,
    p99_ms: float,
    mix: dict[str, float] = MIX,
) -> dict[str, Any]:
    """Offer ``rate`` commands/s (``mix``: :data:`MIX` by default) for ``seconds`` over every
    open session; the figures of that window (``world``: a bench/cluster_procs.py Role). It
    passes with a p99 within ``p99_ms``, 98 % of what was offered completed in the window,
    and every command acked."""
    rng = random.Random(seed)
    order = [s for s in syn.sessions.values() if s.closed is None]
    if not order:
        raise RuntimeError("no session is open: see the world's log")
    rng.shuffle(order)
    me = psutil.Process()
    window = syn.window(tag)
    cpu0, mine0, t0 = world.cpu_s(), cpu(me), time.perf_counter()
    issued = turn = 0
    aborted = None
    while (now := time.perf_counter()) - t0 < seconds:
        for _ in range(int(rate * (now - t0)) - issued):
            sess = order[turn % len(order)]
            turn += 1
            pick = rng.random()
            if pick < mix["walk"] and sess.back[0]:
                syn.line(sess, sess.back[0], "walk")
                syn.line(sess, sess.back[1], "walk")
                issued += 2
            elif pick < mix["walk"] + mix["say"]:
                syn.line(sess, f"say {rng.choice(WORDS)}", "say")
                issued += 1
            else:
                syn.line(sess, "look", "look")
                issued += 1
        if len(syn.sent_at) > rate + 100:  # over a second behind: this rate fails
            aborted = round(now - t0, 1)
            break
        await asyncio.sleep(0.005)
    wall = time.perf_counter() - t0
    done = len(window.lat_ms)
    world_cpu, mine = world.cpu_s() - cpu0, cpu(me) - mine0
    backlog = await syn.backlog()
    syn.tag = ""
    await syn.until(lambda: not syn.unacked(tag), 60)
    p99 = pct(window.lat_ms, 0.99)
    offered = window.sent / wall
    result = {
        "offered_per_s": round(offered, 1),
        "completed_per_s": round(done / wall, 1),
        "p50_ms": pct(window.lat_ms, 0.5),
        "p95_ms": pct(window.lat_ms, 0.95),
        "p99_ms": p99,
        "p99_ms_by_kind": {k: pct(v, 0.99) for k, v in sorted(window.by_kind.items())},
        "commands": window.sent,
        "unacked": syn.unacked(tag),
        "aborted_at_s": aborted,
        "backlog": backlog,
        "world_cpu_pct": round(100 * world_cpu / wall, 1),
        "world_rss_mb": round(world.rss() / 2**20, 1),
        "bench_cpu_pct": round(100 * mine / wall, 1),
    }
    result["passed"] = bool(
        aborted is None
        and p99 is not None
        and p99 <= p99_ms
        and done >= 0.98 * window.sent
        and result["unacked"] == 0
    )
    return result
