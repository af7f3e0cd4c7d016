"""atomic(), transfer_many() and transfer_batch(): all or nothing."""

from __future__ import annotations

import sqlite3

import pytest

from economy import (
    MINT,
    SINK,
    IdempotencyConflict,
    InsufficientFunds,
    Ledger,
    Leg,
    Reason,
    UnknownAccount,
)


def _charge_then_fail(ledger: Ledger) -> None:
    with ledger.atomic():
        ledger.transfer("player:ana", SINK, 10, Reason.COMMAND_PRICE, "cmd:1")
        raise RuntimeError("command failed after charging")


def test_atomic_rolls_back_on_exception(funded: Ledger) -> None:
    with pytest.raises(RuntimeError):
        _charge_then_fail(funded)
    assert funded.balance("player:ana") == 100


def test_atomic_commits_game_state_with_the_charge(funded: Ledger) -> None:
    funded.conn.execute("CREATE TABLE game_state (k TEXT PRIMARY KEY, v TEXT)")
    with funded.atomic():
        funded.conn.execute("INSERT INTO game_state VALUES ('door', 'open')")
        funded.transfer("player:ana", SINK, 10, Reason.COMMAND_PRICE, "cmd:open")
    assert funded.conn.execute("SELECT v FROM game_state").fetchone() == ("open",)
    assert not funded.conn.in_transaction


def _pay_twice(ledger: Ledger) -> None:
    with ledger.atomic():
        ledger.transfer("player:ana", "player:bob", 5, Reason.PAYMENT, "pay:inner")
        ledger.transfer("player:ana", "player:bob", 500, Reason.PAYMENT, "pay:too-much")


def test_atomic_nested_failure_undoes_only_inner(funded: Ledger) -> None:
    with funded.atomic():
        funded.transfer("player:ana", SINK, 10, Reason.COMMAND_PRICE, "cmd:outer")
        with pytest.raises(InsufficientFunds):
            _pay_twice(funded)
    assert (funded.balance("player:ana"), funded.balance("player:bob")) == (90, 0)


def test_atomic_begins_immediate(funded: Ledger, tmp_path: object) -> None:
    other = sqlite3.connect(funded.conn.execute("PRAGMA database_list").fetchone()[2], timeout=0)
    with funded.atomic(), pytest.raises(sqlite3.OperationalError, match="locked"):
        other.execute("BEGIN IMMEDIATE")
    other.close()


def test_ledger_refuses_legacy_transaction_mode(tmp_path: object) -> None:
    with pytest.raises(ValueError, match="isolation_level"):
        Ledger(sqlite3.connect(":memory:"), lambda: 0)


def test_transfer_many_rolls_back_every_leg(funded: Ledger) -> None:
    legs = [
        Leg("player:ana", "player:bob", 60, Reason.PAYMENT, "pay:a"),
        Leg("player:ana", "player:bob", 60, Reason.PAYMENT, "pay:b"),
    ]
    with pytest.raises(InsufficientFunds):
        funded.transfer_many(legs)
    assert (funded.balance("player:ana"), funded.balance("player:bob")) == (100, 0)


def test_transfer_many_returns_each_transfer(funded: Ledger) -> None:
    legs = [
        Leg("player:ana", SINK, 3, Reason.SHOP_PURCHASE, "buy:1", "act:1"),
        Leg(MINT, "player:bob", 1, Reason.SHOP_SALE, "sell:1", "act:1"),
    ]
    assert [t.correlation_id for t in funded.transfer_many(legs)] == ["act:1", "act:1"]


def _grants(n: int, prefix: str = "g") -> list[Leg]:
    return [Leg(MINT, "player:bob", 1, Reason.QUEST_REWARD, f"{prefix}:{i}") for i in range(n)]


def test_transfer_batch_writes_all(funded: Ledger) -> None:
    assert funded.transfer_batch(_grants(50)) == 50
    assert funded.balance("player:bob") == 50


def test_transfer_batch_resent_batch_is_a_no_op(funded: Ledger) -> None:
    funded.transfer_batch(_grants(50))
    assert funded.transfer_batch(_grants(60)) == 10
    assert funded.balance("player:bob") == 60


def test_transfer_batch_overdraft_rolls_back_whole_batch(funded: Ledger) -> None:
    legs = [*_grants(5), Leg("player:ana", "player:bob", 1000, Reason.PAYMENT, "pay:x")]
    with pytest.raises(InsufficientFunds):
        funded.transfer_batch(legs)
    assert funded.balance("player:bob") == 0
    assert funded.verify().ok


def test_transfer_batch_conflicting_key_rolls_back(funded: Ledger) -> None:
    funded.transfer_batch(_grants(3))
    legs = [*_grants(5, "h"), Leg(MINT, "player:bob", 2, Reason.QUEST_REWARD, "g:1")]
    with pytest.raises(IdempotencyConflict):
        funded.transfer_batch(legs)
    assert funded.balance("player:bob") == 3


def test_transfer_batch_unknown_account_rolls_back(funded: Ledger) -> None:
    legs = [*_grants(5), Leg(MINT, "player:zed", 2, Reason.QUEST_REWARD, "z:1")]
    with pytest.raises(UnknownAccount):
        funded.transfer_batch(legs)
    assert funded.balance("player:bob") == 0


def test_transfer_batch_validates_before_writing(funded: Ledger) -> None:
    with pytest.raises(ValueError, match="amount"):
        funded.transfer_batch([*_grants(2), Leg(MINT, "player:bob", 0, Reason.QUEST_REWARD, "q")])
    assert funded.balance("player:bob") == 0
