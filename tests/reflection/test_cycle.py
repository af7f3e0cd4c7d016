"""The cycle against a seeded population: every report figure checked against direct SQL."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from reflection import cycle, domingo
from reflection.rules import load
from reflection.schema import DAY_MS
from tests.conftest import ROOT
from tests.reflection.population import NOW, populate

RULES = load(ROOT / "content" / "growth.yaml")


def _run(
    tmp_path: Path, team: dict[str, cycle.Analyst] | None = None, now: int = NOW
) -> cycle.Outcome:
    return cycle.run(
        tmp_path / "game.db",
        tmp_path / "reports",
        now,
        cycle.cycle_id_for(now, 300),
        team or cycle.analysts(RULES, domingo.Policy(), now),
    )


@pytest.fixture
def db(tmp_path: Path) -> sqlite3.Connection:
    conn = populate(tmp_path / "game.db")
    yield conn
    conn.close()


def _report(conn: sqlite3.Connection, analyst: str) -> dict:
    return json.loads(
        conn.execute("SELECT body FROM refl_reports WHERE analyst=?", (analyst,)).fetchone()[0]
    )


def test_cycle_domingo_figures_match_sql(db: sqlite3.Connection, tmp_path: Path) -> None:
    outcome = _run(tmp_path)
    assert outcome.errors == {}
    r = _report(db, "domingo")
    one = lambda sql, *a: db.execute(sql, a).fetchone()[0]  # noqa: E731
    assert r["supply"]["supply"] == one(
        "SELECT SUM(balance) FROM accounts WHERE name <> 'system:mint' AND name <> 'system:sink'"
    )
    assert r["supply"]["minted"] == -one("SELECT balance FROM accounts WHERE name='system:mint'")
    assert r["supply"]["burned"] == one("SELECT balance FROM accounts WHERE name='system:sink'")
    window = (NOW - DAY_MS, NOW)
    assert r["supply"]["faucet_24h"] == one(
        "SELECT coalesce(SUM(amount),0) FROM transfers WHERE code/100=1 AND ts>? AND ts<=?", *window
    )
    assert r["supply"]["sink_24h"] == one(
        "SELECT coalesce(SUM(amount),0) FROM transfers WHERE code/100=2 AND ts>? AND ts<=?", *window
    )
    for row in r["faucets"]:
        assert row["tokens_all"] == one(
            "SELECT SUM(amount) FROM transfers WHERE code=?", row["code"]
        )
    gini = one(
        "WITH b AS (SELECT balance x, ROW_NUMBER() OVER (ORDER BY balance) i, COUNT(*) OVER () n,"
        " SUM(balance) OVER () t FROM accounts WHERE kind='player')"
        " SELECT 2.0*SUM(i*x)/(MAX(n)*MAX(t)) - (MAX(n)+1.0)/MAX(n) FROM b"
    )
    assert r["distribution"]["gini"] == pytest.approx(gini, abs=1e-4)
    n = one("SELECT COUNT(*) FROM accounts WHERE kind='player'")
    p50 = one(
        "SELECT balance FROM accounts WHERE kind='player' ORDER BY balance LIMIT 1 OFFSET ?",
        (n + 1) // 2 - 1,
    )
    assert r["distribution"]["p50"] == p50
    assert all(c["ok"] for c in r["checks"])
    spenders = one(
        "SELECT COUNT(DISTINCT a.name) FROM transfers t JOIN accounts a ON a.id=t.debit_account_id"
        " WHERE a.kind='player' AND t.code/100=2 AND t.ts >= ?",
        (NOW // DAY_MS - 6) * DAY_MS,
    )
    assert r["runway"]["spenders_7d"] == spenders


def test_cycle_cal_figures_match_sql(db: sqlite3.Connection, tmp_path: Path) -> None:
    _run(tmp_path)
    r = _report(db, "cal")
    one = lambda sql, *a: db.execute(sql, a).fetchone()[0]  # noqa: E731
    assert r["players_total"] == one("SELECT COUNT(*) FROM players")
    assert r["dau"] == one(
        "SELECT COUNT(DISTINCT player) FROM activity WHERE ok=1 AND ts>? AND ts<=?",
        NOW - DAY_MS,
        NOW,
    )
    assert r["mau"] == one(
        "SELECT COUNT(DISTINCT player) FROM activity WHERE ok=1 AND ts >= ?",
        (NOW // DAY_MS - 29) * DAY_MS,
    )
    assert r["active_players"] == one(
        "SELECT COUNT(DISTINCT player) FROM activity WHERE ok=1 AND ts > ?", NOW - 14 * DAY_MS
    )
    steps = {s["id"]: s for s in r["funnel"]}
    assert steps["first-steps"]["reached"] == one(
        "SELECT COUNT(*) FROM (SELECT player FROM activity WHERE ok=1"
        " GROUP BY player HAVING COUNT(*) >= 3)"
    )
    assert steps["wanderer"]["reached"] == one(
        "SELECT COUNT(*) FROM (SELECT player FROM activity WHERE ok=1"
        " GROUP BY player HAVING COUNT(DISTINCT room) >= 5)"
    )
    assert steps["first-steps"]["conversion"] == pytest.approx(
        steps["first-steps"]["reached"] / r["players_total"], abs=1e-4
    )
    cohort = one(
        "SELECT COUNT(*) FROM players WHERE created_ms / ? BETWEEN ? AND ?",
        DAY_MS,
        NOW // DAY_MS - 7,
        NOW // DAY_MS - 1,
    )
    retained = one(
        "SELECT COUNT(*) FROM players p WHERE created_ms / ?1 BETWEEN ?2 AND ?3"
        " AND EXISTS (SELECT 1 FROM activity a"
        " WHERE a.player = p.name AND a.ok=1 AND a.ts / ?1 = p.created_ms / ?1 + 1)",
        DAY_MS,
        NOW // DAY_MS - 7,
        NOW // DAY_MS - 1,
    )
    assert (r["retention"]["d1"]["cohort"], r["retention"]["d1"]["retained"]) == (cohort, retained)
    busiest = db.execute(
        "SELECT player, COUNT(*) FROM activity WHERE ok=1 GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
    ).fetchone()
    insight = json.loads(
        db.execute("SELECT body FROM refl_insights WHERE player=?", (busiest[0],)).fetchone()[0]
    )
    explore = one(
        "SELECT COUNT(*) FROM activity WHERE ok=1 AND player=? AND verb IN ('go','look')",
        busiest[0],
    )
    assert insight["shares"]["explore"] == round(explore / busiest[1], 2)


def test_cycle_replay_changes_nothing(db: sqlite3.Connection, tmp_path: Path) -> None:
    first = _run(tmp_path)
    dump = list(db.iterdump())
    files = {p: p.read_bytes() for p in (tmp_path / "reports").rglob("*") if p.is_file()}
    again = _run(tmp_path)
    assert again.replay
    assert not first.replay
    assert list(db.iterdump()) == dump
    assert {p: p.read_bytes() for p in (tmp_path / "reports").rglob("*") if p.is_file()} == files


def test_cycle_failing_analyst_does_not_stop_the_other(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    def broken(_: object) -> cycle.Report:
        raise RuntimeError("cal broke")

    team = cycle.analysts(RULES, domingo.Policy(), NOW)
    outcome = _run(tmp_path, {"cal": broken, "domingo": team["domingo"]})
    assert outcome.errors == {"cal": "RuntimeError: cal broke"}
    assert set(outcome.reports) == {"domingo"}
    assert Path(outcome.reports["domingo"]).exists()
    # the failed analyst runs again for the same cycle; the stored one does not
    retry = _run(tmp_path)
    assert set(retry.reports) == {"cal"}
    assert not retry.replay
    later = _run(tmp_path, now=NOW + 300_000)
    assert later.errors == {}
    assert set(later.reports) == {"cal", "domingo"}


def test_cycle_folds_only_new_rows(db: sqlite3.Connection, tmp_path: Path) -> None:
    _run(tmp_path)
    before = db.execute("SELECT SUM(actions) FROM refl_player").fetchone()[0]
    db.execute(
        "INSERT INTO activity(ts, player, verb, room, category)"
        " VALUES (?, 'p001', 'go', 'hall', 'explore')",
        (NOW + 1,),
    )
    _run(tmp_path, now=NOW + 300_000)
    assert db.execute("SELECT SUM(actions) FROM refl_player").fetchone()[0] == before + 1
    assert before == db.execute("SELECT COUNT(*) FROM activity WHERE ok=1").fetchone()[0] - 1


def test_cycle_incremental_counts_equal_a_fresh_computation(tmp_path: Path) -> None:
    """Only players who acted get a fresh insight; the server-wide style and churn counts
    for everyone else come from SQL and must equal computing every player afresh."""
    later = NOW + 3 * DAY_MS + 7_000
    incremental, fresh = tmp_path / "a", tmp_path / "b"
    for folder in (incremental, fresh):
        folder.mkdir()
        populate(folder / "game.db").close()
    _run(incremental)
    for folder in (incremental, fresh):
        conn = sqlite3.connect(folder / "game.db")
        conn.execute(
            "INSERT INTO activity(ts, player, verb, room, category)"
            " VALUES (?, 'p003', 'say', 'hall', 'socialize')",
            (later - 5,),
        )
        conn.commit()
        conn.close()
    _run(incremental, now=later)
    _run(fresh, now=later)
    reports, weeks = [], []
    for folder in (incremental, fresh):
        conn = sqlite3.connect(folder / "game.db")
        bodies = dict(
            conn.execute("SELECT analyst, body FROM refl_reports WHERE created_ms=?", (later,))
        )
        reports.append(json.loads(bodies["cal"]))
        weeks.append(json.loads(bodies["domingo"]))
        conn.close()
    a, b = reports
    assert a["insights_total"] == 1 < b["insights_total"]
    assert (a["styles"], a["churn"], a["active_players"]) == (
        b["styles"],
        b["churn"],
        b["active_players"],
    )
    assert sum(a["churn"].values()) == a["active_players"]
    # the 7-day window slid forward three days equals the window built from scratch
    assert weeks[0]["runway"] == weeks[1]["runway"]
    assert weeks[0]["anomalies"] == weeks[1]["anomalies"]
    assert weeks[0]["velocity"] == weeks[1]["velocity"]


def _log_check(conn: sqlite3.Connection, cycle_id: str) -> dict:
    return next(c for c in _report_of(conn, cycle_id)["checks"] if c["name"] == "log_matches")


def test_the_full_reconciliation_runs_hourly_and_repeats_until_mended(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    transfers = db.execute("SELECT COUNT(*) FROM transfers").fetchone()[0]
    first = _run(tmp_path, now=NOW).cycle_id
    assert _log_check(db, first) == {
        "name": "log_matches",
        "ok": True,
        "detail": f"every account matches {transfers} transfers",
    }
    later = _run(tmp_path, now=NOW + 10 * 60_000).cycle_id
    assert _log_check(db, later)["detail"] == "matched the transfer log 10 min ago"
    # Counters that no longer match the log, while every quick check still passes.
    db.execute(
        "UPDATE accounts SET debits_posted = debits_posted + 1,"
        " credits_posted = credits_posted + 1 WHERE kind = 'player' AND balance > 0"
        " AND id = (SELECT MIN(id) FROM accounts WHERE kind = 'player' AND balance > 0)"
    )
    db.commit()
    quiet = _run(tmp_path, now=NOW + 40 * 60_000).cycle_id
    assert _log_check(db, quiet)["ok"]  # not due yet: the last good run stands
    for minutes in (61, 66):
        outcome = _run(tmp_path, now=NOW + minutes * 60_000)
        check = _log_check(db, outcome.cycle_id)
        assert not check["ok"]
        assert check["detail"].startswith("1 accounts differ")
        report = _report_of(db, outcome.cycle_id)
        assert report["recommendations"][0].startswith("ledger invariant failed")


def _report_of(conn: sqlite3.Connection, cycle_id: str) -> dict:
    body = conn.execute(
        "SELECT body FROM refl_reports WHERE analyst='domingo' AND cycle_id=?", (cycle_id,)
    ).fetchone()[0]
    return json.loads(body)
