"""Fixtures for bridge tests: a fake game, a fake clock, a bus."""

from __future__ import annotations

import pytest

from bridge.bus import EventBus
from tests.bridge.fakes import FakeClock, FakeGame


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def game() -> FakeGame:
    return FakeGame()


@pytest.fixture
def bus() -> EventBus:
    return EventBus()
