"""transfer(): exactly once per key, no overdraft, clear errors, nothing changed on error."""

from __future__ import annotations

import pytest

from economy import (
    MINT,
    SINK,
    IdempotencyConflict,
    InsufficientFunds,
    Ledger,
    Reason,
    UnknownAccount,
)


def _state(ledger: Ledger) -> list[tuple[object, ...]]:
    return [
        *ledger.conn.execute("SELECT * FROM accounts ORDER BY id").fetchall(),
        ledger.conn.execute("SELECT COUNT(*) FROM transfers").fetchone(),
    ]


def test_transfer_moves_tokens_both_sides(funded: Ledger) -> None:
    funded.transfer("player:ana", "player:bob", 30, Reason.PAYMENT, "pay:1")
    assert (funded.balance("player:ana"), funded.balance("player:bob")) == (70, 30)


def test_transfer_returns_stored_fields(funded: Ledger) -> None:
    t = funded.transfer("player:ana", SINK, 5, Reason.COMMAND_PRICE, "cmd:1", memo="look")
    assert (t.debit, t.credit, t.amount, t.reason, t.memo, t.duplicate) == (
        "player:ana",
        SINK,
        5,
        Reason.COMMAND_PRICE,
        "look",
        False,
    )


def test_transfer_overdraft_rejected_and_nothing_changes(funded: Ledger) -> None:
    before = _state(funded)
    with pytest.raises(InsufficientFunds) as err:
        funded.transfer("player:ana", "player:bob", 101, Reason.PAYMENT, "pay:big")
    assert (err.value.account, err.value.balance, err.value.amount) == ("player:ana", 100, 101)
    assert _state(funded) == before


def test_transfer_rejected_key_can_be_used_later(funded: Ledger) -> None:
    with pytest.raises(InsufficientFunds):
        funded.transfer("player:bob", SINK, 1, Reason.COMMAND_PRICE, "cmd:bob:1")
    funded.transfer(MINT, "player:bob", 1, Reason.QUEST_REWARD, "quest:bob")
    assert funded.transfer("player:bob", SINK, 1, Reason.COMMAND_PRICE, "cmd:bob:1").id > 0


def test_transfer_mint_may_go_negative(funded: Ledger) -> None:
    assert funded.balance(MINT) == -100


def test_transfer_duplicate_same_fields_returns_same_id(funded: Ledger) -> None:
    first = funded.transfer("player:ana", "player:bob", 10, Reason.PAYMENT, "pay:2")
    again = funded.transfer("player:ana", "player:bob", 10, Reason.PAYMENT, "pay:2")
    assert (again.id, again.duplicate, funded.balance("player:bob")) == (first.id, True, 10)


def test_transfer_duplicate_different_fields_raises(funded: Ledger) -> None:
    funded.transfer("player:ana", "player:bob", 10, Reason.PAYMENT, "pay:3")
    with pytest.raises(IdempotencyConflict) as err:
        funded.transfer("player:ana", "player:bob", 11, Reason.PAYMENT, "pay:3", memo="x")
    assert err.value.differences == ["amount", "memo"]
    assert funded.balance("player:bob") == 10


def test_transfer_duplicate_with_other_accounts_raises(funded: Ledger) -> None:
    funded.transfer("player:ana", "player:bob", 10, Reason.PAYMENT, "pay:4")
    with pytest.raises(IdempotencyConflict):
        funded.transfer("player:ana", SINK, 10, Reason.PAYMENT, "pay:4")


def test_transfer_unknown_account_raises(funded: Ledger) -> None:
    with pytest.raises(UnknownAccount) as err:
        funded.transfer("player:ana", "player:zed", 1, Reason.PAYMENT, "pay:5")
    assert err.value.name == "player:zed"


@pytest.mark.parametrize("amount", [0, -1, 1.5, True, "3", 10**16])
def test_transfer_amount_must_be_positive_int(funded: Ledger, amount: object) -> None:
    with pytest.raises(ValueError, match="amount"):
        funded.transfer("player:ana", SINK, amount, Reason.COMMAND_PRICE, "cmd:x")  # type: ignore[arg-type]


def test_transfer_to_self_rejected(funded: Ledger) -> None:
    with pytest.raises(ValueError, match="different"):
        funded.transfer("player:ana", "player:ana", 1, Reason.PAYMENT, "pay:self")


def test_transfer_empty_key_rejected(funded: Ledger) -> None:
    with pytest.raises(ValueError, match="idem_key"):
        funded.transfer("player:ana", SINK, 1, Reason.COMMAND_PRICE, "")


def test_transfer_reason_must_be_reason(funded: Ledger) -> None:
    with pytest.raises(ValueError, match="reason"):
        funded.transfer("player:ana", SINK, 1, 201, "cmd:int")  # type: ignore[arg-type]


def test_transfer_reversal_code_reserved_for_reverse(funded: Ledger) -> None:
    with pytest.raises(ValueError, match="REVERSAL"):
        funded.transfer("player:ana", SINK, 1, Reason.REVERSAL, "cmd:rev")


def test_account_get_or_create_is_stable(ledger: Ledger) -> None:
    assert ledger.account("player:ana") == ledger.account("player:ana")


def test_account_name_must_match_kind(ledger: Ledger) -> None:
    with pytest.raises(ValueError, match="player:"):
        ledger.account("system:bank")


def test_account_new_system_account_cannot_overdraw(funded: Ledger) -> None:
    funded.account("system:shop", kind="system")
    with pytest.raises(InsufficientFunds):
        funded.transfer("system:shop", "player:ana", 1, Reason.SHOP_SALE, "sale:1")
