"""Read everything both analysts need, once, inside one read transaction (one consistent view).

This runs in a worker thread on its own connection (sqlite3 releases the GIL while SQLite
works, so the event loop keeps running). All heavy lifting is SQL over the rollups; the
analysts then get plain immutable values and never touch the database.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from economy import MINT, SINK
from economy import verify as ledger_verify
from economy.schema import ESCROW
from reflection.schema import CATEGORIES, DAY_MS, HOUR_MS

ACTIVE_DAYS: Final = 14
"""Players with an action in this many days get a personal insight each cycle."""

Flows = Mapping[int, tuple[int, int]]
"""reason code -> (transfer count, tokens)."""


@dataclass(frozen=True, slots=True)
class PlayerFacts:
    player: str
    metrics: Mapping[str, float]
    active_days: tuple[int, ...]
    milestones: frozenset[str]
    unlocks: frozenset[str]


@dataclass(frozen=True, slots=True)
class Snapshot:
    now_ms: int
    cycle_id: str
    players_total: int = 0
    active: tuple[PlayerFacts, ...] = ()
    milestone_counts: Mapping[str, int] = field(default_factory=dict)
    dau: int = 0
    wau: int = 0
    mau: int = 0
    d1: tuple[int, int] = (0, 0)
    d7: tuple[int, int] = (0, 0)
    balances: tuple[int, ...] = ()
    top: tuple[tuple[str, int], ...] = ()
    mint: int = 0
    sink: int = 0
    escrow: int = 0
    flows_24h: Flows = field(default_factory=dict)
    flows_prev_24h: Flows = field(default_factory=dict)
    flows_all: Flows = field(default_factory=dict)
    daily: tuple[tuple[int, int, int], ...] = ()
    earners_7d: tuple[tuple[str, int, int], ...] = ()
    spenders_7d: tuple[tuple[str, int, int], ...] = ()
    new_wallets_24h: int = 0
    checks: tuple[tuple[str, bool, str], ...] = ()
    hourly: tuple[tuple[int, int, float], ...] = ()
    multipliers: Mapping[int, float] = field(default_factory=dict)


def _has(conn: sqlite3.Connection, table: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,))
    return row.fetchone() is not None


def _flows(conn: sqlite3.Connection, lo: int, hi: int) -> dict[int, tuple[int, int]]:
    rows = conn.execute(
        "SELECT code, COUNT(*), SUM(amount) FROM transfers WHERE ts > ? AND ts <= ? GROUP BY code",
        (lo, hi),
    )
    return {int(c): (int(n), int(t)) for c, n, t in rows}


def read(conn: sqlite3.Connection, now_ms: int, cycle_id: str) -> Snapshot:
    """The snapshot at ``now_ms``; windows end at ``now_ms`` so a replay reads the same."""
    conn.execute("BEGIN")
    try:
        return _read(conn, now_ms, cycle_id)
    finally:
        conn.execute("COMMIT")


def _read(conn: sqlite3.Connection, now: int, cycle_id: str) -> Snapshot:
    today = now // DAY_MS
    one = conn.execute
    system = dict(
        one("SELECT name, balance FROM accounts WHERE name IN (?,?,?)", (MINT, SINK, ESCROW))
    )
    balances = [
        (str(n)[7:], int(b))
        for n, b in one("SELECT name, balance FROM accounts WHERE kind='player' ORDER BY balance")
    ]
    balance_of = dict(balances)
    has_players = _has(conn, "players")
    total = one("SELECT COUNT(*) FROM players").fetchone()[0] if has_players else len(balances)
    created: dict[str, int] = {}
    if has_players:
        created = {str(n).lower(): int(c) for n, c in one("SELECT name, created_ms FROM players")}
    daily = tuple(
        (int(d), int(f or 0), int(s or 0))
        for d, f, s in one(
            "SELECT day, SUM(CASE WHEN code/100=1 THEN total END),"
            " SUM(CASE WHEN code/100=2 THEN total END) FROM refl_flows_daily"
            " WHERE day > ? AND day <= ? GROUP BY day ORDER BY day",
            (today - 30, today),
        )
    )
    week = today - 6
    earners = tuple(
        (str(p), created.get(str(p), 0) // (7 * DAY_MS), int(e))
        for p, e in one(
            "SELECT player, SUM(earned) FROM refl_player_daily WHERE day >= ? AND day <= ?"
            " GROUP BY player HAVING SUM(earned) > 0",
            (week, today),
        )
    )
    spenders = tuple(
        (str(p), int(s), balance_of.get(str(p), 0))
        for p, s in one(
            "SELECT player, SUM(spent) FROM refl_player_daily WHERE day >= ? AND day <= ?"
            " GROUP BY player HAVING SUM(spent) > 0",
            (week, today),
        )
    )
    return Snapshot(
        now_ms=now,
        cycle_id=cycle_id,
        players_total=int(total),
        active=_active(conn, now, balance_of),
        milestone_counts=dict(one("SELECT milestone, COUNT(*) FROM refl_milestones GROUP BY 1")),
        dau=one(
            "SELECT COUNT(DISTINCT player) FROM activity WHERE ts > ? AND ts <= ? AND ok=1",
            (now - DAY_MS, now),
        ).fetchone()[0],
        wau=_distinct_days(conn, today - 6, today),
        mau=_distinct_days(conn, today - 29, today),
        d1=_retention(conn, created, today, 1) if has_players else (0, 0),
        d7=_retention(conn, created, today, 7) if has_players else (0, 0),
        balances=tuple(b for _, b in balances),
        top=tuple(sorted(balances, key=lambda nb: (-nb[1], nb[0]))[:10]),
        mint=int(system.get(MINT, 0)),
        sink=int(system.get(SINK, 0)),
        escrow=int(system.get(ESCROW, 0)),
        flows_24h=_flows(conn, now - DAY_MS, now),
        flows_prev_24h=_flows(conn, now - 2 * DAY_MS, now - DAY_MS),
        flows_all={
            int(c): (int(n), int(t))
            for c, n, t in one("SELECT code, SUM(n), SUM(total) FROM refl_flows_daily GROUP BY 1")
        },
        daily=daily,
        earners_7d=earners,
        spenders_7d=spenders,
        new_wallets_24h=one(
            "SELECT COUNT(*) FROM accounts WHERE kind='player' AND created_at > ?",
            (now - DAY_MS,),
        ).fetchone()[0],
        checks=tuple((c.name, c.ok, c.detail) for c in ledger_verify.run(conn, full=False).checks),
        hourly=tuple(
            (int(h), int(a), float(c))
            for h, a, c in one(
                "SELECT hour, actions, cost_ms FROM refl_hourly WHERE hour > ? AND hour <= ?"
                " ORDER BY hour",
                (now // HOUR_MS - 48, now // HOUR_MS),
            )
        ),
        multipliers={int(c): float(v) for c, v in one("SELECT code, value FROM refl_multipliers")},
    )


def _distinct_days(conn: sqlite3.Connection, lo: int, hi: int) -> int:
    row = conn.execute(
        "SELECT COUNT(DISTINCT player) FROM refl_player_daily"
        " WHERE day >= ? AND day <= ? AND actions > 0",
        (lo, hi),
    ).fetchone()
    return int(row[0])


def _retention(
    conn: sqlite3.Connection, created: Mapping[str, int], today: int, n: int
) -> tuple[int, int]:
    """(cohort, retained): players who signed up 7 days ending n days ago, and how many of
    them acted on day signup+n."""
    cohort = {
        p: c // DAY_MS for p, c in created.items() if today - n - 6 <= c // DAY_MS <= today - n
    }
    if not cohort:
        return (0, 0)
    came_back = {
        (str(p), int(d))
        for p, d in conn.execute(
            "SELECT player, day FROM refl_player_daily WHERE day >= ? AND day <= ? AND actions > 0",
            (today - 6, today),
        )
    }
    return (len(cohort), sum((p, d + n) in came_back for p, d in cohort.items()))


def _active(
    conn: sqlite3.Connection, now: int, balance_of: Mapping[str, int]
) -> tuple[PlayerFacts, ...]:
    """Everything Cal needs about each player active in the last ACTIVE_DAYS days."""
    since = now - ACTIVE_DAYS * DAY_MS
    base = conn.execute(
        "SELECT player, actions, last_ts FROM refl_player WHERE last_ts > ? AND last_ts <= ?",
        (since, now),
    ).fetchall()
    if not base:
        return ()
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS refl_active(player TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.refl_active")
    conn.executemany("INSERT INTO temp.refl_active VALUES (?)", [(r[0],) for r in base])
    metrics: dict[str, dict[str, float]] = defaultdict(dict)
    days: dict[str, list[int]] = defaultdict(list)
    marks: dict[str, set[str]] = defaultdict(set)
    grants: dict[str, set[str]] = defaultdict(set)
    q = conn.execute
    for p, verb, cat, n in q(
        "SELECT v.player, verb, category, n FROM refl_player_verbs v"
        " JOIN temp.refl_active USING(player)"
    ):
        m = metrics[p]
        m[f"verb.{verb}"] = n
        m[f"category.{cat}"] = m.get(f"category.{cat}", 0) + n
    for p, n in q(
        "SELECT r.player, COUNT(*) FROM refl_player_rooms r"
        " JOIN temp.refl_active USING(player) GROUP BY 1"
    ):
        metrics[p]["rooms"] = n
    for p, d, actions, earned, spent in q(
        "SELECT d.player, day, actions, earned, spent FROM refl_player_daily d"
        " JOIN temp.refl_active USING(player) ORDER BY d.player, day"
    ):
        m = metrics[p]
        m["earned"] = m.get("earned", 0) + earned
        m["spent"] = m.get("spent", 0) + spent
        if actions > 0:
            days[p].append(int(d))
    for p, ms in q(
        "SELECT m.player, milestone FROM refl_milestones m JOIN temp.refl_active USING(player)"
    ):
        marks[p].add(ms)
    if _has(conn, "player_unlocks"):
        for p, u in q(
            "SELECT lower(u.player), unlock FROM player_unlocks u"
            " JOIN temp.refl_active a ON a.player = lower(u.player)"
        ):
            grants[p].add(u)
            metrics[p][f"unlock.{u}"] = 1
    if _has(conn, "player_skills"):
        for p, skill, xp in q(
            "SELECT lower(s.player), skill, xp FROM player_skills s"
            " JOIN temp.refl_active a ON a.player = lower(s.player)"
        ):
            metrics[p][f"xp.{skill}"] = xp
    out = []
    for player, actions, last_ts in sorted(base):
        m = metrics[player]
        m["actions"] = actions
        m["days"] = len(days[player])
        m["balance"] = balance_of.get(player, 0)
        m["days_since_last"] = (now - last_ts) // DAY_MS
        m.setdefault("rooms", 0)
        for cat in CATEGORIES:
            m.setdefault(f"category.{cat}", 0)
            m[f"share.{cat}"] = round(m[f"category.{cat}"] / actions, 2) if actions else 0.0
        out.append(
            PlayerFacts(
                player,
                dict(m),
                tuple(days[player]),
                frozenset(marks[player]),
                frozenset(grants[player]),
            )
        )
    return tuple(out)
