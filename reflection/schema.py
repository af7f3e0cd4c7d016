"""Tables the reflection cycle owns, in the game database beside the ledger.

``activity`` is written by the game (one row per player action, see
``game/services/activity.py``);
the ``refl_*`` rollups are maintained incrementally from cursors over ``activity`` and
``transfers`` so that a cycle reads a few thousand aggregated rows instead of scanning a
million transfers (research/ledger_economy.md: 2.4 s without rollups, the goal is 1 s).
Reports, applied actions and reward multipliers are keyed by cycle id, so a replayed cycle
changes nothing.
"""

from __future__ import annotations

import sqlite3
from typing import Final

DAY_MS: Final = 86_400_000
HOUR_MS: Final = 3_600_000
CATEGORIES: Final = ("achieve", "explore", "socialize", "trade")
"""Play-style categories of an action; anything else is stored as ``other``."""

DDL: Final = (
    """CREATE TABLE IF NOT EXISTS activity (
        id       INTEGER PRIMARY KEY,
        ts       INTEGER NOT NULL,
        player   TEXT    NOT NULL,
        verb     TEXT    NOT NULL,
        room     TEXT    NOT NULL DEFAULT '',
        category TEXT    NOT NULL,
        tokens   INTEGER NOT NULL DEFAULT 0,
        ok       INTEGER NOT NULL DEFAULT 1,
        cost_ms  REAL    NOT NULL DEFAULT 0
    ) STRICT""",
    "CREATE INDEX IF NOT EXISTS activity_ts ON activity(ts)",
    """CREATE TABLE IF NOT EXISTS refl_cursor (
        name    TEXT PRIMARY KEY,
        last_id INTEGER NOT NULL
    ) STRICT""",
    """CREATE TABLE IF NOT EXISTS refl_flows_daily (
        day INTEGER NOT NULL, code INTEGER NOT NULL,
        n INTEGER NOT NULL, total INTEGER NOT NULL,
        PRIMARY KEY (day, code)
    ) STRICT""",
    """CREATE TABLE IF NOT EXISTS refl_player_daily (
        player TEXT NOT NULL, day INTEGER NOT NULL,
        actions INTEGER NOT NULL DEFAULT 0, earned INTEGER NOT NULL DEFAULT 0,
        spent INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (player, day)
    ) STRICT""",
    "CREATE INDEX IF NOT EXISTS refl_player_daily_day ON refl_player_daily(day)",
    """CREATE TABLE IF NOT EXISTS refl_player (
        player TEXT PRIMARY KEY, actions INTEGER NOT NULL DEFAULT 0,
        first_ts INTEGER, last_ts INTEGER
    ) STRICT""",
    "CREATE INDEX IF NOT EXISTS refl_player_last ON refl_player(last_ts)",
    """CREATE TABLE IF NOT EXISTS refl_player_verbs (
        player TEXT NOT NULL, verb TEXT NOT NULL, category TEXT NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (player, verb)
    ) STRICT""",
    """CREATE TABLE IF NOT EXISTS refl_player_rooms (
        player TEXT NOT NULL, room TEXT NOT NULL,
        PRIMARY KEY (player, room)
    ) STRICT, WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS refl_hourly (
        hour INTEGER PRIMARY KEY, actions INTEGER NOT NULL, cost_ms REAL NOT NULL
    ) STRICT""",
    """CREATE TABLE IF NOT EXISTS refl_milestones (
        player TEXT NOT NULL, milestone TEXT NOT NULL, cycle_id TEXT NOT NULL,
        reached_ms INTEGER NOT NULL,
        PRIMARY KEY (player, milestone)
    ) STRICT""",
    """CREATE TABLE IF NOT EXISTS refl_milestone_counts (
        milestone TEXT PRIMARY KEY, n INTEGER NOT NULL
    ) STRICT""",
    # Per-player earnings and spending over the 6 complete days before today, slid forward
    # one day at a time (add the new day, subtract the one that left); cohort = signup week.
    """CREATE TABLE IF NOT EXISTS refl_week (
        player TEXT PRIMARY KEY, earned INTEGER NOT NULL, spent INTEGER NOT NULL,
        cohort INTEGER NOT NULL
    ) STRICT""",
    """CREATE TABLE IF NOT EXISTS refl_reports (
        cycle_id TEXT NOT NULL, analyst TEXT NOT NULL, created_ms INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (cycle_id, analyst)
    ) STRICT""",
    # One row per player: the latest insight, plus what the server-wide counts need for
    # players who did not act this cycle (their style stands; churn is recomputed in SQL).
    """CREATE TABLE IF NOT EXISTS refl_insights (
        player TEXT PRIMARY KEY, cycle_id TEXT NOT NULL, body TEXT NOT NULL,
        style TEXT NOT NULL, last_ts INTEGER NOT NULL, median_gap REAL NOT NULL,
        days INTEGER NOT NULL
    ) STRICT""",
    # Covering index: the server-wide style and churn counts never read the JSON bodies.
    """CREATE INDEX IF NOT EXISTS refl_insights_standing
        ON refl_insights(last_ts, style, median_gap, days, player)""",
    """CREATE TABLE IF NOT EXISTS refl_actions (
        cycle_id TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL,
        detail TEXT NOT NULL, applied_ms INTEGER,
        PRIMARY KEY (cycle_id, kind, target)
    ) STRICT""",
    """CREATE TABLE IF NOT EXISTS refl_multipliers (
        code INTEGER PRIMARY KEY, value REAL NOT NULL, cycle_id TEXT NOT NULL
    ) STRICT""",
    """CREATE TABLE IF NOT EXISTS refl_tuning_log (
        id INTEGER PRIMARY KEY, cycle_id TEXT NOT NULL, code INTEGER NOT NULL,
        old REAL NOT NULL, new REAL NOT NULL, reason TEXT NOT NULL, ts INTEGER NOT NULL
    ) STRICT""",
)


WRITE_PAUSE_S: Final = 0.004
"""Pause after each short write transaction of the cycle's worker thread. The game writes
on the event loop; when it finds the database locked, SQLite's busy handler sleeps in
growing steps (1, 2, 5, 10 ms...) and the loop waits with it, so the worker keeps each write
transaction small and leaves the lock free between them (research: loop lag p99 <= 20 ms)."""


def ensure(conn: sqlite3.Connection) -> None:
    """Create every reflection table if missing (idempotent, one statement at a time so a
    caller's open transaction is not committed behind its back)."""
    for statement in DDL:
        conn.execute(statement)


def category_of(name: str) -> str:
    return name if name in CATEGORIES else "other"
