"""Who a player keeps close or away: ignores, friends, and being away from the keyboard.

Ignores and friends are kept in the database (``player_ignores``, ``player_friends``).
Ignores are read in full once and kept by talker, since every line said is checked against
them; a change made in a command that then fails is undone in memory too
(``on_rollback``), as its SQL rolls back with the step's transaction. Away messages live
only while the server runs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Undo = Callable[[Callable[[], None]], None]
MAX_LIST = 100
_NOBODY: set[str] = set()  # returned for a talker nobody ignores; never changed
AWAY_MAX = 120


class People:
    def __init__(self, conn: sqlite3.Connection, on_rollback: Undo) -> None:
        self.conn = conn
        self.on_rollback = on_rollback
        self._ignorers: dict[str, set[str]] | None = None  # talker -> who ignores them
        self._away: dict[str, str] = {}

    # -- ignores ---------------------------------------------------------------------------------
    def ignorers(self, talker: str) -> set[str]:
        """The lower-cased names of everyone who ignores ``talker`` (read-only; usually
        empty). Every line a player says is checked against this, so the whole table is
        read once and kept by talker."""
        if self._ignorers is None:
            self._ignorers = {}
            for player, target in self.conn.execute(
                "SELECT lower(player), lower(target) FROM player_ignores"
            ):
                self._ignorers.setdefault(target, set()).add(player)
        return self._ignorers.get(talker.lower(), _NOBODY)

    def ignores(self, player: str, other: str) -> bool:
        """Whether ``player`` has ``other`` on their ignore list."""
        return bool(other) and player.lower() in self.ignorers(other)

    def ignored_by(self, player: str) -> list[str]:
        """The lower-cased names ``player`` ignores, sorted."""
        rows = self.conn.execute(
            "SELECT lower(target) FROM player_ignores WHERE player = ? ORDER BY 1",
            (player.lower(),),
        )
        return [r[0] for r in rows]

    def ignore(self, player: str, other: str) -> bool:
        """Add ``other``; False when the list is full."""
        if self.ignores(player, other):
            return True
        if len(self.ignored_by(player)) >= MAX_LIST:
            return False
        self.conn.execute(
            "INSERT INTO player_ignores (player, target) VALUES (?, ?)",
            (player.lower(), other.lower()),
        )
        self._mark(player, other, True)
        return True

    def unignore(self, player: str, other: str) -> bool:
        if not self.ignores(player, other):
            return False
        self.conn.execute(
            "DELETE FROM player_ignores WHERE player = ? AND target = ?",
            (player.lower(), other.lower()),
        )
        self._mark(player, other, False)
        return True

    def _mark(self, player: str, other: str, ignoring: bool) -> None:
        """Change the kept table like the database, and undo it if the step fails."""
        self.ignorers(other)  # the table is loaded before it changes
        assert self._ignorers is not None
        who = self._ignorers.setdefault(other.lower(), set())
        change, undo = (who.add, who.discard) if ignoring else (who.discard, who.add)
        change(player.lower())
        self.on_rollback(lambda: undo(player.lower()))

    # -- friends ---------------------------------------------------------------------------------
    def friends(self, player: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT friend FROM player_friends WHERE player = ? ORDER BY friend COLLATE NOCASE",
            (player.lower(),),
        )
        return [r[0] for r in rows]

    def befriend(self, player: str, other: str) -> bool:
        """Add ``other`` (as written); False when the list is full."""
        if len(self.friends(player)) >= MAX_LIST:
            return False
        self.conn.execute(
            "INSERT OR IGNORE INTO player_friends (player, friend) VALUES (?, ?)",
            (player.lower(), other),
        )
        return True

    def unfriend(self, player: str, other: str) -> bool:
        cur = self.conn.execute(
            "DELETE FROM player_friends WHERE player = ? AND friend = ?", (player.lower(), other)
        )
        return cur.rowcount > 0

    def friended_by(self, player: str) -> list[str]:
        """Who has ``player`` on their friends list (lower-cased): told when they come and go."""
        rows = self.conn.execute(
            "SELECT lower(player) FROM player_friends WHERE friend = ?", (player.lower(),)
        )
        return [r[0] for r in rows]

    # -- away ------------------------------------------------------------------------------------
    def away(self, player: str) -> str | None:
        """The away message, or None when ``player`` is at the keyboard."""
        return self._away.get(player.lower())

    def set_away(self, player: str, message: str) -> None:
        key = player.lower()
        before = self._away.get(key)
        self._away[key] = message[:AWAY_MAX]
        self.on_rollback(lambda: self._restore(key, before))

    def back(self, player: str) -> bool:
        """Clear the away message; False when there was none."""
        key = player.lower()
        before = self._away.pop(key, None)
        if before is None:
            return False
        self.on_rollback(lambda: self._restore(key, before))
        return True

    def _restore(self, key: str, message: str | None) -> None:
        if message is None:
            self._away.pop(key, None)
        else:
            self._away[key] = message
