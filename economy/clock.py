"""The clock type the ledger and tiers take: unix milliseconds, injected for tests."""

from __future__ import annotations

import time
from collections.abc import Callable

Clock = Callable[[], int]
"""Returns the current time as integer unix milliseconds (UTC by definition)."""

DAY_MS = 86_400_000


def system_clock() -> int:
    """The real clock; tests pass their own callable instead."""
    return time.time_ns() // 1_000_000


def utc_day(ms: int) -> int:
    """Days since the epoch: unix time has no leap seconds, so this flips at UTC midnight."""
    return ms // DAY_MS
