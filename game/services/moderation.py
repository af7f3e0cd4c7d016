"""Bans and mutes: stored in SQLite so they survive restarts, checked where they bite.

A ban names an account, an SSH key fingerprint or a client address; the SSH front refuses
a banned login before a session exists. A mute stops one account's speech commands
(say, emote, tell) until it ends; it is an engine gate, so every front end obeys it.
Both may be timed (``until_ms``) or permanent (NULL).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from game.core.reply import Reply
from game.services.attempt import Attempt

BAN_KINDS = ("account", "key", "address")


@dataclass(frozen=True, slots=True)
class Ban:
    kind: str
    value: str
    reason: str
    by: str
    until_ms: int | None


class Moderation:
    def __init__(self, conn: sqlite3.Connection, clock: Callable[[], int]) -> None:
        self.conn = conn
        self.clock = clock

    # -- bans --------------------------------------------------------------------------------
    def ban(self, kind: str, value: str, reason: str, by: str, until_ms: int | None) -> None:
        if kind not in BAN_KINDS:
            raise ValueError(f"ban kind must be one of {', '.join(BAN_KINDS)}")
        self.conn.execute(
            "INSERT INTO bans(kind, value, reason, by, ts_ms, until_ms) VALUES (?,?,?,?,?,?)"
            " ON CONFLICT(kind, value) DO UPDATE SET reason=excluded.reason, by=excluded.by,"
            " ts_ms=excluded.ts_ms, until_ms=excluded.until_ms",
            (kind, value, reason, by, self.clock(), until_ms),
        )

    def unban(self, kind: str, value: str) -> bool:
        cur = self.conn.execute("DELETE FROM bans WHERE kind=? AND value=?", (kind, value))
        return cur.rowcount > 0

    def banned(self, kind: str, value: str) -> Ban | None:
        """The ban in force on ``value``, or None (expired bans no longer count)."""
        if not value:
            return None
        row = self.conn.execute(
            "SELECT kind, value, reason, by, until_ms FROM bans WHERE kind=? AND value=?"
            " AND (until_ms IS NULL OR until_ms > ?)",
            (kind, value, self.clock()),
        ).fetchone()
        return Ban(*row) if row else None

    def bans(self) -> list[Ban]:
        rows = self.conn.execute(
            "SELECT kind, value, reason, by, until_ms FROM bans"
            " WHERE until_ms IS NULL OR until_ms > ? ORDER BY kind, value",
            (self.clock(),),
        ).fetchall()
        return [Ban(*row) for row in rows]

    # -- mutes -------------------------------------------------------------------------------
    def mute(self, account: str, reason: str, by: str, until_ms: int | None) -> None:
        self.conn.execute(
            "INSERT INTO mutes(account, reason, by, ts_ms, until_ms) VALUES (?,?,?,?,?)"
            " ON CONFLICT(account) DO UPDATE SET reason=excluded.reason, by=excluded.by,"
            " ts_ms=excluded.ts_ms, until_ms=excluded.until_ms",
            (account, reason, by, self.clock(), until_ms),
        )

    def unmute(self, account: str) -> bool:
        return self.conn.execute("DELETE FROM mutes WHERE account=?", (account,)).rowcount > 0

    def muted(self, account: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM mutes WHERE account=? AND (until_ms IS NULL OR until_ms > ?)",
            (account, self.clock()),
        ).fetchone()
        return row is not None

    def gate(self, attempt: Attempt) -> Reply | None:
        """Engine gate: a muted player's speech commands do nothing."""
        if attempt.category == "speech" and self.muted(attempt.player.name):
            return Reply.error("You are muted by an admin; nobody hears you. Nothing was said.")
        return None
