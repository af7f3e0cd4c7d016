"""What players wear and wield: one item per slot, out of the pack, kept in
``player_equipment``. Equipped items add their ``stats`` to combat (game/services/combat.py)
and weigh nothing against the carrying limit.

Moving an item between the pack and a slot goes through ``World.change_pack`` (the store
and the pack change together, undone with the step); the slot table's cache is undone too.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable

from game.world.model import SLOTS
from game.world.state import Player, World

Undo = Callable[[Callable[[], None]], None]


class Equipment:
    def __init__(self, conn: sqlite3.Connection, world: World, on_rollback: Undo) -> None:
        self.conn = conn
        self.world = world
        self.on_rollback = on_rollback
        self._worn: dict[str, dict[str, str]] = {}

    def worn(self, name: str) -> dict[str, str]:
        """Slot -> item ref, in the order of ``SLOTS``."""
        key = name.lower()
        found = self._worn.get(key)
        if found is None:
            rows = self.conn.execute(
                "SELECT slot, item FROM player_equipment WHERE player = ?", (key,)
            ).fetchall()
            got = dict(rows)
            found = self._worn[key] = {s: got[s] for s in SLOTS if s in got}
        return found

    def stats(self, name: str) -> Counter[str]:
        """The sum of the equipped items' stats (items gone from content count nothing)."""
        total: Counter[str] = Counter()
        for item_id in self.worn(name).values():
            item = self.world.content.items.get(item_id)
            if item is not None:
                total.update(item.stats)
        return total

    def equip(self, player: Player, item_id: str, slot: str) -> str | None:
        """Move ``item_id`` from the pack into ``slot``; what was there goes back to the
        pack and is returned. Raises ValueError if the pack lacks the item."""
        worn = self.worn(player.name)
        old = worn.get(slot)
        deltas = {item_id: -1}
        if old is not None:
            deltas[old] = deltas.get(old, 0) + 1
        self.world.change_pack(player, deltas)
        self.conn.execute(
            "INSERT INTO player_equipment (player, slot, item) VALUES (?, ?, ?)"
            " ON CONFLICT(player, slot) DO UPDATE SET item = excluded.item",
            (player.key, slot, item_id),
        )
        self._set(worn, slot, item_id)
        return old

    def unequip(self, player: Player, slot: str) -> str:
        """Put what is in ``slot`` back in the pack; returns it (KeyError if empty)."""
        worn = self.worn(player.name)
        item_id = worn[slot]
        self.world.change_pack(player, {item_id: +1})
        self.conn.execute(
            "DELETE FROM player_equipment WHERE player = ? AND slot = ?", (player.key, slot)
        )
        self._set(worn, slot, None)
        return item_id

    def _set(self, worn: dict[str, str], slot: str, item: str | None) -> None:
        before = worn.get(slot)
        if item is None:
            worn.pop(slot, None)
        else:
            worn[slot] = item

        def undo() -> None:
            if before is None:
                worn.pop(slot, None)
            else:
                worn[slot] = before

        self.on_rollback(undo)
