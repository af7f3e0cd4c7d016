"""Property test: any sequence of operations keeps every invariant and matches a model.

Operations mix single transfers, all-or-nothing batches (transfer_many and transfer_batch),
reversals, idempotent retries (a small key pool makes keys collide often), retries with
different fields and overdraft attempts. A plain-Python model predicts each outcome; after
every step the stored balances must equal the model and at the end ``verify()`` must pass.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from economy import (
    ESCROW,
    MINT,
    SINK,
    AlreadyReversed,
    IdempotencyConflict,
    InsufficientFunds,
    Ledger,
    Leg,
    Reason,
)
from tests.economy.conftest import ManualClock

PLAYERS = ["player:a", "player:b", "player:c"]
ACCOUNTS = [MINT, SINK, ESCROW, *PLAYERS]
REASONS = [Reason.QUEST_REWARD, Reason.COMMAND_PRICE, Reason.PAYMENT, Reason.HOLD]

legs = st.builds(
    Leg,
    debit=st.sampled_from(ACCOUNTS),
    credit=st.sampled_from(ACCOUNTS),
    amount=st.integers(1, 60),
    reason=st.sampled_from(REASONS),
    idem_key=st.sampled_from([f"k{i}" for i in range(12)]),
    correlation_id=st.sampled_from([None, "c"]),
    memo=st.sampled_from(["", "m"]),
)
ops = st.one_of(
    st.tuples(st.just("one"), legs),
    st.tuples(st.just("many"), st.lists(legs, max_size=4)),
    st.tuples(st.just("batch"), st.lists(legs, max_size=6)),
    st.tuples(st.just("reverse"), st.integers(0, 30), st.sampled_from(["k1", "r1", "r2", "r3"])),
)

Fields = tuple[str, str, int, Reason, str | None, str, int | None]


@dataclass
class Model:
    """What the ledger should contain, by construction."""

    balances: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACCOUNTS, 0))
    by_key: dict[str, tuple[int, Fields]] = field(default_factory=dict)
    by_id: dict[int, tuple[str, Fields]] = field(default_factory=dict)
    reversed_ids: set[int] = field(default_factory=set)

    def copy(self) -> Model:
        return Model(
            dict(self.balances), dict(self.by_key), dict(self.by_id), set(self.reversed_ids)
        )

    def apply(self, key: str, fields: Fields) -> type[Exception] | None:
        """Predict and apply one write; returns the expected error type (state unchanged)."""
        debit, credit, amount, _reason, _corr, _memo, reverses = fields
        if debit == credit:
            return ValueError
        if key in self.by_key:
            return None if self.by_key[key][1] == fields else IdempotencyConflict
        if reverses is not None and reverses in self.reversed_ids:
            return AlreadyReversed
        if debit != MINT and self.balances[debit] < amount:
            return InsufficientFunds
        new_id = len(self.by_id) + 1
        self.by_key[key] = (new_id, fields)
        self.by_id[new_id] = (key, fields)
        self.balances[debit] -= amount
        self.balances[credit] += amount
        if reverses is not None:
            self.reversed_ids.add(reverses)
        return None


def _fields(leg: Leg, reverses: int | None = None) -> Fields:
    return (leg.debit, leg.credit, leg.amount, leg.reason, leg.correlation_id, leg.memo, reverses)


def _expect_all(
    model: Model, batch: list[Leg], *, validate_first: bool = False
) -> tuple[Model, type[Exception] | None]:
    """All-or-nothing: apply legs in order to a copy; the first error discards the copy.

    ``transfer_batch`` validates every leg before writing (``validate_first``)."""
    trial = model.copy()
    if validate_first and any(leg.debit == leg.credit for leg in batch):
        return model, ValueError
    for leg in batch:
        error = trial.apply(leg.idem_key, _fields(leg))
        if error is not None:
            return model, error
    return trial, None


def _step(ledger: Ledger, model: Model, op: tuple[object, ...]) -> Model:
    kind = op[0]
    if kind == "one":
        leg = op[1]
        assert isinstance(leg, Leg)
        expected, error = _expect_all(model, [leg])
        if error is not None:
            with pytest.raises(error):
                ledger.transfer(
                    leg.debit,
                    leg.credit,
                    leg.amount,
                    leg.reason,
                    leg.idem_key,
                    correlation_id=leg.correlation_id,
                    memo=leg.memo,
                )
        else:
            got = ledger.transfer(
                leg.debit,
                leg.credit,
                leg.amount,
                leg.reason,
                leg.idem_key,
                correlation_id=leg.correlation_id,
                memo=leg.memo,
            )
            assert got.duplicate == (leg.idem_key in model.by_key)
            assert got.id == expected.by_key[leg.idem_key][0]
        return expected
    if kind in ("many", "batch"):
        batch = list(op[1])  # type: ignore[call-overload]
        expected, error = _expect_all(model, batch, validate_first=kind == "batch")
        write = ledger.transfer_many if kind == "many" else ledger.transfer_batch
        if error is not None:
            with pytest.raises(error):
                write(batch)
        else:
            write(batch)
        return expected
    _, pick, key = op
    assert isinstance(pick, int)
    assert isinstance(key, str)
    if not model.by_id:
        return model
    target = sorted(model.by_id)[pick % len(model.by_id)]
    original = model.by_id[target][1]
    if original[6] is not None:
        with pytest.raises(AlreadyReversed):
            ledger.reverse(target, key)
        return model
    corr = original[4] or model.by_id[target][0]
    fields: Fields = (original[1], original[0], original[2], Reason.REVERSAL, corr, "", target)
    trial = model.copy()
    error = trial.apply(key, fields)
    if error is not None:
        with pytest.raises(error):
            ledger.reverse(target, key)
        return model
    ledger.reverse(target, key)
    return trial


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ops, max_size=25))
def test_ledger_random_operations_keep_invariants(steps: list[tuple[object, ...]]) -> None:
    clock = ManualClock()
    with tempfile.TemporaryDirectory() as tmp:
        ledger = Ledger.open(Path(tmp) / "p.db", clock)
        for name in PLAYERS:
            ledger.account(name)
        model = Model()
        for op in steps:
            clock.advance(1)
            model = _step(ledger, model, op)
            assert {n: ledger.balance(n) for n in ACCOUNTS} == model.balances
            assert not ledger.conn.in_transaction
        assert {n: ledger.balance(n, at=clock.now) for n in ACCOUNTS} == model.balances
        assert sum(model.balances.values()) == 0
        report = ledger.verify()
        assert report.ok, report.lines()
        ledger.close()
