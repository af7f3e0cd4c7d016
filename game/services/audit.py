"""The admin audit log: who did what to whom, why, and when.

Every admin action (kick, mute, ban, grant, revoke, tier, role, broadcast, reload) writes
one row here, on the game's shared connection, in the same transaction as the change it
records when there is one. Rows are append-only: nothing in the game updates or deletes
them, so the log is the answer to "who changed this?" long after the fact.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    ts_ms: int
    actor: str
    action: str
    target: str
    reason: str
    detail: str

    def line(self) -> str:
        """One plain sentence-like line for @audit and the admin screen."""
        from datetime import UTC, datetime

        when = datetime.fromtimestamp(self.ts_ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")
        parts = [f"#{self.id} {when} UTC {self.actor} {self.action}"]
        if self.target:
            parts.append(self.target)
        if self.detail:
            parts.append(f"({self.detail})")
        text = " ".join(parts)
        return f"{text}: {self.reason}" if self.reason else text


class Audit:
    """Writer and reader of ``audit_log``."""

    def __init__(self, conn: sqlite3.Connection, clock: Callable[[], int]) -> None:
        self.conn = conn
        self.clock = clock

    def record(
        self, actor: str, action: str, target: str = "", reason: str = "", detail: str = ""
    ) -> int:
        cur = self.conn.execute(
            "INSERT INTO audit_log(ts_ms, actor, action, target, reason, detail)"
            " VALUES (?,?,?,?,?,?)",
            (self.clock(), actor, action, target, reason, detail),
        )
        return int(cur.lastrowid or 0)

    def recent(self, limit: int = 20, *, who: str | None = None) -> list[AuditRow]:
        """Newest first; ``who`` matches the actor or the target (case-insensitive)."""
        sql = "SELECT id, ts_ms, actor, action, target, reason, detail FROM audit_log"
        params: tuple[object, ...] = ()
        if who:
            sql += " WHERE actor = ? COLLATE NOCASE OR target = ? COLLATE NOCASE"
            params = (who, who)
        sql += " ORDER BY id DESC LIMIT ?"
        rows = self.conn.execute(sql, (*params, limit)).fetchall()
        return [AuditRow(*row) for row in rows]
