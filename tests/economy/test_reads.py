"""balance(at=), history(), supply(), transfers() and export_csv()."""

from __future__ import annotations

import csv
import io

import pytest

from economy import MINT, SINK, Ledger, Reason, UnknownAccount
from tests.economy.conftest import START_MS, ManualClock


def test_balance_at_past_time_is_derived_from_log(funded: Ledger, clock: ManualClock) -> None:
    clock.advance(1000)
    funded.transfer("player:ana", "player:bob", 40, Reason.PAYMENT, "pay:1")
    clock.advance(1000)
    funded.transfer("player:bob", SINK, 15, Reason.COMMAND_PRICE, "cmd:1")
    assert [funded.balance("player:bob", at=START_MS + d) for d in (0, 1000, 1999, 2000)] == [
        0,
        40,
        40,
        25,
    ]


def test_balance_at_before_any_transfer_is_zero(funded: Ledger) -> None:
    assert funded.balance("player:ana", at=START_MS - 1) == 0


def test_balance_unknown_account_raises(ledger: Ledger) -> None:
    with pytest.raises(UnknownAccount):
        ledger.balance("player:nobody")
    with pytest.raises(UnknownAccount):
        ledger.balance("player:nobody", at=0)


def test_history_newest_first_with_signed_amounts(funded: Ledger, clock: ManualClock) -> None:
    clock.advance(5)
    funded.transfer("player:ana", "player:bob", 7, Reason.PAYMENT, "pay:1", memo="thanks")
    clock.advance(5)
    funded.transfer("player:ana", SINK, 2, Reason.COMMAND_PRICE, "cmd:1")
    entries = funded.history("player:ana")
    assert [(e.amount, e.counterparty, e.reason) for e in entries] == [
        (-2, SINK, Reason.COMMAND_PRICE),
        (-7, "player:bob", Reason.PAYMENT),
        (100, MINT, Reason.DAILY_BONUS),
    ]
    assert (entries[1].memo, entries[1].ts) == ("thanks", START_MS + 5)


def test_history_limit_and_same_ms_order(funded: Ledger) -> None:
    for i in range(30):
        funded.transfer("player:ana", SINK, 1, Reason.COMMAND_PRICE, f"cmd:{i}")
    entries = funded.history("player:ana", limit=5)
    assert [e.idem_key for e in entries] == [f"cmd:{i}" for i in (29, 28, 27, 26, 25)]


def test_history_seen_from_the_other_side(funded: Ledger) -> None:
    funded.transfer("player:ana", "player:bob", 7, Reason.PAYMENT, "pay:1")
    assert [(e.amount, e.counterparty) for e in funded.history("player:bob")] == [(7, "player:ana")]


def test_supply_counts_minted_minus_burned(funded: Ledger) -> None:
    funded.transfer("player:ana", SINK, 30, Reason.COMMAND_PRICE, "cmd:1")
    funded.transfer("player:ana", "player:bob", 30, Reason.PAYMENT, "pay:1")
    assert funded.supply() == 70


def test_transfers_after_id_is_a_cursor(funded: Ledger) -> None:
    funded.transfer("player:ana", SINK, 1, Reason.COMMAND_PRICE, "cmd:1")
    assert [t.idem_key for t in funded.transfers(after_id=1)] == ["cmd:1"]


def test_export_csv_has_names_and_labels(funded: Ledger) -> None:
    funded.transfer("player:ana", "player:bob", 7, Reason.PAYMENT, "pay:1", memo="=1+1, hi")
    out = io.StringIO()
    assert funded.export_csv(out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert (rows[1]["debit"], rows[1]["credit"], rows[1]["reason"]) == (
        "player:ana",
        "player:bob",
        "payment",
    )
    assert rows[1]["memo"] == "'=1+1, hi"
    assert rows[0]["reason"] == "daily bonus"
