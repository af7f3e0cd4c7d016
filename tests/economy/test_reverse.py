"""reverse(): corrections are new mirror transfers; never an edit, never twice."""

from __future__ import annotations

import sqlite3

import pytest

from economy import (
    SINK,
    AlreadyReversed,
    IdempotencyConflict,
    InsufficientFunds,
    Ledger,
    Reason,
    UnknownTransfer,
)


def test_reverse_restores_balances(funded: Ledger) -> None:
    paid = funded.transfer("player:ana", "player:bob", 30, Reason.PAYMENT, "pay:1")
    rev = funded.reverse(paid.id, "rev:1", memo="wrong recipient")
    assert (funded.balance("player:ana"), funded.balance("player:bob")) == (100, 0)
    assert (rev.reason, rev.reverses, rev.debit, rev.credit) == (
        Reason.REVERSAL,
        paid.id,
        "player:bob",
        "player:ana",
    )


def test_reverse_keeps_the_original_in_the_log(funded: Ledger) -> None:
    paid = funded.transfer(
        "player:ana", "player:bob", 30, Reason.PAYMENT, "pay:1", correlation_id="c"
    )
    rev = funded.reverse(paid.id, "rev:1")
    assert [t.id for t in funded.transfers()][-2:] == [paid.id, rev.id]
    assert rev.correlation_id == "c"


def test_reverse_correlates_to_original_key_when_uncorrelated(funded: Ledger) -> None:
    paid = funded.transfer("player:ana", "player:bob", 30, Reason.PAYMENT, "pay:1")
    assert funded.reverse(paid.id, "rev:1").correlation_id == "pay:1"


def test_reverse_twice_is_refused(funded: Ledger) -> None:
    paid = funded.transfer("player:ana", "player:bob", 30, Reason.PAYMENT, "pay:1")
    funded.reverse(paid.id, "rev:1")
    with pytest.raises(AlreadyReversed):
        funded.reverse(paid.id, "rev:2")
    assert funded.balance("player:ana") == 100


def test_reverse_retry_with_same_key_is_a_duplicate(funded: Ledger) -> None:
    paid = funded.transfer("player:ana", "player:bob", 30, Reason.PAYMENT, "pay:1")
    first = funded.reverse(paid.id, "rev:1")
    again = funded.reverse(paid.id, "rev:1")
    assert (again.id, again.duplicate) == (first.id, True)


def test_reverse_of_a_reversal_is_refused(funded: Ledger) -> None:
    paid = funded.transfer("player:ana", "player:bob", 30, Reason.PAYMENT, "pay:1")
    rev = funded.reverse(paid.id, "rev:1")
    with pytest.raises(AlreadyReversed, match="itself a reversal"):
        funded.reverse(rev.id, "rev:2")


def test_reverse_key_reused_for_another_transfer_conflicts(funded: Ledger) -> None:
    with pytest.raises(IdempotencyConflict):
        funded.reverse(1, "seed:ana")


def test_reverse_unknown_transfer(funded: Ledger) -> None:
    with pytest.raises(UnknownTransfer):
        funded.reverse(999, "rev:x")


def test_reverse_needs_the_funds_back(funded: Ledger) -> None:
    paid = funded.transfer("player:ana", "player:bob", 30, Reason.PAYMENT, "pay:1")
    funded.transfer("player:bob", SINK, 30, Reason.COMMAND_PRICE, "cmd:1")
    with pytest.raises(InsufficientFunds):
        funded.reverse(paid.id, "rev:1")


def test_reverse_mirror_enforced_by_database(funded: Ledger) -> None:
    paid = funded.transfer("player:ana", "player:bob", 30, Reason.PAYMENT, "pay:1")
    with pytest.raises(sqlite3.IntegrityError, match="mirror"):
        funded.conn.execute(
            "INSERT INTO transfers(idem_key, debit_account_id, credit_account_id, amount, code,"
            " ts, reverses) VALUES ('evil', 5, 4, 3, 901, 0, ?)",
            (paid.id,),
        )
