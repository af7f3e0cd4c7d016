"""The players' feedback queue: bug reports, ideas and typos, with where and when.

Players file with ``bug``, ``idea`` and ``typo``; admins list, answer and close them with
``@feedback`` (or in the admin console's Feedback tab). Cal's report reads the same table
(reflection/feedback.py) to say what players ask for most.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from game.core.text import plural
from game.services.limits import Buckets

KINDS = ("bug", "idea", "typo")
TEXT_MAX = 500
ANSWER_MAX = 500
FILE_BURST = 3
FILE_PER_S = 1 / 300
"""Each account may file 3 at once, then one every five minutes."""

_COLUMNS = "id, ts_ms, player, kind, room, text, status, answer, answered_by"


@dataclass(frozen=True, slots=True)
class Item:
    id: int
    ts_ms: int
    player: str
    kind: str
    room: str
    text: str
    status: str  # open, closed
    answer: str
    answered_by: str


class FeedbackQueue:
    """Stores feedback and its answers; the caller's step commits them."""

    def __init__(self, conn: sqlite3.Connection, clock: Callable[[], int]) -> None:
        self.conn = conn
        self.clock = clock
        self.filings = Buckets(FILE_BURST, FILE_PER_S, clock)

    def refusal(self, player: str, text: str) -> str:
        """Why ``player`` may not file ``text`` now, or "". Counts the filing when not."""
        if not text.strip():
            return ""  # the command shows its usage
        if len(text) > TEXT_MAX:
            return f"That is {len(text)} characters; at most {TEXT_MAX}. Nothing was filed."
        if not self.filings.allow(player.lower()):
            wait = max(1, round(self.filings.wait_s(player.lower()) + 0.49))
            return (
                f"Thank you, but you have filed a lot just now. Try again in "
                f"{plural(wait, 'second')}. Nothing was filed."
            )
        return ""

    def file(self, player: str, kind: str, room: str, text: str) -> int:
        if kind not in KINDS:
            raise ValueError(f"unknown feedback kind {kind!r}")
        row = self.conn.execute(
            "INSERT INTO feedback(ts_ms, player, kind, room, text) VALUES (?,?,?,?,?) RETURNING id",
            (self.clock(), player, kind, room, text),
        ).fetchone()
        return int(row[0])

    def item(self, item_id: int) -> Item | None:
        row = self.conn.execute(
            f"SELECT {_COLUMNS} FROM feedback WHERE id = ?", (item_id,)
        ).fetchone()
        return Item(*row) if row else None

    def queue(self, *, everything: bool = False, limit: int = 20) -> list[Item]:
        """The open items, newest first (``everything``: closed ones too)."""
        where = "" if everything else " WHERE status = 'open'"
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM feedback{where} ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [Item(*row) for row in rows]

    def by_player(self, player: str, limit: int = 5) -> list[Item]:
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM feedback WHERE player = ? ORDER BY id DESC LIMIT ?",
            (player, limit),
        )
        return [Item(*row) for row in rows]

    def open_count(self) -> int:
        return int(
            self.conn.execute("SELECT COUNT(*) FROM feedback WHERE status = 'open'").fetchone()[0]
        )

    def answer(self, item_id: int, admin: str, text: str) -> None:
        self.conn.execute(
            "UPDATE feedback SET answer = ?, answered_by = ?, answered_ms = ? WHERE id = ?",
            (text, admin, self.clock(), item_id),
        )

    def close(self, item_id: int) -> bool:
        """Close an open item; False when it was closed already."""
        done = self.conn.execute(
            "UPDATE feedback SET status = 'closed', closed_ms = ? WHERE id = ? AND status = 'open'",
            (self.clock(), item_id),
        ).rowcount
        return bool(done)
