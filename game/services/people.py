"""Who a player keeps close or away: ignores, friends, and being away from the keyboard.

Ignores and friends are kept in the database (``player_ignores``, ``player_friends``) and
cached per player on first use; away messages live only while the server runs. A change
made in a command that then fails is undone in memory too (``on_rollback``), as its SQL
rolls back with the step's transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Undo = Callable[[Callable[[], None]], None]
MAX_LIST = 100
AWAY_MAX = 120


class People:
    def __init__(self, conn: sqlite3.Connection, on_rollback: Undo) -> None:
        self.conn = conn
        self.on_rollback = on_rollback
        self._ignores: dict[str, set[str]] = {}
        self._away: dict[str, str] = {}

    # -- ignores ---------------------------------------------------------------------------------
    def ignored_by(self, player: str) -> set[str]:
        """The lower-cased names ``player`` ignores."""
        key = player.lower()
        found = self._ignores.get(key)
        if found is None:
            rows = self.conn.execute(
                "SELECT lower(target) FROM player_ignores WHERE player = ?", (key,)
            )
            found = self._ignores[key] = {r[0] for r in rows}
        return found

    def ignores(self, player: str, other: str) -> bool:
        """Whether ``player`` has ``other`` on their ignore list."""
        return bool(other) and other.lower() in self.ignored_by(player)

    def ignore(self, player: str, other: str) -> bool:
        """Add ``other``; False when the list is full."""
        names = self.ignored_by(player)
        if len(names) >= MAX_LIST:
            return False
        key = other.lower()
        self.conn.execute(
            "INSERT OR IGNORE INTO player_ignores (player, target) VALUES (?, ?)",
            (player.lower(), key),
        )
        if key not in names:
            names.add(key)
            self.on_rollback(lambda: names.discard(key))
        return True

    def unignore(self, player: str, other: str) -> bool:
        names = self.ignored_by(player)
        key = other.lower()
        if key not in names:
            return False
        self.conn.execute(
            "DELETE FROM player_ignores WHERE player = ? AND target = ?", (player.lower(), key)
        )
        names.discard(key)
        self.on_rollback(lambda: names.add(key))
        return True

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
