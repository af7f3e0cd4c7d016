"""Ledger benchmark: write throughput, priced-command latency, storage and invariant checks.

Run from the repository root: ``PYTHONPATH=. python -m bench.ledger_bench [--quick]``.
Results land in ``bench/results/ledger.json``; scratch databases in ``bench/scratch/``
(gitignored). The workload follows research/ledger_economy.md section 3: players seeded
with 10,000 tokens, then 70% player->sink (command prices) and 30% player->player, amounts
1-5. Idempotency keys look like the game's (``cmd:<player>:<seq>``, about 17 characters):
key length is the largest single factor in bytes per transfer (each character is stored
twice, in the row and in the UNIQUE index, so about 2 bytes per character).
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from economy import MINT, SINK, Ledger, Leg, Reason, system_clock

ROOT = Path(__file__).resolve().parent
SCRATCH = ROOT / "scratch" / "ledger"

TARGETS = {
    "batched_full_per_s": 20_000,  # >=, best batch size at synchronous=FULL
    "priced_command_p99_ms": 2.0,  # <=
    "bytes_per_transfer": 150,  # <=
    "verify_quick_ms": 50,  # <= at 100k accounts
}

SEED_TOKENS = 10_000


def _fresh(name: str, synchronous: str, clock: Callable[[], int] = system_clock) -> Ledger:
    for suffix in ("", "-wal", "-shm"):
        (SCRATCH / f"{name}.db{suffix}").unlink(missing_ok=True)
    return Ledger.open(SCRATCH / f"{name}.db", clock, synchronous=synchronous)


def _players(ledger: Ledger, count: int, seed_batch: int = 10_000) -> list[str]:
    """Create ``count`` players and grant each SEED_TOKENS from the mint."""
    names = [f"player:p{i:06d}" for i in range(count)]
    with ledger.atomic():
        for name in names:
            ledger.account(name)
    for start in range(0, count, seed_batch):
        ledger.transfer_batch(
            [
                Leg(MINT, name, SEED_TOKENS, Reason.DAILY_BONUS, f"seed:{name}")
                for name in names[start : start + seed_batch]
            ]
        )
    return names


def _workload(rng: random.Random, players: list[str], n: int, first: int = 0) -> list[Leg]:
    """``n`` legs numbered from ``first``; keys are ``cmd:<player>:<seq>`` (about 17 chars)."""
    legs = []
    for seq in range(first, first + n):
        payer = rng.choice(players)
        amount = rng.randint(1, 5)
        key = f"cmd:{payer[7:]}:{seq}"
        if rng.random() < 0.7:
            legs.append(Leg(payer, SINK, amount, Reason.COMMAND_PRICE, key))
        else:
            payee = rng.choice(players)
            while payee == payer:
                payee = rng.choice(players)
            legs.append(Leg(payer, payee, amount, Reason.PAYMENT, key))
    return legs


def _writes(synchronous: str, batch: int, n: int, seed: int) -> float:
    """Transfers per second: one per transaction (batch=1) or group commit of ``batch``."""
    ledger = _fresh(f"writes-{synchronous}-{batch}", synchronous)
    players = _players(ledger, 10_000)
    legs = _workload(random.Random(seed), players, n)
    start = time.perf_counter()
    if batch == 1:
        for leg in legs:
            ledger.transfer(leg.debit, leg.credit, leg.amount, leg.reason, leg.idem_key)
    else:
        for i in range(0, n, batch):
            ledger.transfer_batch(legs[i : i + batch])
    elapsed = time.perf_counter() - start
    assert ledger.verify(full=False).ok
    ledger.close()
    return n / elapsed


def _priced_command(n: int, seed: int) -> dict[str, float]:
    """Time one ``atomic()`` + one charge, as the engine does per priced command (NORMAL)."""
    ledger = _fresh("priced", "NORMAL")
    players = _players(ledger, 10_000)
    rng = random.Random(seed)
    samples = []
    for i in range(n):
        payer = rng.choice(players)
        start = time.perf_counter_ns()
        with ledger.atomic():
            ledger.transfer(payer, SINK, 2, Reason.COMMAND_PRICE, f"cmd:{payer[8:]}:{i}")
        samples.append((time.perf_counter_ns() - start) / 1e6)
    ledger.close()
    return _percentiles(samples)


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(ordered[len(ordered) // 2], 4),
        "p99_ms": round(ordered[int(len(ordered) * 0.99)], 4),
        "max_ms": round(ordered[-1], 4),
    }


def _big(accounts: int, transfers: int, seed: int, reps: int) -> dict[str, Any]:
    """Bulk-load ``transfers`` over ``accounts`` (30 simulated days), then time the reads."""
    day_ms = 86_400_000
    now = [1_700_000_000_000]
    step = 30 * day_ms * 10_000 // transfers  # one tick per 10k batch spreads 30 days

    def clock() -> int:
        return now[0]

    ledger = _fresh("big", "NORMAL", clock)
    ledger.conn.execute("PRAGMA cache_size = -262144")  # 256 MiB on the bulk writer
    start = time.perf_counter()
    players = _players(ledger, accounts)
    base_size = _file_size(ledger)
    rng = random.Random(seed)
    remaining = transfers - accounts
    done = 0
    while done < remaining:
        n = min(10_000, remaining - done)
        ledger.transfer_batch(_workload(rng, players, n, first=done))
        done += n
        now[0] += step
    load_s = time.perf_counter() - start
    size = _file_size(ledger)
    key_chars = ledger.conn.execute(
        "SELECT avg(length(idem_key)) FROM transfers WHERE idem_key LIKE 'cmd:%'"
    ).fetchone()[0]
    ledger.close()

    reader = Ledger.open(SCRATCH / "big.db", clock)
    quick = [_timed(lambda: reader.verify(full=False)) for _ in range(reps * 3)]
    full = [_timed(lambda: reader.verify(full=True)) for _ in range(reps)]
    assert reader.verify(full=True).ok
    picks = [rng.choice(players) for _ in range(2000)]
    at = 1_700_000_000_000 + 15 * day_ms
    balance_at = [_timed(partial(reader.balance, p, at=at)) for p in picks]
    history = [_timed(partial(reader.history, p)) for p in picks]
    mint_history = [_timed(partial(reader.history, MINT)) for _ in range(20)]
    mint_balance_at = [_timed(partial(reader.balance, MINT, at=at)) for _ in range(20)]
    reader.close()
    return {
        "accounts": accounts,
        "transfers": transfers,
        "bulk_load_s": round(load_s, 2),
        "bulk_load_per_s": round(transfers / load_s),
        "file_bytes": size,
        "bytes_per_transfer": round(size / transfers, 1),
        "bytes_per_transfer_excluding_accounts": round((size - base_size) / remaining, 1),
        "avg_idem_key_chars": round(key_chars, 1),
        "verify_quick_ms": round(statistics.median(quick), 2),
        "verify_full_ms": round(statistics.median(full), 1),
        "balance_at": _percentiles(balance_at),
        "history": _percentiles(history),
        "history_mint": _percentiles(mint_history),
        "balance_at_mint": _percentiles(mint_balance_at),
    }


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - start) / 1e6


def _file_size(ledger: Ledger) -> int:
    """Main file size after folding the WAL back in (what a backup would copy)."""
    ledger.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = ledger.conn.execute("PRAGMA page_size").fetchone()[0]
    pages = ledger.conn.execute("PRAGMA page_count").fetchone()[0]
    return int(page_size * pages)


def run(quick: bool) -> dict[str, Any]:
    """Run every measurement; ``quick`` shrinks sizes for a smoke run (about 20 s)."""
    SCRATCH.mkdir(parents=True, exist_ok=True)
    reps = 1 if quick else 3
    single_n = 1_000 if quick else 5_000
    batch_n = 20_000 if quick else 100_000
    writes: dict[str, float] = {}
    for sync in ("FULL", "NORMAL"):
        for batch in (1, 100, 1000):
            n = single_n if batch == 1 else batch_n
            rates = [_writes(sync, batch, n, seed) for seed in range(reps)]
            writes[f"{sync.lower()}_batch{batch}_per_s"] = round(statistics.median(rates))
    priced = _priced_command(2_000 if quick else 20_000, seed=7)
    big = _big(10_000 if quick else 100_000, 100_000 if quick else 1_000_000, 11, reps)
    shutil.rmtree(SCRATCH, ignore_errors=True)
    best_full = max(writes["full_batch100_per_s"], writes["full_batch1000_per_s"])
    results = {
        "quick": quick,
        "writes": writes,
        "priced_command": priced,
        "big": big,
        "targets": TARGETS,
        "met": {
            "batched_full_per_s": best_full >= TARGETS["batched_full_per_s"],
            "priced_command_p99_ms": priced["p99_ms"] <= TARGETS["priced_command_p99_ms"],
            "bytes_per_transfer": big["bytes_per_transfer"] <= TARGETS["bytes_per_transfer"],
            "verify_quick_ms": big["verify_quick_ms"] <= TARGETS["verify_quick_ms"],
        },
    }
    return results


if __name__ == "__main__":  # the same as: python -m bench --only ledger [--quick]
    from bench.__main__ import main

    sys.exit(main(["--only", "ledger", *sys.argv[1:]]))
