"""The rooms each player has been in, for their map (``map``).

A listener on the game's events: entering the world counts the room the player stands in,
every move the room it leads to. Kept in ``player_rooms`` with when the room was first
seen. Rooms visited before this table existed are not known.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from bridge.events import Event, PlayerJoined, PlayerMoved


class Explored:
    def __init__(self, conn: sqlite3.Connection, room_of: Callable[[str], str]) -> None:
        self.conn = conn
        self.room_of = room_of  # where an online player stands ("" if not online)

    def __call__(self, event: Event) -> None:
        if isinstance(event, PlayerJoined) and event.front_end != "exec":
            self.visit(event.player, self.room_of(event.player), int(event.ts))
        elif isinstance(event, PlayerMoved):
            self.visit(event.player, event.to_room, int(event.ts))

    def visit(self, player: str, room: str, at_ms: int) -> None:
        if room:
            self.conn.execute(
                "INSERT OR IGNORE INTO player_rooms (player, room, first_ms) VALUES (?, ?, ?)",
                (player.lower(), room, at_ms),
            )

    def rooms(self, player: str) -> set[str]:
        rows = self.conn.execute(
            "SELECT room FROM player_rooms WHERE player = ?", (player.lower(),)
        )
        return {r[0] for r in rows}
