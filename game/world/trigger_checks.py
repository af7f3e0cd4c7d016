"""Checks of NPC triggers against the whole loaded world (``content check`` runs them).

:mod:`game.world.triggers` checks what one trigger says on its own, and every name it uses
goes through the loader's reference check. What needs the rest of the world is here:
errors for conditions and actions that can never work (a quest step past the quest's last
goal, a skill level above the highest, ``open`` of an exit with no door) and warnings for
triggers no player can ever set off (``on_give`` of an item nobody can get).
"""

from __future__ import annotations

from collections.abc import Iterator

from game.world.lint import obtainable
from game.world.model import Content, NpcDef
from game.world.reader import Reader
from game.world.rooms import normalize_direction
from game.world.triggers import MIN_REWARD_COOLDOWN, Action, Trigger


def each_trigger(content: Content) -> Iterator[tuple[NpcDef, Trigger]]:
    for npc in content.npcs.values():
        for trigger in npc.triggers:
            yield npc, trigger


def check_triggers(reader: Reader, content: Content) -> None:
    """Errors for triggers that name things which exist but can never work."""
    top_level = len(content.economy.xp_levels)
    bought = {item: shop.id for shop in content.shops.values() for item in shop.buys}
    for npc, trigger in each_trigger(content):
        _check_sold(reader, trigger, bought)
        when = trigger.when
        if when.quest is not None and when.quest.step is not None:
            quest = content.quests.get(when.quest.quest)
            if quest is not None and when.quest.step > len(quest.goals):
                reader.error(
                    when.quest.where,
                    f"quest {quest.id!r} has {len(quest.goals)} step(s), so step"
                    f" {when.quest.step} can never be reached",
                )
        for skill, level in when.skills.items():
            if level > top_level:
                reader.error(
                    when.where,
                    f"skill {skill!r} never reaches level {level} (the highest is {top_level})",
                )
        for action in trigger.actions:
            if action.kind == "open":
                _check_door(reader, content, npc, action)


def _check_sold(reader: Reader, trigger: Trigger, bought: dict[str, str]) -> None:
    """An item a shop buys is tokens: a trigger that hands one out (``give``, or
    ``spawn`` on the floor) is bound like a ``reward``, once or once per hour a player."""
    if trigger.once or trigger.cooldown >= MIN_REWARD_COOLDOWN:
        return
    for action in trigger.actions:
        made = action.kind == "give" or (action.kind == "spawn" and action.spawns == "item")
        if made and action.ref in bought:
            reader.error(
                action.where,
                f"shop {bought[action.ref]!r} buys {action.ref!r}, so handing it out is a token"
                " faucet: make the trigger 'once: true' or give it a 'cooldown' of at least"
                f" {MIN_REWARD_COOLDOWN} seconds",
            )


def _check_door(reader: Reader, content: Content, npc: NpcDef, action: Action) -> None:
    rooms = [action.room] if action.room else homes(content, npc.id)
    direction = normalize_direction(action.exit)
    for ref in rooms:
        room = content.rooms.get(ref)
        if room is None:
            continue
        ex = room.exit(direction)
        if ex is None or ex.door is None:
            exits = [e.direction for e in room.exits if e.door is not None]
            doors = f" (doors here: {', '.join(exits)})" if exits else " (it has no doors)"
            reader.error(
                action.where,
                f"unknown door: room {ref!r} has no door on an exit {direction!r}{doors}",
            )


def homes(content: Content, npc: str) -> list[str]:
    """The rooms an NPC is placed in by content."""
    return [r.id for r in content.rooms.values() if any(p.ref == npc for p in r.npcs)]


def lint_triggers(reader: Reader, content: Content) -> None:
    """Warnings: triggers that load but that no player can ever set off."""
    can_hold = obtainable(content)
    for npc, trigger in each_trigger(content):
        if trigger.kind == "give" and trigger.item and trigger.item not in can_hold:
            reader.warn(
                trigger.where,
                f"{npc.id!r} waits to be given {trigger.item!r}, but no player can ever get"
                " one (it is not placed, sold, gathered, cooked, rewarded, looted or given)",
            )
        for item in trigger.when.holds:
            if item not in can_hold:
                reader.warn(
                    trigger.when.where,
                    f"this trigger needs {item!r} held, but no player can ever get one",
                )
