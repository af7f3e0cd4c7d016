"""Economy-in-play benchmark: what a priced command costs end to end through the engine.

Run from the repository root: ``PYTHONPATH=. python -m bench.economy_bench [--quick]``.
Results land in ``bench/results/economy.json``; the scratch database in
``bench/scratch/economy/`` (gitignored).

Every sample is one ``engine.execute`` call on a real game (the fixture world in
``tests/fixtures/econ_world``, a WAL SQLite file with ``synchronous=NORMAL``), so it
includes parsing, the gates (rate limit, moderation, price and quota), the command, the
ledger transfer with its idempotency key, the quota count, the status refresh and the
events. ``look`` priced at 1 token against ``look`` for free isolates the ledger's share:
the issue's target is a priced-command ledger time p99 <= 2 ms.

Each figure is given as wall time and as this thread's CPU time, and the priced command is
run twice: on the data disk and on tmpfs (``/dev/shm``, when there is one). Two things set
the wall p99 on the shared 2-vCPU VM, neither of them the ledger's work: write stalls in
the WAL appends on the virtio disk (3-5 ms, about one commit in 25-100, with or without WAL
auto-checkpoints; gone on tmpfs), and preemption once the load average passes the core
count. The load average is recorded with the results so the figures can be read with it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import random
import shutil
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from economy import Reason
from game.core.config import load_settings
from game.core.reply import Reply, RoomView, StatusView
from game.engine.game import Game
from game.engine.session import Session
from game.world.loader import load_content
from game.world.store import connect

ROOT = Path(__file__).resolve().parent
WORLD = ROOT.parent / "tests" / "fixtures" / "econ_world"
SCRATCH = ROOT / "scratch" / "economy"
TMPFS = Path("/dev/shm") / "sshrealm-economy-bench"
TARGETS = {"priced_command_ledger_p99_ms": 2.0, "priced_command_p99_ms": 5.0}  # <=


class StepClock:
    """Game time that moves one second per command, so the per-session rate limit (5/s)
    never refuses a benchmark command; wall time is measured separately."""

    def __init__(self) -> None:
        self.now = 1_764_000_000_000

    def __call__(self) -> int:
        return self.now


class NullScreen:
    """A front end that drops output: we measure the game, not a terminal."""

    def deliver(self, replies: Sequence[Reply]) -> None: ...
    def set_room(self, view: RoomView) -> None: ...
    def set_status(self, status: StatusView) -> None: ...
    def close(self, reason: str) -> None: ...


def _game(players: int, where: Path = SCRATCH) -> Bench:
    shutil.rmtree(where, ignore_errors=True)
    settings = load_settings(environ={}, data_dir=where, content_dir=WORLD, http_port=-1)
    clock = StepClock()
    game = Game(settings, connect(settings.db_path), load_content(WORLD), clock=clock)
    content = game.world.content
    rules = dataclasses.replace(
        content.economy, prices={"look": 1}, free_daily_quota=10**9, pay_confirm_above=10**9
    )
    game.world.content = dataclasses.replace(content, economy=rules)
    sessions = []
    for i in range(players):
        name = f"p{i:04d}"
        game.ensure_account(name)
        sessions.append(game.connect(name, NullScreen(), kind="line"))
        game.wallet.credit(name, 1_000_000, Reason.ADMIN_GRANT, f"seed:{name}")
    game.ensure_account("bank")
    return Bench(game, sessions, clock, where)


class Bench:
    """A game plus the time spent in its outermost ledger transactions (the ledger's share of
    a priced command: BEGIN IMMEDIATE, the command, the charge, the quota, COMMIT)."""

    def __init__(self, game: Game, sessions: list[Session], clock: StepClock, where: Path) -> None:
        self.game, self.sessions, self.clock, self.where = game, sessions, clock, where
        self.atomic_ms: list[float] = []
        self.atomic_cpu_ms: list[float] = []
        self._depth = 0
        inner = game.ledger.atomic

        @contextlib.contextmanager
        def timed() -> Iterator[None]:
            self._depth += 1
            start, cpu = time.perf_counter_ns(), time.thread_time_ns()
            try:
                with inner():
                    yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self.atomic_ms.append((time.perf_counter_ns() - start) / 1e6)
                    self.atomic_cpu_ms.append((time.thread_time_ns() - cpu) / 1e6)

        game.ledger.atomic = timed  # type: ignore[method-assign]

    def sample(self, line: str, n: int, rng: random.Random) -> dict[str, dict[str, float]]:
        """``n`` runs of ``line`` by random players: wall and CPU percentiles of the whole
        execute and of its outermost ledger transaction (when the command has one)."""
        wall: list[float] = []
        cpu: list[float] = []
        self.atomic_ms, self.atomic_cpu_ms = [], []
        for _ in range(n):
            session = rng.choice(self.sessions)
            self.clock.now += 1000
            start, cpu_start = time.perf_counter_ns(), time.thread_time_ns()
            replies = self.game.engine.execute(session, line)
            wall.append((time.perf_counter_ns() - start) / 1e6)
            cpu.append((time.thread_time_ns() - cpu_start) / 1e6)
            if not all(r.ok for r in replies):
                raise RuntimeError(f"{line!r} failed: {replies}")
        out = {"execute_wall": _percentiles(wall), "execute_cpu": _percentiles(cpu)}
        if self.atomic_ms:
            out["ledger_transaction_wall"] = _percentiles(self.atomic_ms)
            out["ledger_transaction_cpu"] = _percentiles(self.atomic_cpu_ms)
        return out

    def close(self) -> tuple[int, bool]:
        game = self.game
        transfers = int(game.conn.execute("SELECT count(*) FROM transfers").fetchone()[0])
        verified = game.ledger.verify().ok
        game.conn.close()
        shutil.rmtree(self.where, ignore_errors=True)
        return transfers, verified


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 3),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1], 3),
        "max_ms": round(ordered[-1], 3),
    }


def run(quick: bool) -> dict[str, Any]:
    """Priced and free commands; ``quick`` is a smoke run of a few seconds."""
    n = 2_000 if quick else 20_000
    rng = random.Random(7)
    load_before = os.getloadavg()[0]
    bench = _game(20 if quick else 200)
    bench.sample("look", 200, rng)  # warm up
    priced = bench.sample("look", n, rng)
    pay = bench.sample("pay bank 1", n // 4, rng)
    content = bench.game.world.content
    bench.game.world.content = dataclasses.replace(
        content, economy=dataclasses.replace(content.economy, prices={})
    )
    free = bench.sample("look", n, rng)
    transfers, verified = bench.close()
    on_tmpfs: dict[str, Any] = {}
    if TMPFS.parent.is_dir():
        memory = _game(20 if quick else 200, TMPFS)
        memory.sample("look", 200, rng)
        on_tmpfs = memory.sample("look", n, rng)
        memory.close()
    ledger_p99 = priced["ledger_transaction_wall"]["p99_ms"]
    results = {
        "quick": quick,
        "load_average_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "priced_look": priced,
        "priced_look_on_tmpfs": on_tmpfs,
        "free_look": free,
        "pay": pay,
        "transfers_written": transfers,
        "ledger_verified": verified,
        "targets": TARGETS,
        "met": {
            "priced_command_ledger_p99_ms": ledger_p99 <= TARGETS["priced_command_ledger_p99_ms"],
            "priced_command_ledger_cpu_p99_ms": priced["ledger_transaction_cpu"]["p99_ms"]
            <= TARGETS["priced_command_ledger_p99_ms"],
            "priced_command_p99_ms": priced["execute_wall"]["p99_ms"]
            <= TARGETS["priced_command_p99_ms"],
        },
    }
    return results


if __name__ == "__main__":  # the same as: python -m bench --only economy [--quick]
    from bench.__main__ import main

    sys.exit(main(["--only", "economy", *sys.argv[1:]]))
