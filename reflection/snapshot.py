"""Read everything both analysts need, once, inside one read transaction (one consistent view).

This runs in a worker thread on its own connection (sqlite3 releases the GIL while SQLite
works, so the event loop keeps running). All heavy lifting is SQL over the rollups; the
analysts then get plain immutable values and never touch the database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from economy import MINT, SINK
from economy import verify as ledger_verify
from economy.schema import ESCROW
from reflection.facts import PlayerFacts, has_table, read_active
from reflection.feedback import FeedbackDigest, read_feedback
from reflection.schema import DAY_MS, HOUR_MS

RECONCILE_EVERY_MS = HOUR_MS
"""How often a cycle also reconciles every account against the whole transfer log."""

ACTIVE_DAYS: Final = 14
"""Players with an action in this many days get a personal insight each cycle."""

Flows = Mapping[int, tuple[int, int]]
"""reason code -> (transfer count, tokens)."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    now_ms: int
    cycle_id: str
    players_total: int = 0
    active: tuple[PlayerFacts, ...] = ()
    """Players who acted since the last cycle (all of the last 14 days on a first cycle)."""
    standing_styles: Mapping[str, int] = field(default_factory=dict)
    """Styles of the other players active in 14 days, as their stored insights say."""
    standing_churn: Mapping[str, int] = field(default_factory=dict)
    """Churn risk of those players, recomputed for now from their stored gaps."""
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
    """System balances as of ``now_ms`` (transfers stamped later are taken back out), so
    they agree with the 24 h flows, which end at ``now_ms`` too."""
    economy_since: int | None = None
    """When the first transfer happened (None: no transfer yet)."""
    flows_24h: Flows = field(default_factory=dict)
    flows_prev_24h: Flows = field(default_factory=dict)
    flows_all: Flows = field(default_factory=dict)
    daily: tuple[tuple[int, int, int], ...] = ()
    earners_7d: tuple[tuple[str, int, int], ...] = ()
    spenders_7d: tuple[tuple[str, int, int], ...] = ()
    new_wallets_24h: int = 0
    checks: tuple[tuple[str, bool, str], ...] = ()
    reconciled: bool = False  # a full reconciliation ran in this cycle and passed
    hourly: tuple[tuple[int, int, float], ...] = ()
    multipliers: Mapping[int, float] = field(default_factory=dict)
    feedback: FeedbackDigest = field(default_factory=FeedbackDigest)
    """What players asked for with bug, idea and typo (for Cal)."""


def _flows(conn: sqlite3.Connection, lo: int, hi: int) -> dict[int, tuple[int, int]]:
    rows = conn.execute(
        "SELECT code, COUNT(*), SUM(amount) FROM transfers WHERE ts > ? AND ts <= ? GROUP BY code",
        (lo, hi),
    )
    return {int(c): (int(n), int(t)) for c, n, t in rows}


def _as_of(conn: sqlite3.Connection, balances: Mapping[str, int], now: int) -> dict[str, int]:
    """The system accounts' balances at ``now``: today's minus what moved after ``now``
    (a cycle reads a moment after its ``now``, and a replay long after)."""
    out = dict(balances)
    for name, sign, side in (
        (n, s, d) for n in balances for s, d in ((1, "debit"), (-1, "credit"))
    ):
        (moved,) = conn.execute(
            f"SELECT coalesce(SUM(t.amount), 0) FROM transfers t"
            f" JOIN accounts a ON a.id = t.{side}_account_id WHERE a.name = ? AND t.ts > ?",
            (name, now),
        ).fetchone()
        out[name] += sign * int(moved)
    return out


def read(conn: sqlite3.Connection, now_ms: int, cycle_id: str) -> Snapshot:
    """The snapshot at ``now_ms``; windows end at ``now_ms`` so a replay reads the same."""
    conn.execute("BEGIN")
    try:
        snap = _read(conn, now_ms, cycle_id)
    finally:
        conn.execute("COMMIT")
    if snap.reconciled:  # after the read transaction, which must not hold the write lock
        conn.execute(
            "INSERT INTO refl_cursor(name, last_id) VALUES ('reconciled', ?)"
            " ON CONFLICT(name) DO UPDATE SET last_id = excluded.last_id",
            (now_ms,),
        )
    return snap


def _ledger_checks(
    conn: sqlite3.Connection, now: int
) -> tuple[tuple[tuple[str, bool, str], ...], bool]:
    """The quick invariants every cycle; the full reconciliation against the transfer log
    (about 0.4 s per million transfers) when the last good one is an hour old. Returns the
    checks and whether a full one ran and passed. A failed one is not recorded as good, so
    it runs, and is reported, every cycle until mended."""
    row = conn.execute("SELECT last_id FROM refl_cursor WHERE name='reconciled'").fetchone()
    last = int(row[0]) if row else None
    full = last is None or now - last >= RECONCILE_EVERY_MS
    report = ledger_verify.run(conn, full=full)
    checks = [(c.name, c.ok, c.detail) for c in report.checks]
    if last is not None and not full:
        minutes = (now - last) // 60_000
        checks.append(("log_matches", True, f"matched the transfer log {minutes} min ago"))
    return tuple(checks), full and report.ok


def _read(conn: sqlite3.Connection, now: int, cycle_id: str) -> Snapshot:
    today = now // DAY_MS
    one = conn.execute
    system = _as_of(
        conn,
        {
            str(n): int(b)
            for n, b in one(
                "SELECT name, balance FROM accounts WHERE name IN (?,?,?)", (MINT, SINK, ESCROW)
            )
        },
        now,
    )
    (first_transfer,) = one("SELECT MIN(ts) FROM transfers").fetchone()
    balance_of = {
        str(n): int(b)
        for n, b in one("SELECT substr(name, 8), balance FROM accounts WHERE kind='player'")
    }
    balances = sorted(balance_of.values())
    top = tuple(
        (str(n)[7:], int(b))
        for n, b in one(
            "SELECT name, balance FROM accounts WHERE kind='player'"
            " ORDER BY balance DESC, name LIMIT 10"
        )
    )
    has_players = has_table(conn, "players")
    total = one("SELECT COUNT(*) FROM players").fetchone()[0] if has_players else len(balances)
    daily = tuple(
        (int(d), int(f or 0), int(s or 0))
        for d, f, s in one(
            "SELECT day, SUM(CASE WHEN code/100=1 THEN total END),"
            " SUM(CASE WHEN code/100=2 THEN total END) FROM refl_flows_daily"
            " WHERE day > ? AND day <= ? GROUP BY day ORDER BY day",
            (today - 30, today),
        )
    )
    earners, spenders = _week(conn, today, has_players, balance_of)
    checks, reconciled = _ledger_checks(conn, now)
    since = _since(conn, now)
    active = read_active(conn, now, since)
    styles, churn = _standing(conn, now, since)
    return Snapshot(
        now_ms=now,
        cycle_id=cycle_id,
        players_total=int(total),
        active=active,
        standing_styles=styles,
        standing_churn=churn,
        milestone_counts=dict(one("SELECT milestone, n FROM refl_milestone_counts")),
        dau=_active_since(conn, now - DAY_MS + 1, now, exact=True),
        wau=_active_since(conn, (today - 6) * DAY_MS, now),
        mau=_active_since(conn, (today - 29) * DAY_MS, now),
        d1=_retention(conn, today, 1) if has_players else (0, 0),
        d7=_retention(conn, today, 7) if has_players else (0, 0),
        balances=tuple(balances),
        top=top,
        mint=int(system.get(MINT, 0)),
        sink=int(system.get(SINK, 0)),
        escrow=int(system.get(ESCROW, 0)),
        economy_since=int(first_transfer) if first_transfer is not None else None,
        flows_24h=_flows(conn, now - DAY_MS, now),
        flows_prev_24h=_flows(conn, now - 2 * DAY_MS, now - DAY_MS),
        flows_all={
            int(c): (int(n), int(t))
            for c, n, t in one("SELECT code, SUM(n), SUM(total) FROM refl_flows_daily GROUP BY 1")
        },
        daily=daily,
        earners_7d=tuple(earners),
        spenders_7d=tuple(spenders),
        new_wallets_24h=one(
            "SELECT COUNT(*) FROM accounts WHERE kind='player' AND created_at > ?",
            (now - DAY_MS,),
        ).fetchone()[0],
        checks=checks,
        reconciled=reconciled,
        hourly=tuple(
            (int(h), int(a), float(c))
            for h, a, c in one(
                "SELECT hour, actions, cost_ms FROM refl_hourly WHERE hour > ? AND hour <= ?"
                " ORDER BY hour",
                (now // HOUR_MS - 48, now // HOUR_MS),
            )
        ),
        multipliers={int(c): float(v) for c, v in one("SELECT code, value FROM refl_multipliers")},
        feedback=read_feedback(conn, now),
    )


def _active_since(conn: sqlite3.Connection, lo: int, now: int, *, exact: bool = False) -> int:
    """Players whose last action falls in [lo, now] (``exact``) or [lo, end of today]:
    exactly those who acted in that window, as rows are never written in the future; read
    from the last_ts index instead of counting distinct players over the activity log."""
    end = now + 1 if exact else (now // DAY_MS + 1) * DAY_MS
    row = conn.execute(
        "SELECT COUNT(*) FROM refl_player WHERE last_ts >= ? AND last_ts < ?", (lo, end)
    ).fetchone()
    return int(row[0])


def _retention(conn: sqlite3.Connection, today: int, n: int) -> tuple[int, int]:
    """(cohort, retained): players who signed up in the 7 days ending n days ago, and how
    many of them acted on day signup+n."""
    row = conn.execute(
        "SELECT COUNT(*), coalesce(SUM(EXISTS (SELECT 1 FROM refl_player_daily d"
        "  WHERE d.player = lower(p.name) AND d.day = p.created_ms / ?1 + ?2"
        "  AND d.actions > 0)), 0)"
        " FROM players p WHERE p.created_ms >= ?3 AND p.created_ms < ?4",
        (DAY_MS, n, (today - n - 6) * DAY_MS, (today - n + 1) * DAY_MS),
    ).fetchone()
    return (int(row[0]), int(row[1]))


def _since(conn: sqlite3.Connection, now: int) -> int:
    """Players who acted after this get a fresh insight: the previous cycle's time, or
    ACTIVE_DAYS back on a first cycle (or after a long pause)."""
    row = conn.execute(
        "SELECT MAX(created_ms) FROM refl_reports WHERE analyst='cal' AND created_ms < ?", (now,)
    ).fetchone()
    floor = now - ACTIVE_DAYS * DAY_MS
    return max(floor, int(row[0])) if row[0] is not None else floor


_RISK = (
    "CASE WHEN days <= 1 AND (?1 - last_ts) / ?2 >= 2 THEN 'high'"
    " WHEN (?1 - last_ts) / ?2 <= max(1.0, median_gap) THEN 'low'"
    " WHEN (?1 - last_ts) / ?2 <= 2 * max(1.0, median_gap) THEN 'medium' ELSE 'high' END"
)


def _standing(
    conn: sqlite3.Connection, now: int, since: int
) -> tuple[dict[str, int], dict[str, int]]:
    """Style and churn counts for players active in ACTIVE_DAYS who did not act since the
    last cycle (``temp.refl_active`` holds those who did); churn follows ``cal.churn_of``
    exactly, in SQL. All stored rows in the window, minus the rows of players who acted."""
    styles: dict[str, int] = {}
    churn: dict[str, int] = {}
    params = (now, DAY_MS, now - ACTIVE_DAYS * DAY_MS)
    for sign, where in (
        (1, ""),
        (-1, " AND player IN (SELECT player FROM temp.refl_active)"),
    ):
        rows = conn.execute(
            f"SELECT style, {_RISK}, COUNT(*) FROM refl_insights"
            f" WHERE last_ts > ?3{where} GROUP BY 1, 2",
            params,
        )
        for style, risk, n in rows:
            styles[style] = styles.get(style, 0) + sign * n
            churn[risk] = churn.get(risk, 0) + sign * n
    return styles, churn


def _week(
    conn: sqlite3.Connection, today: int, has_players: bool, balance_of: Mapping[str, int]
) -> tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    """(earners, spenders) over 7 days: ``refl_week`` plus the days since it last slid."""
    held = conn.execute("SELECT last_id FROM refl_cursor WHERE name='week'").fetchone()
    first_new = int(held[0]) + 1 if held else today - 6
    week: dict[str, list[int]] = {
        str(p): [int(e), int(s), int(c)]
        for p, e, s, c in conn.execute("SELECT player, earned, spent, cohort FROM refl_week")
    }
    cohort = f"coalesce(p.created_ms, 0) / {7 * DAY_MS}" if has_players else "0"
    join = " LEFT JOIN players p ON p.name = d.player" if has_players else ""
    for p, e, s, c in conn.execute(
        f"SELECT d.player, SUM(d.earned), SUM(d.spent), {cohort} FROM refl_player_daily d{join}"
        " WHERE d.day >= ? AND d.day <= ? AND (d.earned <> 0 OR d.spent <> 0) GROUP BY d.player",
        (max(first_new, today - 6), today),
    ):
        row = week.setdefault(str(p), [0, 0, int(c)])
        row[0] += int(e)
        row[1] += int(s)
    earners = [(p, c, e) for p, (e, _, c) in week.items() if e > 0]
    spenders = [(p, s, balance_of.get(p, 0)) for p, (_, s, _) in week.items() if s > 0]
    return sorted(earners), sorted(spenders)
