"""What players ask for: the feedback queue (bug, idea, typo) as Cal's report reads it.

The game writes the ``feedback`` table (game/services/feedback.py); this module only reads
it, inside the snapshot's read transaction, so reflection still imports nothing of the
game. A database from before migration 0003 has no such table: the digest is then empty.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from reflection.facts import has_table
from reflection.schema import DAY_MS

RECENT = 10
"""Open items listed in the report, newest first."""
TEXT_SHOWN = 160
"""Characters of each item's text in the report (the whole text is in the queue)."""


@dataclass(frozen=True, slots=True)
class Ask:
    id: int
    kind: str
    player: str
    room: str
    text: str
    ts_ms: int


@dataclass(frozen=True, slots=True)
class FeedbackDigest:
    open: dict[str, int] = field(default_factory=dict)
    """Open items by kind."""
    week: dict[str, int] = field(default_factory=dict)
    """Items filed in the 7 days before the snapshot, by kind."""
    total: dict[str, int] = field(default_factory=dict)
    """Every item ever filed, by kind."""
    recent_open: list[Ask] = field(default_factory=list)


def read_feedback(conn: sqlite3.Connection, now: int) -> FeedbackDigest:
    if not has_table(conn, "feedback"):
        return FeedbackDigest()
    opened: dict[str, int] = {}
    week: dict[str, int] = {}
    total: dict[str, int] = {}
    for kind, n_open, n_week, n_all in conn.execute(
        "SELECT kind, SUM(status = 'open'), SUM(ts_ms > ?), COUNT(*) FROM feedback"
        " WHERE ts_ms <= ? GROUP BY kind ORDER BY COUNT(*) DESC, kind",
        (now - 7 * DAY_MS, now),
    ):
        opened[str(kind)], week[str(kind)], total[str(kind)] = int(n_open), int(n_week), int(n_all)
    recent = [
        Ask(int(i), str(k), str(p), str(r), str(t)[:TEXT_SHOWN], int(ts))
        for i, k, p, r, t, ts in conn.execute(
            "SELECT id, kind, player, room, text, ts_ms FROM feedback"
            " WHERE status = 'open' AND ts_ms <= ? ORDER BY id DESC LIMIT ?",
            (now, RECENT),
        )
    ]
    return FeedbackDigest(opened, week, total, recent)
