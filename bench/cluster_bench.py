"""The scaled-out cluster: the world's ceiling, a world restart and a lost gateway.

Every process is a real child (bench/cluster_procs.py): ``redis-server``, ``sshrealm world``
and ``sshrealm gateway``, on free ports, with a fresh data folder per scenario.

* ``ceiling``: redis and the world only, the world pinned to core 0 and this process to core
  1. Synthetic gateways (bench/synthetic.py: 4 gateway ids with heartbeats, no SSH) open K
  line-mode sessions through the protocol (``open`` with a creation: accounts are made as a
  real gateway's first login makes them). Each new session walks from the start room to a
  room of its own share (every room reachable by plain exits, except the start room; the
  farthest rooms are filled first so walkers pass through empty rooms), in batches of 25.
  Opening stops at a time budget; ``sessions`` says how many were reached. Then commands at
  a fixed offered rate over all sessions in a shuffled round robin: 85 % ``look``, 10 %
  ``say <word>``, 5 % a walk out of the room and back (two commands). Latency is the
  ``XADD`` of a line to its ack op ``["k", sid, seq]`` read back (includes the bench's own
  reading: ``bench_cpu_pct`` near 100 means the bench set the pace); ``completed_per_s``
  counts acks during the window; ``backlog`` is what the world had not read or acknowledged
  at the window's end (``XINFO GROUPS`` lag + pending); ``p99_ms_by_kind`` splits the tail.
  A window stops early once more than a second of commands waits (``aborted_at_s``).
  ``steps`` offers rising rates (from 100/s) at the largest K until p99 > 50 ms or completed
  < 98 % of offered; ``max_sustained_per_s`` is the largest passing rate. ``one_kind``: one
  window each of only ``look``, only ``say`` (at the levels' rate) and only walks (at 1/20
  of it), to tell which command sets the ceiling. Redis runs unpinned.
* ``restart``: redis, world, 2 gateways, line-mode SSH bots (bench/bots.py), half on each
  gateway, each sending ``look`` every 2 s (staggered). The world is restarted with SIGTERM
  (graceful), then with SIGKILL (a crash); ``restart_s`` is stop to ``/readyz`` 200. Every
  look reply is matched in order to its command: ``max_delay_s``/``p99_delay_s`` of looks
  sent within 2 s of each restart window, ``lost`` (looks never answered after a grace),
  ``disconnects`` (connections that closed).
* ``gateway_kill``: redis, world, 2 gateways, line-mode bots, half on each; bot i pays bot
  i+1 one token (``pay botNNN 1``, below the confirmation limit) about every second and
  counts the ``You paid`` replies. Gateway 1 gets SIGKILL; its bots reconnect to gateway 2
  as soon as their connection drops (``reconnect_max_s``: start of the reconnect to the
  first screen). Afterwards the world's SQLite ledger (read-only) must hold at least every
  acknowledged payment (``PAYMENT`` transfers between bots) and the bots' total balance
  must be unchanged.

Full run: K = 1,000 / 5,000 / 10,000 at 3,000 commands/s for 30 s, 15 s steps, at most
600 s spent opening sessions; 100 bots (5 s, restart, 10 s, crash, 10 s) and 50 bots.
``--quick``: K = 200 / 1,000 at 500/s for 5 s, 3 s steps; 20 and 10 bots.
Run with ``python -m bench --only cluster [--quick]``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import sqlite3
import tempfile
import time
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncssh

from bench.bots import LINE_LOOK, TAIL, Bot, Tracker
from bench.cluster_procs import ROOT, ClusterProcesses
from bench.synthetic import BATCH, MIX, SyntheticGateways, offer, open_spread, pct, walk_plan
from game.cluster.bus import Keys, connect

TARGETS = {
    "ceiling": {"sessions": 10_000, "rate_per_s": 3000, "p99_ms": 50.0},
    "restart": {"disconnects": 0, "max_delay_s": 5.0, "lost": 0},
    "gateway_kill": {"reconnect_max_s": 3.0, "lost": 0, "balance_change": 0},
}
BURST = 10
LOOK_EVERY = 2.0
PAID = b"You paid 1 token to bot"


def _content() -> Path:
    return Path(os.environ.get("BENCH_CONTENT_DIR", ROOT / "content"))


# -- ceiling ----------------------------------------------------------------------------------
async def _ceiling(
    levels: Sequence[int],
    rate: float,
    seconds: float,
    steps: Sequence[float],
    step_s: float,
    open_budget_s: float,
) -> dict[str, Any]:
    pinned = (os.cpu_count() or 1) >= 2
    p99_ms = TARGETS["ceiling"]["p99_ms"]
    mask = os.sched_getaffinity(0)
    out: dict[str, Any] = {
        "setup": {
            "gateways": 4,
            "open_batch": BATCH,
            "mix": MIX,
            "world_core": 0 if pinned else None,
            "bench_core": 1 if pinned else None,
        },
        "levels": {},
        "steps": [],
        "one_kind": {},
    }
    with tempfile.TemporaryDirectory(prefix="sshrealm-cluster-") as tmp:
        cluster = ClusterProcesses(Path(tmp), _content(), gateways=0)
        redis = connect(cluster.redis.url)
        try:
            await cluster.start(world_cores={0} if pinned else None)
            if pinned:
                os.sched_setaffinity(0, {1})
            plan = walk_plan(_content())
            out["setup"]["rooms"] = len(plan[1]) - 1
            syn = SyntheticGateways(redis, Keys(cluster.world.env["SSHREALM_CLUSTER_NAME"]))
            await syn.start()
            deadline = time.monotonic() + open_budget_s
            for k in levels:
                had = len(syn.sessions)
                open_s = await open_spread(syn, k, plan, deadline)
                level = {"sessions": len(syn.sessions), "closed_by_world": syn.closed}
                level["open_s"] = round(open_s, 1)
                level["opens_per_s"] = round((len(syn.sessions) - had) / max(open_s, 1e-3), 1)
                level.update(await offer(syn, cluster.world, rate, seconds, f"k{k}", k, p99_ms))
                out["levels"][str(k)] = level
                if len(syn.sessions) < k:
                    break  # the opening budget ran out
            for n, step in enumerate(steps):
                figures = await offer(syn, cluster.world, step, step_s, f"s{n}", n, p99_ms)
                out["steps"].append({"rate": step, "sessions": len(syn.sessions), **figures})
                if not figures["passed"]:
                    break
            for kind, share, at in (("look", 0, rate), ("say", 1, rate), ("walk", 0, rate / 20)):
                mix = {"walk": 1.0 - share if kind == "walk" else 0.0, "say": float(share)}
                figures = await offer(syn, cluster.world, at, step_s, kind, 0, p99_ms, mix)
                out["one_kind"][kind] = {"rate": at, **figures}
            await syn.stop()
        finally:
            os.sched_setaffinity(0, mask)
            await redis.aclose()
            cluster.stop()
    passing = [s for s in out["steps"] if s["passed"]]
    best = max(passing, key=lambda s: s["rate"]) if passing else None
    out["max_sustained_per_s"] = best["rate"] if best else None
    target = TARGETS["ceiling"]
    out["targets"] = target
    out["met"] = {
        "rate_at_p99": bool(
            best and best["rate"] >= target["rate_per_s"] and best["sessions"] >= target["sessions"]
        )
    }
    return out


# -- SSH bots ---------------------------------------------------------------------------------
class LineBot(Bot):
    """A line-mode bot that matches every look reply to its command, in order, and counts
    the payments it saw acknowledged."""

    def __init__(self, n: int, key: asyncssh.SSHKey) -> None:
        super().__init__(n, key, False, Tracker())
        self.looks: deque[float] = deque()
        self.delays: list[tuple[float, float]] = []  # (sent, seconds to its reply)
        self.paid = 0
        self.pays = 0
        self.dropped = asyncio.Event()
        self.closing = False

    def look(self) -> None:
        self.looks.append(time.perf_counter())
        self.send("look")

    def scan(self, chunk: bytes, now: float) -> None:
        data = self._tail + chunk
        fresh = len(self._tail)
        self._tail = data[-TAIL:]
        for match in LINE_LOOK.finditer(data):
            if match.end() > fresh and self.looks:
                sent = self.looks.popleft()
                self.delays.append((sent, now - sent))
        at = data.find(PAID)
        while at >= 0:
            self.paid += at + len(PAID) > fresh
            at = data.find(PAID, at + 1)

    async def pump(self) -> None:
        with contextlib.suppress(Exception):
            await super().pump()
        if not self.closing:
            self.dropped.set()

    async def close(self) -> None:
        self.closing = True
        await super().close()


async def _bots(cluster: ClusterProcesses, n: int) -> list[LineBot]:
    bots = [LineBot(i, asyncssh.generate_private_key("ssh-ed25519")) for i in range(n)]
    ports = cluster.gateway_ports
    for at in range(0, n, BURST):
        chunk = bots[at : at + BURST]
        await asyncio.gather(*(b.connect(ports[b.n % len(ports)]) for b in chunk))
    return bots


async def _every(bot: LineBot, period: float, until: float, act: Any) -> None:
    loop = asyncio.get_running_loop()
    await asyncio.sleep(random.Random(bot.n).uniform(0, period))
    while loop.time() < until:
        if not bot.dropped.is_set() and bot.proc is not None:
            with contextlib.suppress(Exception):
                act(bot)
        await asyncio.sleep(period)


async def _restart_world(cluster: ClusterProcesses, sig: int) -> tuple[float, float]:
    """Stop the world with ``sig`` (without blocking the bots' loop) and start it again."""
    began = time.perf_counter()
    await asyncio.to_thread(cluster.world.stop, sig)
    cluster.world.start()
    await cluster.world.ready()
    return began, time.perf_counter()


# -- restart ----------------------------------------------------------------------------------
async def _restart(n: int, before: float, after: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="sshrealm-cluster-") as tmp:
        cluster = ClusterProcesses(Path(tmp), _content(), gateways=2)
        bots: list[LineBot] = []
        try:
            await cluster.start()
            bots = await _bots(cluster, n)
            loop = asyncio.get_running_loop()
            until = loop.time() + 1e9
            tasks = [loop.create_task(_every(b, LOOK_EVERY, until, LineBot.look)) for b in bots]
            await asyncio.sleep(before)
            windows = []
            for sig in (signal.SIGTERM, signal.SIGKILL):
                windows.append((sig, *await _restart_world(cluster, sig)))
                await asyncio.sleep(after)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await _until(lambda: not any(b.looks for b in bots), 10.0)
            delays = [d for b in bots for d in b.delays]
            out: dict[str, Any] = {"bots": n, "looks": len(delays)}
            for sig, began, ready in windows:
                seen = [s for t, s in delays if began - LOOK_EVERY <= t <= ready + LOOK_EVERY]
                out[signal.Signals(sig).name] = {
                    "restart_s": round(ready - began, 2),
                    "looks": len(seen),
                    "max_delay_s": round(max(seen), 2) if seen else None,
                    "p99_delay_s": round(pct(seen, 0.99) or 0, 2) if seen else None,
                }
            everything = [s for _, s in delays]
            out["p50_delay_ms"] = pct([s * 1000 for s in everything], 0.5)
            out["max_delay_s"] = round(max(everything), 2) if everything else None
            out["lost"] = sum(len(b.looks) for b in bots)
            out["disconnects"] = sum(b.dropped.is_set() for b in bots)
        finally:
            await asyncio.gather(*(b.close() for b in bots), return_exceptions=True)
            cluster.stop()
    target = TARGETS["restart"]
    out["targets"] = target
    out["met"] = {
        "disconnects": out["disconnects"] <= target["disconnects"],
        "max_delay_s": out["max_delay_s"] is not None
        and out["max_delay_s"] <= target["max_delay_s"],
        "lost": out["lost"] <= target["lost"],
    }
    return out


async def _until(done: Any, within: float) -> bool:
    deadline = time.monotonic() + within
    while not done():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


# -- gateway kill -----------------------------------------------------------------------------
def _ledger(db: Path) -> tuple[int, int]:
    """(PAYMENT transfers between bots, the bots' total balance), read-only."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        paid = conn.execute(
            "SELECT count(*) FROM transfers t JOIN accounts d ON d.id = t.debit_account_id "
            "JOIN accounts c ON c.id = t.credit_account_id "
            "WHERE t.code = 301 AND d.name LIKE 'player:bot%' AND c.name LIKE 'player:bot%'"
        ).fetchone()[0]
        total = conn.execute(
            "SELECT coalesce(sum(balance), 0) FROM accounts WHERE name LIKE 'player:bot%'"
        ).fetchone()[0]
    return int(paid), int(total)


async def _gateway_kill(n: int, before: float, after: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="sshrealm-cluster-") as tmp:
        cluster = ClusterProcesses(Path(tmp), _content(), gateways=2)
        db = Path(tmp) / "sshrealm.db"
        bots: list[LineBot] = []
        try:
            await cluster.start()
            bots = await _bots(cluster, n)
            await asyncio.sleep(0.2)  # (a login's rewards are committed before its screen)
            _, total_before = _ledger(db)

            def pay(bot: LineBot) -> None:
                bot.send(f"pay bot{(bot.n + 1) % n:03d} 1")
                bot.pays += 1

            loop = asyncio.get_running_loop()
            until = loop.time() + 1e9
            tasks = [loop.create_task(_every(b, 1.0, until, pay)) for b in bots]
            await asyncio.sleep(before)
            lost_gw = [b for b in bots if b.n % 2 == 0]
            killed = time.perf_counter()
            await asyncio.to_thread(cluster.gateways[0].stop, signal.SIGKILL)

            async def back(bot: LineBot) -> tuple[float, float]:
                await bot.dropped.wait()
                bot.dropped.clear()
                ms = await bot.connect(cluster.gateway_ports[1])
                return ms / 1000, time.perf_counter() - killed

            back_s = await asyncio.gather(*(back(b) for b in lost_gw))
            await asyncio.sleep(after)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            counts = [-3, -2, -1]  # the last replies: until none comes for 1 s (5 s at most)
            while len(set(counts[-3:])) > 1 and len(counts) < 13:
                await asyncio.sleep(0.5)
                counts.append(sum(b.paid for b in bots))
            acked, sent = sum(b.paid for b in bots), sum(b.pays for b in bots)
            others_dropped = sum(b.dropped.is_set() for b in bots if b.n % 2)
        finally:
            await asyncio.gather(*(b.close() for b in bots), return_exceptions=True)
            cluster.stop()
        in_ledger, total_after = _ledger(db)
    out = {
        "bots": n,
        "reconnect_max_s": round(max(s for s, _ in back_s), 2),
        "reconnect_p50_s": round(sorted(s for s, _ in back_s)[len(back_s) // 2], 2),
        "kill_to_all_back_s": round(max(t for _, t in back_s), 2),
        "other_gateway_disconnects": others_dropped,
        "payments_sent": sent,
        "payments_acked": acked,
        "payments_in_ledger": in_ledger,
        "lost": max(0, acked - in_ledger),
        "balance_before": total_before,
        "balance_after": total_after,
        "balance_change": total_after - total_before,
    }
    target = TARGETS["gateway_kill"]
    out["targets"] = target
    out["met"] = {
        "reconnect_max_s": out["reconnect_max_s"] <= target["reconnect_max_s"],
        "lost": out["lost"] <= target["lost"],
        "balance_change": out["balance_change"] == target["balance_change"],
    }
    return out


# -- entry points -----------------------------------------------------------------------------
def ceiling(
    levels: Sequence[int] = (1000, 5000, 10_000),
    rate: float = 3000,
    seconds: float = 30.0,
    steps: Sequence[float] = (100, 250, 500, 1000, 2000, 3000, 4000, 6000, 8000, 12_000),
    step_s: float = 15.0,
    open_budget_s: float = 600.0,
) -> dict[str, Any]:
    return asyncio.run(_ceiling(levels, rate, seconds, steps, step_s, open_budget_s))


def restart(bots: int = 100, before: float = 5.0, after: float = 10.0) -> dict[str, Any]:
    return asyncio.run(_restart(bots, before, after))


def gateway_kill(bots: int = 50, before: float = 5.0, after: float = 5.0) -> dict[str, Any]:
    return asyncio.run(_gateway_kill(bots, before, after))


def run(quick: bool) -> dict[str, Any]:
    """All three scenarios (quick: small sizes, short windows; see the module docstring)."""
    if quick:
        return {
            "ceiling": ceiling((200, 1000), 500, 5.0, (100, 250, 500), 3.0, 60.0),
            "restart": restart(20, 3.0, 5.0),
            "gateway_kill": gateway_kill(10, 3.0, 3.0),
        }
    return {"ceiling": ceiling(), "restart": restart(), "gateway_kill": gateway_kill()}
