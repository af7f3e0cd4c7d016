"""The ``wander`` behaviour: NPCs that stroll from room to room on their own. The same
once-a-second tick also restocks respawning items (:mod:`game.world.respawn`).

A Component: in production ``start()`` calls :meth:`Wanderers.tick` once a second; tests
call ``tick()`` directly after moving the injected clock. Each wanderer steps every
``interval`` seconds through a random open exit without requirements, staying inside its
area unless ``stay_in_area: false``. Positions are runtime state (``World.npc_rooms``).
"""

from __future__ import annotations

import random
from collections.abc import Callable

import structlog

from game.core.outbox import Outbox
from game.core.periodic import Periodic
from game.core.reply import Kind, Reply
from game.world.model import OPPOSITE
from game.world.respawn import Respawner
from game.world.state import World

log = structlog.get_logger("sshrealm.wander")


class Wanderers(Periodic):
    def __init__(
        self, world: World, outbox: Outbox, clock: Callable[[], int], rng: random.Random
    ) -> None:
        super().__init__()
        self.world = world
        self.outbox = outbox
        self.clock = clock
        self.rng = rng
        self.next_ms: dict[str, int] = {}
        self.respawner = Respawner(world, clock)  # item respawn rides this tick

    def tick(self) -> list[tuple[str, str, str]]:
        """Move every wanderer whose time has come; return (npc, from, to) for each step."""
        world, now = self.world, self.clock()
        content = world.content
        steps = []
        for npc in content.npcs.values():
            interval = npc.wander_interval
            if interval is None:
                continue
            here = world.npc_rooms.get(npc.id) or self._home(npc.id)
            if here is None:
                continue
            due = self.next_ms.setdefault(npc.id, now + interval * 1000)
            if now < due:
                continue
            self.next_ms[npc.id] = now + interval * 1000
            room = content.rooms[here]
            stay = npc.behaviours["wander"].get("stay_in_area", True) is not False
            choices = [
                ex
                for ex in room.exits
                if ex.to in content.rooms
                and not ex.requires
                and world.is_open(here, ex)
                and (not stay or content.rooms[ex.to].area == room.area)
                and content.rooms[ex.to].requires.tier is None
            ]
            if not choices:
                continue
            ex = self.rng.choice(choices)
            world.npc_rooms[npc.id] = ex.to
            name = npc.name[0].upper() + npc.name[1:]
            back = OPPOSITE.get(ex.direction)
            arrive = f"{name} wanders in from the {back}." if back else f"{name} wanders in."
            self.outbox.tell_room(here, Reply(Kind.MOVE, f"{name} wanders {ex.direction}."))
            self.outbox.tell_room(ex.to, Reply(Kind.MOVE, arrive))
            self.outbox.room_changed(here)
            self.outbox.room_changed(ex.to)
            steps.append((npc.id, here, ex.to))
        return steps

    def _home(self, npc: str) -> str | None:
        for room in self.world.content.rooms.values():
            if any(p.ref == npc for p in room.npcs):
                self.world.npc_rooms[npc] = room.id
                return room.id
        return None

    async def step(self) -> None:
        self.tick()
        for room, _, _ in self.respawner.tick():
            self.outbox.room_changed(room)
