"""Player tiers: free (a daily quota of priced actions) or premium (until a time).

Pure SQL state in the ``tiers`` table, keyed by account name so a free player's quota can
be counted before any token moves for them. The day is the UTC day of the injected clock
(unix ms // 86,400,000), so quotas reset at UTC midnight and tests never wait for time.
Pricing and the quota size live in content YAML; the game passes ``daily_quota`` in.
"""

from __future__ import annotations

import sqlite3
from typing import Final, Literal

from economy.clock import Clock, utc_day
from economy.schema import ensure_schema
from economy.tx import require_autocommit

Tier = Literal["free", "premium"]

_USE: Final = """
INSERT INTO tiers(account, quota_day, quota_used) VALUES (:account, :day, 1)
ON CONFLICT(account) DO UPDATE
   SET quota_used = CASE WHEN quota_day = excluded.quota_day THEN quota_used + 1 ELSE 1 END,
       quota_day = excluded.quota_day
"""

# Conditional form: only counts while below the quota, in one statement (no check-then-act
# race if two sessions of one player act at once).
_TRY_USE: Final = (
    _USE
    + """
 WHERE quota_day <> excluded.quota_day OR quota_used < :quota
RETURNING quota_used
"""
)


class Tiers:
    """Tier and quota state over the caller's connection (the same one as the ledger)."""

    def __init__(self, conn: sqlite3.Connection, clock: Clock) -> None:
        require_autocommit(conn)
        self.conn = conn
        self.clock = clock
        ensure_schema(conn, clock)

    def tier(self, name: str) -> Tier:
        """Premium while ``now < premium_until``, free otherwise (expiry needs no job)."""
        until = self.premium_until(name)
        return "premium" if until is not None and self.clock() < until else "free"

    def premium_until(self, name: str) -> int | None:
        """The stored premium end (unix ms), possibly in the past; None if never set."""
        row = self.conn.execute(
            "SELECT premium_until FROM tiers WHERE account = ?", (name,)
        ).fetchone()
        return None if row is None else row[0]

    def set_premium(self, name: str, until_ms: int) -> None:
        """Make the account premium until ``until_ms`` (replaces any earlier end)."""
        if type(until_ms) is not int:
            raise ValueError("until_ms must be an int (unix ms)")
        self.conn.execute(
            "INSERT INTO tiers(account, premium_until) VALUES (?, ?)"
            " ON CONFLICT(account) DO UPDATE SET premium_until = excluded.premium_until",
            (name, until_ms),
        )

    def clear_premium(self, name: str) -> None:
        """End premium now (the account is free again)."""
        self.conn.execute("UPDATE tiers SET premium_until = NULL WHERE account = ?", (name,))

    def quota_left(self, name: str, daily_quota: int) -> int:
        """Priced actions still allowed today for a free player (never below zero)."""
        if daily_quota < 0:
            raise ValueError("daily_quota must be >= 0")
        row = self.conn.execute(
            "SELECT quota_day, quota_used FROM tiers WHERE account = ?", (name,)
        ).fetchone()
        if row is None or row[0] != utc_day(self.clock()):
            return daily_quota
        return max(0, daily_quota - int(row[1]))

    def use_quota(self, name: str) -> None:
        """Count one priced action today (the first use of a new day restarts the count)."""
        self.conn.execute(_USE, {"account": name, "day": utc_day(self.clock())})

    def try_use_quota(self, name: str, daily_quota: int) -> bool:
        """Count one action only if the quota allows it; False (nothing counted) otherwise."""
        if daily_quota <= 0:
            return False
        day = utc_day(self.clock())
        used = self.conn.execute(
            _TRY_USE, {"account": name, "day": day, "quota": daily_quota}
        ).fetchall()
        return bool(used)
