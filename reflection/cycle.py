"""One reflection cycle: fold rollups, read a snapshot, run both analysts, store everything.

Runs entirely in a worker thread on its own connection. Idempotent by cycle id: a cycle
whose reports are stored is not computed again (a replay returns what is stored and
changes nothing). The actions the analysts decide (unlocks, reward tuning) are recorded
here as *planned* rows in ``refl_actions``; the game applies them on its own loop and marks
them applied, so a crash between the two never applies anything twice. One analyst failing
is logged and recorded in the outcome; the other still runs and stores its report.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from reflection import cal, domingo, report, rollup, schema, snapshot
from reflection.rules import GrowthRules

log = logging.getLogger("sshrealm.reflection")

Report = cal.CalReport | domingo.DomingoReport
Analyst = Callable[[snapshot.Snapshot], Report]
INSIGHT_BATCH = 500


@dataclass(frozen=True, slots=True)
class Outcome:
    cycle_id: str
    replay: bool
    reports: dict[str, str] = field(default_factory=dict)
    """analyst -> Markdown path."""
    errors: dict[str, str] = field(default_factory=dict)
    timings_ms: dict[str, float] = field(default_factory=dict)
    planned: int = 0


def cycle_id_for(now_ms: int, interval_s: int) -> str:
    """The UTC start of the interval containing ``now_ms``, e.g. ``20261125T0630``."""
    start = now_ms // (interval_s * 1000) * interval_s
    return datetime.fromtimestamp(start, UTC).strftime("%Y%m%dT%H%M%S")


def open_db(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout=5000")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")  # as the game's: no fsync while holding the lock
    conn.execute("PRAGMA cache_size=-65536")  # 64 MiB: one cycle reads the rollups twice
    schema.ensure(conn)
    return conn


def analysts(rules: GrowthRules, policy: domingo.Policy, now_ms: int) -> dict[str, Analyst]:
    return {
        "cal": lambda s: cal.analyse(s, rules, now_ms),
        "domingo": lambda s: domingo.analyse(s, policy, now_ms),
    }


def warm_up() -> bool:
    """Run once in a fresh worker process at start: the imports are done before a cycle."""
    return True


def run_standard(
    db_path: Path,
    out_dir: Path,
    now_ms: int,
    cycle_id: str,
    rules: GrowthRules,
    policy: domingo.Policy,
) -> Outcome:
    """``run`` with Cal and Domingo; every argument pickles, so it can run in a process."""
    return run(db_path, out_dir, now_ms, cycle_id, analysts(rules, policy, now_ms))


def run(
    db_path: Path,
    out_dir: Path,
    now_ms: int,
    cycle_id: str,
    team: Mapping[str, Analyst],
) -> Outcome:
    conn = open_db(db_path)
    try:
        return _run(conn, out_dir, now_ms, cycle_id, team)
    finally:
        conn.close()


def _run(
    conn: sqlite3.Connection, out_dir: Path, now_ms: int, cycle_id: str, team: Mapping[str, Analyst]
) -> Outcome:
    stored = {
        a for (a,) in conn.execute("SELECT analyst FROM refl_reports WHERE cycle_id=?", (cycle_id,))
    }
    if set(team) <= stored:
        stored_paths = {a: str(out_dir / cycle_id / f"{a}.md") for a in team}
        return Outcome(cycle_id, replay=True, reports=stored_paths)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    rollup.fold(conn)
    rollup.slide_week(conn, now_ms)
    timings["fold"] = _ms(started)
    started = time.perf_counter()
    snap = snapshot.read(conn, now_ms, cycle_id)
    timings["snapshot"] = _ms(started)
    errors: dict[str, str] = {}
    paths: dict[str, str] = {}
    planned = 0
    for name, analyst in team.items():
        if name in stored:
            continue
        started = time.perf_counter()
        try:
            result = analyst(snap)
        except Exception as exc:
            log.exception("analyst %s failed in cycle %s", name, cycle_id)
            errors[name] = f"{type(exc).__name__}: {exc}"
            continue
        timings[name] = _ms(started)
        started = time.perf_counter()
        planned += _store(conn, cycle_id, name, result, now_ms)
        body = report.to_json(result)
        md = (
            report.cal_markdown(result)
            if isinstance(result, cal.CalReport)
            else report.domingo_markdown(result)
        )
        paths[name] = str(report.write(out_dir / cycle_id, name, body, md))
        timings[f"store_{name}"] = _ms(started)
    # Checkpoint the cycle's own writes here, off the loop: otherwise the game's next commit
    # may cross the auto-checkpoint threshold and copy them on the event loop.
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    return Outcome(cycle_id, False, paths, errors, timings, planned)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _store(conn: sqlite3.Connection, cycle_id: str, name: str, result: Report, now_ms: int) -> int:
    """Store the report row, Cal's per-player insights and milestones, and planned actions;
    short transactions so the game's writer never waits long for the lock."""
    actions: list[tuple[str, str, str, str]] = []
    if isinstance(result, cal.CalReport):
        rows = [
            (
                i.player,
                cycle_id,
                json.dumps(_insight_body(i), sort_keys=True),
                i.style,
                i.last_ts,
                i.median_gap,
                i.days,
            )
            for i in result.insights
        ]
        for lo in range(0, len(rows), INSIGHT_BATCH):
            with _tx(conn):
                conn.executemany(
                    "INSERT INTO refl_insights"
                    "(player, cycle_id, body, style, last_ts, median_gap, days)"
                    " VALUES (?,?,?,?,?,?,?) ON CONFLICT(player) DO UPDATE"
                    " SET cycle_id=excluded.cycle_id, body=excluded.body, style=excluded.style,"
                    " last_ts=excluded.last_ts, median_gap=excluded.median_gap,"
                    " days=excluded.days",
                    rows[lo : lo + INSIGHT_BATCH],
                )
        with _tx(conn):
            conn.executemany(
                "INSERT INTO refl_milestones(player, milestone, cycle_id, reached_ms)"
                " VALUES (?,?,?,?)"
                " ON CONFLICT(player, milestone) DO NOTHING",
                [(p, m, cycle_id, now_ms) for p, m in result.new_milestones],
            )
            counts: dict[str, int] = {}
            for _, m in result.new_milestones:
                counts[m] = counts.get(m, 0) + 1
            conn.executemany(
                "INSERT INTO refl_milestone_counts(milestone, n) VALUES (?, ?)"
                " ON CONFLICT(milestone) DO UPDATE SET n = n + excluded.n",
                sorted(counts.items()),
            )
        actions = [(cycle_id, "unlock", f"{u.player} {u.grant}", u.reason) for u in result.unlocks]
    else:
        actions = [
            (
                cycle_id,
                "tuning",
                str(c.code),
                json.dumps({"old": c.old, "new": c.new, "reason": c.reason}),
            )
            for c in result.tuning
        ]
    with _tx(conn):
        conn.executemany(
            "INSERT INTO refl_actions(cycle_id, kind, target, detail) VALUES (?,?,?,?)"
            " ON CONFLICT(cycle_id, kind, target) DO NOTHING",
            actions,
        )
        conn.execute(
            "INSERT INTO refl_reports(cycle_id, analyst, created_ms, body) VALUES (?,?,?,?)"
            " ON CONFLICT(cycle_id, analyst) DO NOTHING",
            (cycle_id, name, now_ms, report.to_json(result)),
        )
    return len(actions)


def _insight_body(i: cal.Insight) -> dict[str, object]:
    return {
        "style": i.style,
        "shares": i.shares,
        "milestones": i.milestones,
        "next_milestone": i.next_milestone,
        "prompt": i.prompt,
        "churn": i.churn,
        "days_since_last": i.days_since_last,
        "median_gap": i.median_gap,
        "suggestions": [
            {"rule": s.rule, "text": s.text, "numbers": s.numbers} for s in i.suggestions
        ],
    }


class _tx:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on error."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        self.conn.execute("COMMIT" if kind is None else "ROLLBACK")
        time.sleep(schema.WRITE_PAUSE_S)
