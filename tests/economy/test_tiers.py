"""Tiers: premium until a time, free with a daily quota that resets at UTC midnight."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from economy import Ledger, Tiers
from economy.clock import DAY_MS
from tests.economy.conftest import START_MS, ManualClock


def test_tiers_unknown_player_is_free(tiers: Tiers) -> None:
    assert (tiers.tier("player:ana"), tiers.premium_until("player:ana")) == ("free", None)


def test_tiers_premium_until_expiry(tiers: Tiers, clock: ManualClock) -> None:
    tiers.set_premium("player:ana", START_MS + 1000)
    assert tiers.tier("player:ana") == "premium"
    clock.advance(999)
    assert tiers.tier("player:ana") == "premium"
    clock.advance(1)
    assert tiers.tier("player:ana") == "free"
    assert tiers.premium_until("player:ana") == START_MS + 1000


def test_tiers_clear_premium(tiers: Tiers) -> None:
    tiers.set_premium("player:ana", START_MS + DAY_MS)
    tiers.clear_premium("player:ana")
    assert (tiers.tier("player:ana"), tiers.premium_until("player:ana")) == ("free", None)


def test_tiers_set_premium_needs_int_ms(tiers: Tiers) -> None:
    with pytest.raises(ValueError, match="int"):
        tiers.set_premium("player:ana", 1.5)  # type: ignore[arg-type]


def test_tiers_quota_counts_down(tiers: Tiers) -> None:
    for _ in range(3):
        tiers.use_quota("player:ana")
    assert (tiers.quota_left("player:ana", 5), tiers.quota_left("player:bob", 5)) == (2, 5)


def test_tiers_quota_never_negative(tiers: Tiers) -> None:
    for _ in range(4):
        tiers.use_quota("player:ana")
    assert tiers.quota_left("player:ana", 3) == 0


def test_tiers_quota_resets_at_utc_midnight(tiers: Tiers, clock: ManualClock) -> None:
    clock.advance(DAY_MS - 1)  # 23:59:59.999 UTC on the start day
    tiers.use_quota("player:ana")
    assert tiers.quota_left("player:ana", 5) == 4
    clock.advance(1)  # 00:00:00.000 UTC next day
    assert tiers.quota_left("player:ana", 5) == 5
    tiers.use_quota("player:ana")
    assert tiers.quota_left("player:ana", 5) == 4


def test_tiers_try_use_quota_stops_at_quota(tiers: Tiers, clock: ManualClock) -> None:
    assert [tiers.try_use_quota("player:ana", 2) for _ in range(3)] == [True, True, False]
    clock.advance(DAY_MS)
    assert tiers.try_use_quota("player:ana", 2)


def test_tiers_zero_quota_allows_nothing(tiers: Tiers) -> None:
    assert not tiers.try_use_quota("player:ana", 0)
    assert tiers.quota_left("player:ana", 0) == 0


def _use_then_fail(tiers: Tiers, ledger: Ledger) -> None:
    with ledger.atomic():
        tiers.use_quota("player:ana")
        raise RuntimeError("command failed")


def test_tiers_quota_rolls_back_with_the_command(tiers: Tiers, ledger: Ledger) -> None:
    with pytest.raises(RuntimeError):
        _use_then_fail(tiers, ledger)
    assert tiers.quota_left("player:ana", 5) == 5


def test_tiers_premium_state_survives_reopen(tmp_path: Path, clock: ManualClock) -> None:
    path = tmp_path / "t.db"
    conn = sqlite3.connect(path, isolation_level=None)
    Tiers(conn, clock).set_premium("player:ana", START_MS + 10)
    conn.close()
    again = sqlite3.connect(path, isolation_level=None)
    assert Tiers(again, clock).tier("player:ana") == "premium"
    again.close()
