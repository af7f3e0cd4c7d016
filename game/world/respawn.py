"""Respawn: placed items with ``respawn: SECONDS`` come back after they were taken.

A room's placement ``{id: float, count: 2, respawn: 600}`` keeps up to two floats on the
floor: once fewer lie there, the missing ones return ``respawn`` seconds later. Driven by
:meth:`Respawner.tick` with the game clock (the wander Component calls it every second;
tests call it directly).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from game.world.state import World


class Respawner:
    def __init__(self, world: World, clock: Callable[[], int]) -> None:
        self.world = world
        self.clock = clock
        self.short_since: dict[tuple[str, str], int] = {}  # (room, item) -> when it ran short

    def tick(self) -> list[tuple[str, str, int]]:
        """Restore what is due; return (room, item, how many) for each restock."""
        now, world = self.clock(), self.world
        restocked = []
        for room in world.content.rooms.values():
            for placement in room.items:
                if placement.respawn is None or placement.ref not in world.content.items:
                    continue
                key = (room.id, placement.ref)
                missing = placement.count - world.floor.get(room.id, Counter())[placement.ref]
                if missing <= 0:
                    self.short_since.pop(key, None)
                    continue
                since = self.short_since.setdefault(key, now)
                if now - since >= placement.respawn * 1000:
                    world.floor.setdefault(room.id, Counter())[placement.ref] += missing
                    world.store.adjust_room_item(room.id, placement.ref, missing)
                    del self.short_since[key]
                    restocked.append((room.id, placement.ref, missing))
        return restocked
