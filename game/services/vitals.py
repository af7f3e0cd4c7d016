"""Health, stamina and the brief option of every player, kept in ``player_vitals`` and
``player_prefs`` and cached while the server runs.

Health tops out at ``combat.yaml`` ``health`` plus what equipped items add; stamina at
``stamina``. Every write is undone in memory if its step fails (the SQL rolls back with the
step's transaction) and refreshes the player's status bar.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import partial
from typing import Any

from game.core.outbox import Outbox
from game.services.equipment import Equipment
from game.world.state import World


@dataclass(frozen=True, slots=True)
class Vitals:
    health: int
    max_health: int
    stamina: int
    max_stamina: int


class Bodies:
    def __init__(
        self, conn: sqlite3.Connection, world: World, equipment: Equipment, outbox: Outbox
    ) -> None:
        self.conn = conn
        self.world = world
        self.equipment = equipment
        self.outbox = outbox
        self._vitals: dict[str, tuple[int, int]] = {}  # key -> (health, stamina) as stored
        self._brief: dict[str, bool] = {}

    def vitals(self, name: str) -> Vitals:
        rules, key = self.world.content.combat, name.lower()
        top = max(1, rules.health + self.equipment.stats(name)["health"])
        stored = self._vitals.get(key)
        if stored is None:
            row = self.conn.execute(
                "SELECT health, stamina FROM player_vitals WHERE player = ?", (key,)
            ).fetchone()
            stored = self._vitals[key] = (row[0], row[1]) if row else (top, rules.stamina)
        return Vitals(min(stored[0], top), top, min(stored[1], rules.stamina), rules.stamina)

    def set(self, name: str, health: int, stamina: int) -> None:
        key = name.lower()
        before = self._vitals.get(key)
        self._vitals[key] = (max(0, health), max(0, stamina))
        self.conn.execute(
            "INSERT INTO player_vitals (player, health, stamina) VALUES (?, ?, ?)"
            " ON CONFLICT(player) DO UPDATE SET health = excluded.health,"
            " stamina = excluded.stamina",
            (key, max(0, health), max(0, stamina)),
        )
        self.outbox.on_rollback(partial(_restore, self._vitals, key, before))
        self.outbox.status_changed(name)

    def brief(self, name: str) -> bool:
        """Whether ``name`` wants each combat round in one line (the ``brief`` command)."""
        key = name.lower()
        if key not in self._brief:
            row = self.conn.execute(
                "SELECT value FROM player_prefs WHERE player = ? AND key = 'brief'", (key,)
            ).fetchone()
            self._brief[key] = bool(row and row[0] == "on")
        return self._brief[key]

    def set_brief(self, name: str, on: bool) -> None:
        key = name.lower()
        self.conn.execute(
            "INSERT INTO player_prefs (player, key, value) VALUES (?, 'brief', ?)"
            " ON CONFLICT(player, key) DO UPDATE SET value = excluded.value",
            (key, "on" if on else "off"),
        )
        before = self._brief.get(key)
        self._brief[key] = on
        self.outbox.on_rollback(partial(_restore, self._brief, key, before))


def _restore(table: dict[str, Any], key: str, before: object) -> None:
    """Undo one entry: back to ``before``, or gone if it was not there."""
    if before is None:
        table.pop(key, None)
    else:
        table[key] = before
