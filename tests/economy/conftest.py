"""Fixtures for the ledger tests: a manual clock and a ledger in a real file per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from economy import MINT, Ledger, Reason, Tiers

START_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z


class ManualClock:
    """An injected clock that only moves when a test says so."""

    def __init__(self, now: int = START_MS) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now

    def advance(self, ms: int) -> None:
        self.now += ms


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def ledger(tmp_path: Path, clock: ManualClock) -> Iterator[Ledger]:
    led = Ledger.open(tmp_path / "ledger.db", clock)
    yield led
    led.close()


@pytest.fixture
def funded(ledger: Ledger) -> Ledger:
    """ana has 100 tokens, bob has 0."""
    ledger.account("player:ana")
    ledger.account("player:bob")
    ledger.transfer(MINT, "player:ana", 100, Reason.DAILY_BONUS, "seed:ana")
    return ledger


@pytest.fixture
def tiers(ledger: Ledger, clock: ManualClock) -> Tiers:
    return Tiers(ledger.conn, clock)
