"""verify(): named checks pass on an honest ledger and name what broke on a tampered one."""

from __future__ import annotations

import pytest

from economy import SINK, Ledger, Reason


def test_verify_ok_on_fresh_ledger(ledger: Ledger) -> None:
    report = ledger.verify()
    assert report.ok
    assert [c.name for c in report.checks] == [
        "sum_zero",
        "debits_equal_credits",
        "no_illegal_negative",
        "guards_present",
        "log_matches",
    ]


def test_verify_quick_skips_reconciliation(funded: Ledger) -> None:
    report = funded.verify(full=False)
    assert report.ok
    assert "log_matches" not in [c.name for c in report.checks]


def test_verify_lines_are_plain_text(funded: Ledger) -> None:
    assert all(line.startswith("ok   ") for line in funded.verify().lines())


def _tamper(ledger: Ledger, sql: str) -> None:
    """Simulate hand-written SQL that first removes the guards (what verify is for)."""
    ledger.conn.execute("DROP TRIGGER accounts_posted_monotone")
    ledger.conn.execute(sql)


def test_verify_detects_stored_balance_not_matching_log(funded: Ledger) -> None:
    _tamper(
        funded,
        "UPDATE accounts SET credits_posted = credits_posted + 5, balance = balance + 5"
        " WHERE name = 'player:bob'",
    )
    report = funded.verify()
    assert not report.ok
    assert not report.check("sum_zero").ok
    assert "player:bob" in report.check("log_matches").detail
    assert "accounts_posted_monotone" in report.check("guards_present").detail


def test_verify_detects_balanced_but_false_counters(funded: Ledger) -> None:
    """Moving tokens by hand on both sides keeps the sums at zero; only the log catches it."""
    funded.conn.execute(
        "UPDATE accounts SET debits_posted = debits_posted + 50, balance = balance - 50"
        " WHERE name = 'player:ana'"
    )
    funded.conn.execute(
        "UPDATE accounts SET credits_posted = credits_posted + 50, balance = balance + 50"
        " WHERE name = 'player:bob'"
    )
    report = funded.verify()
    assert report.check("sum_zero").ok
    assert report.check("debits_equal_credits").ok
    assert not report.check("log_matches").ok
    assert "2 accounts differ" in report.check("log_matches").detail


def test_verify_detects_illegal_negative(funded: Ledger) -> None:
    funded.conn.execute("PRAGMA ignore_check_constraints = ON")
    _tamper(
        funded,
        "UPDATE accounts SET debits_posted = debits_posted + 200, balance = balance - 200"
        " WHERE name = 'player:ana'",
    )
    report = funded.verify(full=False)
    assert not report.check("no_illegal_negative").ok
    assert "player:ana" in report.check("no_illegal_negative").detail


def test_verify_report_check_lookup(funded: Ledger) -> None:
    funded.transfer("player:ana", SINK, 1, Reason.COMMAND_PRICE, "cmd:1")
    with pytest.raises(KeyError):
        funded.verify(full=False).check("log_matches")
