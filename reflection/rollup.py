"""Incremental rollups: fold new ``activity`` and ``transfers`` rows into the ``refl_*`` tables.

Each source has a cursor (the last row id folded in). A cycle folds only what arrived since
the previous one, in id-range batches of at most ``batch`` rows, each in its own short write
transaction: the game's connection waits on the write lock for one batch at most (tens of
ms), never for a whole catch-up over a million transfers. Rows are append-only, so folding
by id range is exact, and a batch either commits with its cursor move or not at all.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Final

from reflection.facts import has_table
from reflection.schema import DAY_MS, HOUR_MS, WRITE_PAUSE_S

WEEK_DAYS: Final = 6
"""Complete days held in ``refl_week``; with today's partial day they make the 7-day window."""

BATCH: Final = 2_000

_ACTIVITY: Final = (
    f"""INSERT INTO refl_player_daily(player, day, actions)
        SELECT player, ts / {DAY_MS}, COUNT(*) FROM activity
         WHERE id > :lo AND id <= :hi AND ok = 1 GROUP BY 1, 2
        ON CONFLICT(player, day) DO UPDATE SET actions = actions + excluded.actions""",
    """INSERT INTO refl_player(player, actions, first_ts, last_ts)
        SELECT player, COUNT(*), MIN(ts), MAX(ts) FROM activity
         WHERE id > :lo AND id <= :hi AND ok = 1 GROUP BY 1
        ON CONFLICT(player) DO UPDATE SET actions = actions + excluded.actions,
           first_ts = min(coalesce(first_ts, excluded.first_ts), excluded.first_ts),
           last_ts = max(coalesce(last_ts, excluded.last_ts), excluded.last_ts)""",
    """INSERT INTO refl_player_verbs(player, verb, category, n)
        SELECT player, verb, MAX(category), COUNT(*) FROM activity
         WHERE id > :lo AND id <= :hi AND ok = 1 GROUP BY 1, 2
        ON CONFLICT(player, verb) DO UPDATE SET n = n + excluded.n""",
    """INSERT INTO refl_player_rooms(player, room)
        SELECT DISTINCT player, room FROM activity
         WHERE id > :lo AND id <= :hi AND ok = 1 AND room <> ''
        ON CONFLICT(player, room) DO NOTHING""",
    f"""INSERT INTO refl_hourly(hour, actions, cost_ms)
        SELECT ts / {HOUR_MS}, COUNT(*), SUM(cost_ms) FROM activity
         WHERE id > :lo AND id <= :hi GROUP BY 1
        ON CONFLICT(hour) DO UPDATE SET actions = actions + excluded.actions,
           cost_ms = cost_ms + excluded.cost_ms""",
)

# Player spend: sinks (2xx) and holds (401) net of released holds (402); earnings: faucets.
_TRANSFERS: Final = (
    f"""INSERT INTO refl_flows_daily(day, code, n, total)
        SELECT ts / {DAY_MS}, code, COUNT(*), SUM(amount) FROM transfers
         WHERE id > :lo AND id <= :hi GROUP BY 1, 2
        ON CONFLICT(day, code) DO UPDATE SET n = n + excluded.n, total = total + excluded.total""",
    f"""INSERT INTO refl_player_daily(player, day, earned, spent)
        SELECT substr(a.name, 8), t.ts / {DAY_MS},
               SUM(CASE WHEN t.code / 100 = 1 THEN t.amount ELSE 0 END),
               -SUM(CASE WHEN t.code = 402 THEN t.amount ELSE 0 END)
          FROM transfers t JOIN accounts a ON a.id = t.credit_account_id
         WHERE t.id > :lo AND t.id <= :hi AND a.kind = 'player' GROUP BY 1, 2
        ON CONFLICT(player, day) DO UPDATE SET earned = earned + excluded.earned,
           spent = spent + excluded.spent""",
    f"""INSERT INTO refl_player_daily(player, day, earned, spent)
        SELECT substr(a.name, 8), t.ts / {DAY_MS}, 0,
               SUM(CASE WHEN t.code / 100 = 2 OR t.code = 401 THEN t.amount ELSE 0 END)
          FROM transfers t JOIN accounts a ON a.id = t.debit_account_id
         WHERE t.id > :lo AND t.id <= :hi AND a.kind = 'player' GROUP BY 1, 2
        ON CONFLICT(player, day) DO UPDATE SET spent = spent + excluded.spent""",
)

SOURCES: Final = {"activity": _ACTIVITY, "transfers": _TRANSFERS}


def cursor(conn: sqlite3.Connection, name: str) -> int:
    row = conn.execute("SELECT last_id FROM refl_cursor WHERE name = ?", (name,)).fetchone()
    return int(row[0]) if row else 0


def fold(conn: sqlite3.Connection, batch: int = BATCH) -> dict[str, int]:
    """Fold every new row of each source; returns how many rows each source contributed."""
    folded: dict[str, int] = {}
    for name, statements in SOURCES.items():
        folded[name] = 0
        while True:
            lo = cursor(conn, name)
            top = conn.execute(f"SELECT coalesce(MAX(id), 0) FROM {name}").fetchone()[0]
            if top <= lo:
                break
            hi = min(int(top), lo + batch)
            conn.execute("BEGIN IMMEDIATE")
            try:
                if cursor(conn, name) != lo:  # another folder moved it meanwhile
                    conn.execute("ROLLBACK")
                    continue
                for statement in statements:
                    conn.execute(statement, {"lo": lo, "hi": hi})
                conn.execute(
                    "INSERT INTO refl_cursor(name, last_id) VALUES (?, ?)"
                    " ON CONFLICT(name) DO UPDATE SET last_id = excluded.last_id",
                    (name, hi),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            folded[name] += hi - lo
            time.sleep(WRITE_PAUSE_S)
    return folded


def _week_rows(conn: sqlite3.Connection, sign: int) -> str:
    has_players = has_table(conn, "players")
    cohort = f"coalesce(p.created_ms, 0) / {7 * DAY_MS}" if has_players else "0"
    join = " LEFT JOIN players p ON p.name = d.player" if has_players else ""
    return (
        f"INSERT INTO refl_week(player, earned, spent, cohort)"
        f" SELECT d.player, {sign} * SUM(d.earned), {sign} * SUM(d.spent), {cohort}"
        f" FROM refl_player_daily d{join} WHERE d.day >= ? AND d.day <= ?"
        " AND (d.earned <> 0 OR d.spent <> 0) GROUP BY d.player"
        " ON CONFLICT(player) DO UPDATE SET earned = earned + excluded.earned,"
        " spent = spent + excluded.spent"
    )


SETTLE_MS: Final = 600_000
"""A day enters ``refl_week`` only this long after it ended, so a row stamped just before
midnight but folded just after is never missed (the snapshot reads newer days directly)."""


def slide_week(conn: sqlite3.Connection, now_ms: int) -> int:
    """Move ``refl_week`` to end on the last settled complete day and return that day:
    rebuilt after a long gap, otherwise one day added and one removed per day passed."""
    target = (now_ms - SETTLE_MS) // DAY_MS - 1
    held = cursor(conn, "week")
    if held == target:
        return target
    conn.execute("BEGIN IMMEDIATE")
    try:
        if held == 0 or target - held >= WEEK_DAYS or held > target:
            conn.execute("DELETE FROM refl_week")
            conn.execute(_week_rows(conn, 1), (target - WEEK_DAYS + 1, target))
        else:
            for day in range(held + 1, target + 1):
                conn.execute(_week_rows(conn, 1), (day, day))
                conn.execute(_week_rows(conn, -1), (day - WEEK_DAYS, day - WEEK_DAYS))
            conn.execute("DELETE FROM refl_week WHERE earned = 0 AND spent = 0")
        conn.execute(
            "INSERT INTO refl_cursor(name, last_id) VALUES ('week', ?)"
            " ON CONFLICT(name) DO UPDATE SET last_id = excluded.last_id",
            (target,),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return target
