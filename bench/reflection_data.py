"""The reflection benchmark's dataset: players, Zipf-skewed ledger transfers and activity
over 30 days, generated with batched inserts into bench/scratch/ and reused while its size
matches; plus five-minute increments of new play between cycles."""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path
from typing import Any

from economy import Ledger
from game.world.store import connect
from reflection import schema

SCRATCH = Path(__file__).resolve().parent / "scratch" / "reflection"
NOW = 1_764_000_000_000
DAY = 86_400_000
VERBS = [
    ("go", "explore"),
    ("look", "explore"),
    ("say", "socialize"),
    ("fish", "achieve"),
    ("forage", "achieve"),
    ("cook", "achieve"),
    ("pay", "trade"),
    ("balance", "trade"),
]
ROOMS = ["town:square", "town:hall", "town:harbour", "town:market", "town:gate", "town:track"]


def _zipf(rng: random.Random, n: int, k: int) -> list[int]:
    weights = [1 / (i + 1) ** 0.8 for i in range(n)]
    return rng.choices(range(n), weights=weights, k=k)


def generate(path: Path, players: int, transfers: int) -> None:
    """Players, accounts, transfers and activity with batched executemany (one pass)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    rng = random.Random(42)
    conn = connect(path)
    conn.execute("PRAGMA cache_size=-262144")
    Ledger(conn, lambda: NOW - 31 * DAY)
    schema.ensure(conn)
    names = [f"p{i:06d}" for i in range(players)]
    created = [NOW - rng.randint(0, 30 * DAY) for _ in names]
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO players(name, display, created_ms, room) VALUES (?,?,?,'town:square')",
        [(n, n, c) for n, c in zip(names, created, strict=True)],
    )
    conn.executemany(
        "INSERT INTO accounts(name, kind, created_at) VALUES (?, 'player', ?)",
        [(f"player:{n}", c) for n, c in zip(names, created, strict=True)],
    )
    conn.execute("COMMIT")
    ids = dict(conn.execute("SELECT name, id FROM accounts"))
    mint, sink = ids["system:mint"], ids["system:sink"]
    acct = [ids[f"player:{n}"] for n in names]
    who = _zipf(rng, players, transfers)
    stamps = sorted(rng.randint(NOW - 30 * DAY, NOW) for _ in range(transfers))
    balance = [0] * players
    rows = []
    for i, (p, ts) in enumerate(zip(who, stamps, strict=True)):
        roll = rng.random()
        amount = rng.randint(1, 5)
        if roll < 0.35 and balance[p] >= amount:
            code = rng.choice((201, 201, 202))
            rows.append((f"b{i}", acct[p], sink, amount, code, ts))
            balance[p] -= amount
        elif roll < 0.45 and balance[p] >= amount:
            q = rng.randrange(players)
            if q == p:
                q = (p + 1) % players
            rows.append((f"b{i}", acct[p], acct[q], amount, 301, ts))
            balance[p] -= amount
            balance[q] += amount
        else:
            code = rng.choice((101, 102, 103, 104, 105))
            rows.append((f"b{i}", mint, acct[p], amount * 2, code, ts))
            balance[p] += amount * 2
    _batched(
        conn,
        "INSERT INTO transfers(idem_key, debit_account_id, credit_account_id, amount,"
        " code, ts) VALUES (?,?,?,?,?,?)",
        rows,
    )
    who = _zipf(rng, players, transfers)
    stamps = sorted(rng.randint(NOW - 30 * DAY, NOW) for _ in range(transfers))
    activity = []
    for p, ts in zip(who, stamps, strict=True):
        verb, cat = VERBS[rng.randrange(len(VERBS))]
        activity.append(
            (
                ts,
                names[p],
                verb,
                ROOMS[rng.randrange(len(ROOMS))],
                cat,
                int(rng.random() > 0.03),
                0.3 + rng.random(),
            )
        )
    _batched(
        conn,
        "INSERT INTO activity(ts, player, verb, room, category, ok, cost_ms)"
        " VALUES (?,?,?,?,?,?,?)",
        activity,
    )
    conn.execute("CREATE TABLE bench_meta(players INTEGER, transfers INTEGER)")
    conn.execute("INSERT INTO bench_meta VALUES (?, ?)", (players, transfers))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _batched(conn: sqlite3.Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    for lo in range(0, len(rows), 100_000):
        conn.execute("BEGIN")
        conn.executemany(sql, rows[lo : lo + 100_000])
        conn.execute("COMMIT")


def dataset(players: int, transfers: int) -> Path:
    base = SCRATCH / f"base-{players}-{transfers}.db"
    if base.exists():
        try:
            with sqlite3.connect(base) as conn:
                if conn.execute("SELECT players, transfers FROM bench_meta").fetchone() == (
                    players,
                    transfers,
                ):
                    return base
        except sqlite3.Error:
            pass
    SCRATCH.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    generate(base, players, transfers)
    print(f"generated {base.name} in {time.perf_counter() - started:.1f} s")
    return base


def increment(path: Path, start: int, rng: random.Random, transfers: int, actions: int) -> None:
    """Five minutes of play after ``start``: faucet transfers and activity rows."""
    conn = sqlite3.connect(path, isolation_level=None)
    top = conn.execute("SELECT MAX(id) FROM accounts").fetchone()[0]
    mint = conn.execute("SELECT id FROM accounts WHERE name='system:mint'").fetchone()[0]
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO transfers(idem_key, debit_account_id, credit_account_id, amount, code, ts)"
        " VALUES (?,?,?,?,?,?)",
        [
            (f"inc{start}-{i}", mint, rng.randint(4, top), 2, 102, start + 1 + i % 299_000)
            for i in range(transfers)
        ],
    )
    conn.executemany(
        "INSERT INTO activity(ts, player, verb, room, category) VALUES (?,?,?,?,?)",
        [
            (
                start + 1 + i % 299_000,
                f"p{rng.randrange(1000):06d}",
                "go",
                ROOMS[i % len(ROOMS)],
                "explore",
            )
            for i in range(actions)
        ],
    )
    conn.execute("COMMIT")
    conn.close()
