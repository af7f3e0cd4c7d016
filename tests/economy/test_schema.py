"""The database itself refuses illegal states, whoever writes the SQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from economy import ESCROW, MINT, SINK, Ledger, LedgerError, Reason
from economy.schema import SCHEMA_VERSION, stored_version
from tests.economy.conftest import ManualClock


def test_schema_transfers_refuse_update(funded: Ledger) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        funded.conn.execute("UPDATE transfers SET amount = 1")


def test_schema_transfers_refuse_delete(funded: Ledger) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        funded.conn.execute("DELETE FROM transfers")


def test_schema_accounts_refuse_delete(funded: Ledger) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="cannot be deleted"):
        funded.conn.execute("DELETE FROM accounts WHERE name = 'player:bob'")


def test_schema_account_identity_is_immutable(funded: Ledger) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        funded.conn.execute("UPDATE accounts SET allow_negative = 1 WHERE name = 'player:bob'")


def test_schema_hand_written_balance_update_rejected_by_check(funded: Ledger) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="balance_matches_posted"):
        funded.conn.execute("UPDATE accounts SET balance = 999 WHERE name = 'player:bob'")


def test_schema_posted_totals_only_grow(funded: Ledger) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="only grow"):
        funded.conn.execute(
            "UPDATE accounts SET credits_posted = 0, balance = -debits_posted"
            " WHERE name = 'player:ana'"
        )


def test_schema_insert_or_ignore_trap_is_why_we_use_on_conflict(funded: Ledger) -> None:
    """INSERT OR IGNORE pushes IGNORE into the trigger: the overdraft CHECK is skipped,
    the row lands, the debit leg is dropped and the books no longer balance."""
    conn = funded.conn
    overdraft = (
        " INTO transfers(idem_key, debit_account_id, credit_account_id, amount, code, ts)"
        " SELECT ?, d.id, s.id, 500, 201, 0 FROM accounts d, accounts s"
        " WHERE d.name = 'player:bob' AND s.name = 'system:sink'"
    )
    with pytest.raises(sqlite3.IntegrityError, match="no_overdraft"):
        conn.execute("INSERT" + overdraft + " ON CONFLICT(idem_key) DO NOTHING", ("safe",))
    assert funded.verify().ok
    conn.execute("BEGIN")
    conn.execute("INSERT OR IGNORE" + overdraft, ("trap",))  # no error at all...
    report = funded.verify()
    conn.execute("ROLLBACK")
    assert not report.ok
    assert report.check("sum_zero").detail.endswith("is 500")
    assert funded.verify().ok


def test_schema_system_accounts_and_overdraft_rights(ledger: Ledger) -> None:
    rows = ledger.conn.execute(
        "SELECT name, kind, allow_negative FROM accounts ORDER BY id"
    ).fetchall()
    assert rows == [(MINT, "system", 1), (SINK, "system", 0), (ESCROW, "system", 0)]


def test_schema_escrow_cannot_pay_out_more_than_held(funded: Ledger) -> None:
    funded.transfer("player:ana", ESCROW, 10, Reason.HOLD, "hold:1")
    funded.transfer(ESCROW, SINK, 10, Reason.HOLD_CAPTURE, "hold:1:capture")
    with pytest.raises(LedgerError):
        funded.transfer(ESCROW, "player:ana", 10, Reason.HOLD_RELEASE, "hold:1:release")


def test_schema_creation_is_idempotent(tmp_path: Path, clock: ManualClock) -> None:
    first = Ledger.open(tmp_path / "l.db", clock)
    first.account("player:ana")
    first.close()
    again = Ledger.open(tmp_path / "l.db", clock)
    assert again.conn.execute("SELECT COUNT(*) FROM accounts").fetchone() == (4,)
    assert stored_version(again.conn) == SCHEMA_VERSION
    again.close()


def test_schema_newer_version_is_refused(tmp_path: Path, clock: ManualClock) -> None:
    led = Ledger.open(tmp_path / "l.db", clock)
    led.conn.execute("UPDATE ledger_meta SET value = '99' WHERE key = 'schema_version'")
    led.close()
    with pytest.raises(LedgerError, match="newer"):
        Ledger.open(tmp_path / "l.db", clock)


def test_schema_creation_keeps_callers_transaction(tmp_path: Path, clock: ManualClock) -> None:
    conn = sqlite3.connect(tmp_path / "g.db", isolation_level=None)
    conn.execute("CREATE TABLE game (x INTEGER)")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO game VALUES (1)")
    Ledger(conn, clock)
    conn.execute("ROLLBACK")
    assert conn.execute("SELECT COUNT(*) FROM game").fetchone() == (0,)
    assert stored_version(conn) is None
    conn.close()


def test_open_sets_wal_and_synchronous(tmp_path: Path, clock: ManualClock) -> None:
    led = Ledger.open(tmp_path / "l.db", clock, synchronous="FULL")
    pragmas = [
        led.conn.execute(f"PRAGMA {p}").fetchone()[0]
        for p in ("journal_mode", "synchronous", "foreign_keys")
    ]
    assert pragmas == ["wal", 2, 1]
    led.close()


def test_open_rejects_unknown_synchronous(tmp_path: Path, clock: ManualClock) -> None:
    with pytest.raises(ValueError, match="synchronous"):
        Ledger.open(tmp_path / "l.db", clock, synchronous="FAST")
