"""The public leaderboards on the web's landing page: quests done, skill levels, explorers.

Read-only queries over the tables the game already keeps (``quest_state``,
``player_skills``, ``player_rooms``); names come back as the account spells them. Only
counts are public, never balances. Players who asked not to be listed on the web
(``web hide``) are left out here too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

TOP = 5


class Leaderboards:
    def __init__(
        self, conn: sqlite3.Connection, level: Callable[[int], int], hidden: set[str]
    ) -> None:
        self.conn = conn
        self.level = level  # skill XP -> level, from the content's economy rules
        self.hidden = hidden  # lower-cased names left out

    def _top(self, sql: str) -> list[tuple[str, int]]:
        rows = self.conn.execute(sql, (TOP + len(self.hidden),)).fetchall()
        shown = [(str(name), int(n)) for name, n in rows if str(name).lower() not in self.hidden]
        return shown[:TOP]

    def quests(self) -> list[tuple[str, int]]:
        return self._top(
            "SELECT p.display, count(*) AS n FROM quest_state q JOIN players p ON p.name = "
            "q.player WHERE q.status = 'done' GROUP BY p.name ORDER BY n DESC, p.name LIMIT ?"
        )

    def explorers(self) -> list[tuple[str, int]]:
        return self._top(
            "SELECT p.display, count(*) AS n FROM player_rooms r JOIN players p ON p.name = "
            "r.player GROUP BY p.name ORDER BY n DESC, p.name LIMIT ?"
        )

    def skills(self) -> list[tuple[str, int]]:
        """Total skill levels, every skill added up."""
        totals: dict[str, int] = {}
        for name, xp in self.conn.execute(
            "SELECT p.display, s.xp FROM player_skills s JOIN players p ON p.name = s.player"
        ):
            if str(name).lower() not in self.hidden:
                totals[str(name)] = totals.get(str(name), 0) + self.level(int(xp))
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0].lower()))
        return [(name, n) for name, n in ranked if n > 0][:TOP]
