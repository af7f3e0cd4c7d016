"""Warnings about content that loads but reads or plays badly.

Unreachable rooms, one-way exits, missing briefs, NPCs never placed, and ASCII art or box
drawing in descriptions: a screen reader reads "plus dash dash dash" aloud, so pictures
made of characters are never a good idea in text players listen to.
"""

from __future__ import annotations

import re
from collections import deque

from game.world.model import Content
from game.world.reader import Reader
from game.world.source import Where

# Box drawing and block elements, and runs of the characters used to draw them in ASCII
# (after Evennia's SCREENREADER_REGEX_STRIP).
ART = re.compile(r"[\u2500-\u259f]|\+-+|-{3,}|~{2,}|={2,}|_{3,}|\|\s*\||[#*]{3,}|[/\\]{2,}")


def has_art(text: str) -> bool:
    return ART.search(text) is not None


def reachable(content: Content) -> set[str]:
    """Rooms a player can walk to from any area's start (fast travel lands on starts)."""
    seen = {a.start for a in content.areas.values() if a.start in content.rooms}
    queue = deque(seen)
    while queue:
        room = content.rooms[queue.popleft()]
        for ex in room.exits:
            if ex.to not in seen and ex.to in content.rooms:
                seen.add(ex.to)
                queue.append(ex.to)
    return seen


def same_place(content: Content) -> dict[str, str]:
    """Rooms whose area and coordinates an earlier room already has: room -> that room."""
    first: dict[tuple[str, tuple[int, int, int]], str] = {}
    out = {}
    for ref, room in content.rooms.items():
        if room.coordinates is None:
            continue
        spot = (room.area, room.coordinates)
        if spot in first:
            out[ref] = first[spot]
        else:
            first[spot] = ref
    return out


def spawned_npcs(content: Content) -> set[str]:
    """NPCs a trigger brings into the world (``spawn: {npc: ...}``)."""
    return {
        a.ref
        for npc in content.npcs.values()
        for t in npc.triggers
        for a in t.actions
        if a.kind == "spawn" and a.spawns == "npc"
    }


def lint(reader: Reader, content: Content, where: dict[tuple[str, str], Where]) -> None:
    def at(kind: str, ref: str) -> Where:
        return where.get((kind, ref), Where(ref, 1, 1))

    reached = reachable(content)
    placed = {p.ref for room in content.rooms.values() for p in room.npcs}
    placed |= spawned_npcs(content)
    for ref, room in content.rooms.items():
        if ref not in reached:
            reader.warn(at("room", ref), f"room {ref!r} cannot be reached from any area start")
        if not room.brief:
            reader.warn(at("room", ref), f"room {ref!r} has no 'brief' (a one-line summary)")
        if has_art(room.description) or has_art(room.title):
            reader.warn(at("room", ref), f"room {ref!r}: {_ART_ADVICE}")
        for ex in room.exits:
            target = content.rooms.get(ex.to)
            if target is None or ex.one_way:
                continue
            if not any(back.to == ref for back in target.exits):
                reader.warn(
                    at("room", ref),
                    f"exit {ex.direction!r} of {ref!r} is one-way: {ex.to!r} has no exit back"
                    " (add one, or mark the exit one_way: true)",
                )
    for ref, first in sorted(same_place(content).items()):
        room = content.rooms[ref]
        reader.warn(
            at("room", ref),
            f"room {ref!r} has the same coordinates {list(room.coordinates or ())} as"
            f" {first!r} (at {at('room', first)}); content map can draw only one of them",
        )
    for ref, item in content.items.items():
        if has_art(item.description):
            reader.warn(at("item", ref), f"item {ref!r}: {_ART_ADVICE}")
    for ref, npc in content.npcs.items():
        if has_art(npc.description):
            reader.warn(at("npc", ref), f"npc {ref!r}: {_ART_ADVICE}")
        if ref not in placed:
            reader.warn(at("npc", ref), f"npc {ref!r} is not placed in any room")
    started = {t.starts for npc in content.npcs.values() for t in npc.topics.values()}
    started |= {
        a.ref
        for npc in content.npcs.values()
        for t in npc.triggers
        for a in t.actions
        if a.kind == "start_quest"
    }
    for ref in content.quests:
        if ref not in started:
            reader.warn(
                at("quest", ref),
                f"quest {ref!r} is never started: no NPC topic or trigger starts it",
            )
    for ref, shop in content.shops.items():
        keeper_room = shop.keeper and shop.keeper in {p.ref for p in content.rooms[shop.room].npcs}
        if shop.keeper and not keeper_room:
            reader.warn(at("shop", ref), f"shop {ref!r}: its keeper is not placed in its room")
    for ref, area in content.areas.items():
        if has_art(area.description):
            reader.warn(at("area", ref), f"area {ref!r}: {_ART_ADVICE}")
    to_be_had = obtainable(content)
    for ref, item in content.items.items():
        box = item.container
        if box is not None and box.locked and box.key and box.key not in to_be_had:
            reader.warn(
                at("item", ref),
                f"container {ref!r} is locked with {box.key!r}, which no room places, no shop"
                " sells, no quest rewards and no NPC drops: it can never be opened",
            )


def obtainable(content: Content) -> set[str]:
    """Every item a player can come to hold: placed on a floor, sold, gathered, cooked,
    a quest's reward, dropped as loot, inside a container (which may need its own key), or
    given or spawned by an NPC's trigger."""
    out = {p.ref for room in content.rooms.values() for p in room.items}
    out.update(i for shop in content.shops.values() for i in shop.sells)
    out.update(g.item for room in content.rooms.values() for g in room.gather)
    out.update(content.economy.recipes)
    out.update(i for quest in content.quests.values() for i in quest.reward.items)
    out.update(d.item for npc in content.npcs.values() if npc.combat for d in npc.combat.loot)
    out.update(
        i for item in content.items.values() if item.container for i in item.container.contents
    )
    out.update(
        action.ref
        for npc in content.npcs.values()
        for trigger in npc.triggers
        for action in trigger.actions
        if action.kind == "give" or (action.kind == "spawn" and action.spawns == "item")
    )
    return out


_ART_ADVICE = (
    "the description looks like ASCII art or box drawing, which screen readers read aloud"
    " character by character; describe it in words"
)
