"""A seeded synthetic population in a real SQLite file: players, ledger transfers, activity."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from economy import MINT, SINK, Ledger, Reason
from game.world.store import connect
from reflection import schema
from reflection.schema import DAY_MS

NOW = 1_764_000_000_000
VERBS = [
    ("go", "explore"),
    ("look", "explore"),
    ("say", "socialize"),
    ("fish", "achieve"),
    ("cook", "achieve"),
    ("pay", "trade"),
]
ROOMS = ["square", "hall", "harbour", "market", "gate", "track", "loft", "shed"]


def populate(path: Path, seed: int = 7, players: int = 120, days: int = 10) -> sqlite3.Connection:
    rng = random.Random(seed)
    conn = connect(path)
    clock_now = [NOW - days * DAY_MS]
    ledger = Ledger(conn, lambda: clock_now[0])
    schema.ensure(conn)
    names = [f"p{i:03d}" for i in range(players)]
    for i, name in enumerate(names):
        created = NOW - rng.randint(0, days) * DAY_MS - rng.randint(0, DAY_MS - 1)
        conn.execute(
            "INSERT INTO players(name, display, created_ms, room) VALUES (?,?,?,?)",
            (name, name, created, "square"),
        )
        ledger.account(f"player:{name}")
        weight = 1 + (i % 7 == 0) * 20  # a few very busy players
        rows = []
        for _ in range(rng.randint(0, 60) * weight // 4):
            verb, cat = rng.choice(VERBS)
            ts = rng.randint(created, NOW - 1)
            rows.append((ts, name, verb, rng.choice(ROOMS), cat, 0, int(rng.random() > 0.05), 1.5))
        conn.executemany(
            "INSERT INTO activity(ts, player, verb, room, category, tokens, ok, cost_ms)"
            " VALUES (?,?,?,?,?,?,?,?)",
            rows,
        )
        for k in range(rng.randint(0, 12) * weight):
            clock_now[0] = rng.randint(created, NOW - 1)
            code = rng.choice([Reason.DAILY_BONUS, Reason.EXPLORATION, Reason.QUEST_REWARD])
            ledger.transfer(MINT, f"player:{name}", rng.randint(1, 30), code, f"f-{name}-{k}")
            if rng.random() < 0.5:
                bal = ledger.balance(f"player:{name}")
                if bal > 1:
                    ledger.transfer(
                        f"player:{name}",
                        SINK,
                        rng.randint(1, bal),
                        Reason.COMMAND_PRICE,
                        f"s-{name}-{k}",
                    )
    return conn
