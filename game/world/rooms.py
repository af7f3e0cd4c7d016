"""Rooms: ``extends:`` inheritance, exits with doors and gates, placements, and the one
function (:func:`build_room`) where every room field is read.

To add a room field: add its name to ``ROOM_KEYS`` and read it in :func:`build_room`.
"""

from __future__ import annotations

from game.world.economy_rules import parse_gather
from game.world.layout import parse_layout
from game.world.model import DIRECTIONS, Door, Exit, Placement, Room
from game.world.problems import suggest
from game.world.reader import Reader, Refs, full_ref
from game.world.requires import parse_requires
from game.world.source import LocatedDict, Where, where_of

ROOM_KEYS = {
    "id",
    "title",
    "description",
    "brief",
    "exits",
    "items",
    "npcs",
    "coordinates",
    "gather",
    "features",
    "reward",
    "requires",
    "extends",
    "template",
    "layout",
    "night",
}
EXIT_KEYS = {"to", "door", "requires", "one_way"}


def normalize_direction(word: str) -> str:
    word = word.strip().lower()
    return DIRECTIONS.get(word, word)


RawRoom = tuple[str, LocatedDict]  # (area, entry as written)


def resolve_extends(
    reader: Reader, raw: dict[str, RawRoom]
) -> tuple[dict[str, LocatedDict], set[str]]:
    """Each room merged over the room it ``extends`` (recursively), and the rooms caught in
    an ``extends`` cycle (reported once, then left out so they cause no further noise).

    A child's fields replace its parent's whole; ``id`` and ``template`` never inherit.
    """
    done: dict[str, LocatedDict] = {}
    broken: set[str] = set()

    def merged(ref: str, chain: list[str]) -> LocatedDict:
        if ref in done:
            return done[ref]
        area, entry = raw[ref]
        parent_name = entry.get("extends")
        if parent_name is None:
            done[ref] = entry
            return entry
        where = where_of(entry, "extends")
        if not isinstance(parent_name, str):
            reader.error(where, "'extends' must name one room")
            done[ref] = entry
            return entry
        parent = full_ref(area, parent_name)
        if parent in chain:
            cycle = chain[chain.index(parent) :]
            reader.error(where, f"'extends' makes a cycle: {' -> '.join([*cycle, parent])}")
            broken.update(cycle)
            done[ref] = entry
            return entry
        if parent not in raw:
            reader.error(where, f"unknown room {parent!r} in 'extends'{suggest(parent, raw)}")
            done[ref] = entry
            return entry
        base = merged(parent, [*chain, parent])
        out = LocatedDict({k: v for k, v in base.items() if k not in ("id", "template")})
        out.where = entry.where
        out.key_where = {k: w for k, w in base.key_where.items() if k in out}
        out.update(entry)
        out.key_where.update(entry.key_where)
        done[ref] = out
        return out

    resolved = {ref: merged(ref, [ref]) for ref in raw}
    return {r: e for r, e in resolved.items() if r not in broken}, broken


Placed = dict[str, list[tuple[str, Where]]]
"""Where each item is placed: item ref -> [(room ref, where in the file)]."""


def build_room(
    reader: Reader,
    entry: LocatedDict,
    ref: str,
    area: str,
    refs: Refs,
    placed: Placed | None = None,
) -> Room | None:
    reader.unknown_keys(entry, ROOM_KEYS, "room")
    title = reader.field(entry, "title", str)
    description = reader.field(entry, "description", str)
    if title is None or description is None:
        return None
    extends = entry.get("extends")
    return Room(
        id=ref,
        area=area,
        title=title,
        description=description.strip(),
        brief=(reader.field(entry, "brief", str, required=False) or "").strip(),
        exits=_exits(reader, entry, area, refs),
        items=_placements(reader, entry, "items", area, refs, (ref, placed)),
        npcs=_placements(reader, entry, "npcs", area, refs),
        coordinates=_coordinates(reader, entry),
        gather=parse_gather(reader, entry, area, refs),
        features=reader.names(entry, "features"),
        reward=reader.field(entry, "reward", int, required=False),
        requires=parse_requires(reader, entry, area, refs),
        extends=full_ref(area, extends) if isinstance(extends, str) else None,
        layout=parse_layout(reader, entry),
        night=(reader.field(entry, "night", str, required=False) or "").strip(),
    )


def _placements(
    reader: Reader,
    entry: LocatedDict,
    key: str,
    area: str,
    refs: Refs,
    record: tuple[str, Placed | None] = ("", None),
) -> tuple[Placement, ...]:
    raw = entry.get(key) or []
    if not isinstance(raw, list):
        reader.error(where_of(entry, key), f"{key!r} must be a list")
        return ()
    out = []
    kind = "item" if key == "items" else "npc"
    for value in raw:
        where = where_of(value, fallback=where_of(entry, key))
        if isinstance(value, str):
            placement = Placement(full_ref(area, value))
        elif isinstance(value, LocatedDict):
            reader.unknown_keys(value, {"id", "count", "respawn"}, f"{kind} placement")
            ident = reader.field(value, "id", str)
            if ident is None:
                continue
            count = reader.field(value, "count", int, required=False)
            respawn = reader.field(value, "respawn", int, required=False)
            placement = Placement(full_ref(area, ident), count or 1, respawn)
        else:
            reader.error(where, f"each of {key!r} must be an id or a mapping with 'id'")
            continue
        refs.append((where, kind, placement.ref))
        out.append(placement)
        room, placed = record
        if placed is not None:
            placed.setdefault(placement.ref, []).append((room, where))
    return tuple(out)


def _door(reader: Reader, raw: object, area: str, refs: Refs) -> Door | None:
    if raw is None:
        return None
    if not isinstance(raw, LocatedDict):
        reader.error(where_of(raw), "'door' must be a mapping of closed, locked and key")
        return None
    reader.unknown_keys(raw, {"closed", "locked", "key"}, "door")
    closed = reader.field(raw, "closed", bool, required=False)
    locked = reader.field(raw, "locked", bool, required=False)
    key = reader.field(raw, "key", str, required=False)
    if key:
        refs.append((where_of(raw, "key"), "item", full_ref(area, key)))
    elif locked:
        reader.error(raw.where, "a locked door needs a 'key' item")
    return Door(
        closed=True if closed is None else closed,
        locked=bool(locked),
        key=full_ref(area, key) if key else None,
    )


def _exits(reader: Reader, entry: LocatedDict, area: str, refs: Refs) -> tuple[Exit, ...]:
    raw = entry.get("exits")
    if raw is None:
        return ()
    if not isinstance(raw, LocatedDict):
        reader.error(where_of(entry, "exits"), "'exits' must map a direction to a room")
        return ()
    out = []
    for direction, target in raw.items():
        where = where_of(raw, direction)
        if isinstance(target, LocatedDict):
            reader.unknown_keys(target, EXIT_KEYS, "exit")
            to = reader.field(target, "to", str)
            if to is None:
                continue
            ex = Exit(
                normalize_direction(direction),
                full_ref(area, to),
                door=_door(reader, target.get("door"), area, refs),
                requires=parse_requires(reader, target, area, refs),
                one_way=bool(reader.field(target, "one_way", bool, required=False)),
            )
        elif isinstance(target, str):
            ex = Exit(normalize_direction(direction), full_ref(area, target))
        else:
            reader.error(where, f"exit {direction!r} must name a room")
            continue
        refs.append((where, "room", ex.to))
        out.append(ex)
    return tuple(out)


def _coordinates(reader: Reader, entry: LocatedDict) -> tuple[int, int, int] | None:
    raw = entry.get("coordinates")
    if raw is None:
        return None
    if isinstance(raw, list) and len(raw) in (2, 3) and all(type(v) is int for v in raw):
        return (raw[0], raw[1], raw[2] if len(raw) == 3 else 0)
    reader.error(where_of(entry, "coordinates"), "'coordinates' must be [x, y] or [x, y, z]")
    return None
