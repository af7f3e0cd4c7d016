"""Bags and chests: items that hold items (``container:`` in items.yaml).

A container's contents are kept in ``container_items`` under its *holder*:
``room:<room>:<item>`` for a fixed container on a floor, ``pack:<player>:<item>`` for a
bag a player carries. A bag's contents stay with its owner: dropping or giving the bag
leaves them keyed to the owner (nothing is lost or copied), and the next bag of that kind
the owner carries holds them again. A fixed container gets its ``contents`` once, the
first time the game looks inside (``container_seeded``); nothing refills it.

Open, closed and locked are runtime state, as doors are: after a restart every container
is as content describes it.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable

from game.world.model import ContainerDef, ItemDef
from game.world.state import Player, World

Undo = Callable[[Callable[[], None]], None]
OPEN, CLOSED, LOCKED = "open", "closed", "locked"


class Containers:
    def __init__(self, conn: sqlite3.Connection, world: World, on_rollback: Undo) -> None:
        self.conn = conn
        self.world = world
        self.on_rollback = on_rollback
        self._contents: dict[str, Counter[str]] = {}
        self._state: dict[str, str] = {}

    @staticmethod
    def holder(player: Player, item: ItemDef, *, carried: bool) -> str:
        return f"pack:{player.key}:{item.id}" if carried else f"room:{player.room}:{item.id}"

    # -- contents ----------------------------------------------------------------------------
    def contents(self, holder: str, spec: ContainerDef | None = None) -> Counter[str]:
        found = self._contents.get(holder)
        if found is None:
            rows = self.conn.execute(
                "SELECT item, count FROM container_items WHERE holder = ?", (holder,)
            )
            found = self._contents[holder] = Counter(dict(rows.fetchall()))
            if spec is not None and spec.contents and holder.startswith("room:"):
                self._seed(holder, spec, found)
        return found

    def _seed(self, holder: str, spec: ContainerDef, pile: Counter[str]) -> None:
        done = self.conn.execute(
            "INSERT INTO container_seeded (holder) VALUES (?) ON CONFLICT(holder) DO NOTHING",
            (holder,),
        )
        if done.rowcount:
            for item, count in spec.contents.items():
                self._adjust(holder, pile, item, count)

    def _adjust(self, holder: str, pile: Counter[str], item: str, delta: int) -> None:
        if pile[item] + delta < 0:
            raise ValueError(f"only {pile[item]} of {item} in {holder}")
        if pile[item] + delta == 0:
            self.conn.execute(
                "DELETE FROM container_items WHERE holder = ? AND item = ?", (holder, item)
            )
        elif pile[item]:
            self.conn.execute(
                "UPDATE container_items SET count = count + ? WHERE holder = ? AND item = ?",
                (delta, holder, item),
            )
        else:
            self.conn.execute(
                "INSERT INTO container_items (holder, item, count) VALUES (?, ?, ?)",
                (holder, item, delta),
            )
        pile[item] += delta
        if pile[item] <= 0:
            del pile[item]

        def undo() -> None:
            pile[item] -= delta
            if pile[item] <= 0:
                del pile[item]

        self.on_rollback(undo)

    def put(self, player: Player, holder: str, item: str, count: int) -> None:
        """From the player's pack into the container; ValueError if the pack lacks it."""
        pile = self.contents(holder)
        self.world.change_pack(player, {item: -count})
        self._adjust(holder, pile, item, count)

    def take_out(self, player: Player, holder: str, item: str, count: int) -> None:
        pile = self.contents(holder)
        self._adjust(holder, pile, item, -count)
        self.world.change_pack(player, {item: +count})

    # -- open, closed, locked ----------------------------------------------------------------
    def state(self, holder: str, spec: ContainerDef) -> str:
        default = LOCKED if spec.locked else CLOSED if spec.closed else OPEN
        return self._state.get(holder, default)

    def set_state(self, holder: str, state: str) -> None:
        before = self._state.get(holder)
        self._state[holder] = state

        def undo() -> None:
            if before is None:
                self._state.pop(holder, None)
            else:
                self._state[holder] = before

        self.on_rollback(undo)

    # -- weight --------------------------------------------------------------------------------
    def load(self, player: Player) -> int:
        """What ``player`` carries, by weight: the pack, and what their bags hold."""
        items = self.world.content.items
        total = 0
        for item_id, count in player.inventory.items():
            item = items.get(item_id)
            if item is None or count <= 0:
                continue
            total += item.weight * count
            if item.container is not None:
                pile = self.contents(self.holder(player, item, carried=True))
                total += sum(items[i].weight * n for i, n in pile.items() if i in items)
        return total
