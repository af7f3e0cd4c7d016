"""The combat and equipment parts of content: ``combat.yaml`` at the root, the ``weight``,
``slot``, ``stats`` and ``container`` fields of items, and the ``combat`` field of NPCs.

Numbers only, from a fixed set of keys: authors tune fights, they never script them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from game.world.model import SLOTS, STATS, CombatRules, ContainerDef, Fighter, LootDrop
from game.world.problems import suggest
from game.world.reader import Reader, Refs, full_ref
from game.world.source import LocatedDict, where_of

ITEM_GEAR_KEYS = {"weight", "slot", "stats", "container"}
CONTAINER_KEYS = {"capacity", "closed", "locked", "key", "contents"}
FIGHTER_KEYS = {"health", "attack", "defence", "damage", "tokens", "respawn", "loot"}
LOOT_KEYS = {"item", "chance", "count"}
COMBAT_KEYS = {
    "health",
    "stamina",
    "attack",
    "defence",
    "damage",
    "round",
    "regen",
    "attack_cost",
    "flee_cost",
    "death_fee",
    "carry",
    "respawn_room",
}
POSITIVE = {"health", "stamina", "round", "carry", "capacity", "respawn"}


def _number(reader: Reader, node: LocatedDict, key: str, default: int) -> int:
    value: int | None = reader.field(node, key, int, required=False)
    if value is None:
        return default
    low = 1 if key in POSITIVE else 0
    if value < low:
        reader.error(where_of(node, key), f"{key!r} must be {low} or more")
        return default
    return value


def _counts(reader: Reader, node: LocatedDict, key: str, area: str, refs: Refs) -> dict[str, int]:
    raw = node.get(key)
    if raw is None:
        return {}
    if not isinstance(raw, LocatedDict):
        reader.error(where_of(node, key), f"{key!r} must map items to how many")
        return {}
    out: dict[str, int] = {}
    for name, count in raw.items():
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            reader.error(where_of(raw, name), f"count of {name!r} must be 1 or more")
            continue
        ref = full_ref(area, name)
        refs.append((where_of(raw, name), "item", ref))
        out[ref] = count
    return out


def _stats(reader: Reader, entry: LocatedDict) -> dict[str, int]:
    raw = entry.get("stats")
    if raw is None:
        return {}
    if not isinstance(raw, LocatedDict):
        reader.error(where_of(entry, "stats"), "'stats' must map a stat to a whole number")
        return {}
    out: dict[str, int] = {}
    for stat, value in raw.items():
        if stat not in STATS:
            reader.error(where_of(raw, stat), f"unknown stat {stat!r}{suggest(stat, STATS)}")
        elif not isinstance(value, int) or isinstance(value, bool):
            reader.error(where_of(raw, stat), f"stat {stat!r} must be a whole number")
        else:
            out[stat] = value
    return out


def _container(
    reader: Reader, entry: LocatedDict, area: str, refs: Refs, portable: bool
) -> ContainerDef | None:
    raw = entry.get("container")
    if raw is None:
        return None
    if raw is True:
        return ContainerDef()
    if not isinstance(raw, LocatedDict):
        reader.error(where_of(entry, "container"), "'container' must be true or a mapping")
        return None
    reader.unknown_keys(raw, CONTAINER_KEYS, "container")
    key = reader.field(raw, "key", str, required=False)
    if key:
        key = full_ref(area, key)
        refs.append((where_of(raw, "key"), "item", key))
    locked = reader.field(raw, "locked", bool, required=False) or False
    if locked and not key:
        reader.error(where_of(raw, "locked"), "a locked container needs a 'key' item")
    contents = _counts(reader, raw, "contents", area, refs)
    if contents and portable:
        reader.error(
            where_of(raw, "contents"),
            "only a fixed container ('portable: false') can start with contents",
        )
    closed = reader.field(raw, "closed", bool, required=False)
    return ContainerDef(
        capacity=_number(reader, raw, "capacity", 10),
        closed=locked if closed is None else closed or locked,
        locked=locked,
        key=key,
        contents=contents,
    )


def build_gear(
    reader: Reader, entry: LocatedDict, area: str, refs: Refs, portable: bool
) -> dict[str, object]:
    """The item fields this module owns, as keyword arguments for ``ItemDef``."""
    slot = reader.field(entry, "slot", str, required=False)
    if slot is not None and slot not in SLOTS:
        reader.error(where_of(entry, "slot"), f"unknown slot {slot!r}{suggest(slot, SLOTS)}")
        slot = None
    stats = _stats(reader, entry)
    if stats and slot is None and "slot" not in entry:
        reader.error(where_of(entry, "stats"), "'stats' apply only to an item with a 'slot'")
    return {
        "weight": _number(reader, entry, "weight", 1),
        "slot": slot,
        "stats": stats,
        "container": _container(reader, entry, area, refs, portable),
    }


def _loot(reader: Reader, node: LocatedDict, area: str, refs: Refs) -> tuple[LootDrop, ...]:
    raw = node.get("loot")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        reader.error(where_of(node, "loot"), "'loot' must be a list such as [{item: pelt}]")
        return ()
    out = []
    for spec in raw:
        if isinstance(spec, str):
            spec_item, chance, count = spec, 1.0, 1
            where = where_of(node, "loot")
        elif isinstance(spec, LocatedDict):
            reader.unknown_keys(spec, LOOT_KEYS, "loot")
            spec_item = reader.field(spec, "item", str)
            chance = reader.field(spec, "chance", float, required=False)
            chance = 1.0 if chance is None else chance
            count = reader.field(spec, "count", int, required=False) or 1
            where = where_of(spec, "item") if "item" in spec else spec.where
            if not 0 < chance <= 1:
                reader.error(where_of(spec, "chance"), "'chance' must be above 0 and at most 1")
            if count < 1:
                reader.error(where_of(spec, "count"), "'count' must be 1 or more")
            if spec_item is None:
                continue
        else:
            reader.error(where_of(node, "loot"), "each loot entry is an item or {item, chance}")
            continue
        ref = full_ref(area, spec_item)
        refs.append((where, "item", ref))
        out.append(LootDrop(ref, chance, count))
    return tuple(out)


def build_fighter(reader: Reader, entry: LocatedDict, area: str, refs: Refs) -> Fighter | None:
    raw = entry.get("combat")
    if raw is None:
        return None
    if not isinstance(raw, LocatedDict):
        reader.error(where_of(entry, "combat"), "'combat' must be a mapping with 'health'")
        return None
    reader.unknown_keys(raw, FIGHTER_KEYS, "combat")
    if reader.field(raw, "health", int) is None:
        return None
    return Fighter(
        health=_number(reader, raw, "health", 1),
        attack=_number(reader, raw, "attack", 1),
        defence=_number(reader, raw, "defence", 0),
        damage=_number(reader, raw, "damage", 2),
        tokens=_number(reader, raw, "tokens", 0),
        respawn=_number(reader, raw, "respawn", 300),
        loot=_loot(reader, raw, area, refs),
    )


def load_combat(reader: Reader, path: Path, refs: Refs) -> CombatRules:
    if not path.exists():
        return CombatRules()
    node = reader.file(path)
    if not isinstance(node, LocatedDict):
        if node is not None:
            reader.error(where_of(node), "combat.yaml must be a mapping")
        return CombatRules()
    reader.unknown_keys(node, COMBAT_KEYS, "combat.yaml")
    defaults = CombatRules()
    numbers: Mapping[str, int] = {
        key: _number(reader, node, key, getattr(defaults, key))
        for key in sorted(COMBAT_KEYS - {"respawn_room"})
    }
    room = reader.field(node, "respawn_room", str, required=False)
    if room is not None:
        if ":" not in room:
            reader.error(where_of(node, "respawn_room"), "'respawn_room' must be area:room")
            room = None
        else:
            refs.append((where_of(node, "respawn_room"), "room", room))
    return CombatRules(respawn_room=room, **numbers)
