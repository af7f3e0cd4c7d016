"""Load a content folder into a validated :class:`~game.world.model.Content`.

Layout: one folder per area under the content root, each with ``area.yaml`` and optional
``rooms.yaml``, ``items.yaml`` and ``npcs.yaml`` (lists of entries with an ``id``).
References are ``area:id``, or a bare ``id`` inside the same area. Every problem is
collected with its file:line:col and raised together as :class:`ContentError`; nothing is
half-loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from game.world.economy_rules import load_economy, load_shops, parse_gather
from game.world.model import (
    DIRECTIONS,
    Area,
    Content,
    Door,
    Exit,
    ItemDef,
    NpcDef,
    Placement,
    Room,
    Shop,
)
from game.world.problems import ContentError, Problem, suggest
from game.world.reader import Reader as _Reader
from game.world.reader import full_ref
from game.world.source import LocatedDict, Where, where_of

AREA_FILES = ("area.yaml", "rooms.yaml", "items.yaml", "npcs.yaml", "shops.yaml")


def normalize_direction(word: str) -> str:
    word = word.strip().lower()
    return DIRECTIONS.get(word, word)


def load_content(root: Path) -> Content:
    """Load and validate every area under ``root``; raise ContentError listing all errors."""
    problems: list[Problem] = []
    reader = _Reader(root, problems)
    areas: dict[str, Area] = {}
    rooms: dict[str, Room] = {}
    items: dict[str, ItemDef] = {}
    npcs: dict[str, NpcDef] = {}
    shops: dict[str, Shop] = {}
    refs: list[tuple[Where, str, str]] = []  # (where, kind, full ref) checked at the end
    if not root.is_dir():
        raise ContentError([Problem(Where(str(root), 1, 1), "content folder not found")])
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        _load_area(reader, folder, areas, rooms, items, npcs, refs)
        load_shops(reader, folder, shops, refs)
    economy = load_economy(reader, root / "economy.yaml", refs)
    _check_refs(reader, refs, rooms, items, npcs)
    if not areas and not problems:
        problems.append(Problem(Where(str(root), 1, 1), "no areas found (need <area>/area.yaml)"))
    start = _start_room(areas, rooms)
    if any(p.severity == "error" for p in problems):
        raise ContentError(problems)
    return Content(
        areas=areas,
        rooms=rooms,
        items=items,
        npcs=npcs,
        start_room=start,
        economy=economy,
        shops=shops,
    )


def _start_room(areas: dict[str, Area], rooms: dict[str, Room]) -> str:
    for area in areas.values():
        if "start" in area.flags and area.start in rooms:
            return area.start
    for area in areas.values():
        if area.start in rooms:
            return area.start
    return next(iter(rooms), "")


def _entries(reader: _Reader, path: Path) -> list[LocatedDict]:
    if not path.exists():
        return []
    data = reader.file(path)
    if data is None:
        return []
    if not isinstance(data, list):
        reader.error(where_of(data, fallback=Where(str(path), 1, 1)), "expected a list of entries")
        return []
    out = []
    for entry in data:
        if isinstance(entry, LocatedDict):
            out.append(entry)
        else:
            reader.error(where_of(data), "each entry must be a mapping with an 'id'")
    return out


def _load_area(
    reader: _Reader,
    folder: Path,
    areas: dict[str, Area],
    rooms: dict[str, Room],
    items: dict[str, ItemDef],
    npcs: dict[str, NpcDef],
    refs: list[tuple[Where, str, str]],
) -> None:
    area_id = folder.name
    meta_path = folder / "area.yaml"
    if not meta_path.exists():
        reader.error(Where(str(folder.relative_to(reader.root.parent)), 1, 1), "missing area.yaml")
        return
    meta = reader.file(meta_path)
    if not isinstance(meta, LocatedDict):
        if meta is not None:
            reader.error(where_of(meta), "area.yaml must be a mapping")
        return
    reader.unknown_keys(meta, {"title", "description", "start", "flags"}, "area")
    title = reader.field(meta, "title", str) or area_id
    start = reader.field(meta, "start", str) or ""
    flags = meta.get("flags") or []
    areas[area_id] = Area(
        id=area_id,
        title=title,
        description=reader.field(meta, "description", str, required=False) or "",
        start=full_ref(area_id, start),
        flags=tuple(str(f) for f in flags) if isinstance(flags, list) else (),
    )
    if start:
        refs.append((where_of(meta, "start"), "room", full_ref(area_id, start)))

    def add(table: dict[str, Any], entry: LocatedDict, build: Callable[[str], object]) -> None:
        raw = reader.field(entry, "id", str)
        if raw is None:
            return
        if ":" in raw:
            reader.error(where_of(entry, "id"), f"id {raw!r} must not contain ':'")
            return
        ref = full_ref(area_id, raw)
        if ref in table:
            reader.error(where_of(entry, "id"), f"duplicate id {raw!r} in area {area_id!r}")
            return
        built = build(ref)
        if built is not None:
            table[ref] = built

    for entry in _entries(reader, folder / "items.yaml"):
        add(items, entry, partial(_item, reader, entry))
    for entry in _entries(reader, folder / "npcs.yaml"):
        add(npcs, entry, partial(_npc, reader, entry))
    for entry in _entries(reader, folder / "rooms.yaml"):
        add(rooms, entry, partial(_room, reader, entry, area=area_id, refs=refs))


def _keywords(reader: _Reader, entry: LocatedDict, name: str) -> tuple[str, ...]:
    words = entry.get("keywords")
    if words is None:
        return tuple(w.lower() for w in name.replace(",", " ").split() if len(w) > 2)
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        reader.error(where_of(entry, "keywords"), "'keywords' must be a list of words")
        return ()
    return tuple(w.lower() for w in words)


def _item(reader: _Reader, entry: LocatedDict, ref: str) -> ItemDef | None:
    reader.unknown_keys(
        entry, {"id", "name", "keywords", "description", "value", "portable"}, "item"
    )
    name = reader.field(entry, "name", str)
    if name is None:
        return None
    portable = entry.get("portable", True)
    return ItemDef(
        id=ref,
        name=name,
        keywords=_keywords(reader, entry, name),
        description=reader.field(entry, "description", str, required=False) or "",
        value=reader.field(entry, "value", int, required=False) or 0,
        portable=bool(portable),
    )


def _npc(reader: _Reader, entry: LocatedDict, ref: str) -> NpcDef | None:
    reader.unknown_keys(entry, {"id", "name", "keywords", "description", "greeting"}, "npc")
    name = reader.field(entry, "name", str)
    if name is None:
        return None
    return NpcDef(
        id=ref,
        name=name,
        keywords=_keywords(reader, entry, name),
        description=reader.field(entry, "description", str) or "",
        greeting=reader.field(entry, "greeting", str, required=False) or "",
    )


def _placements(
    reader: _Reader, entry: LocatedDict, key: str, area: str, refs: list[tuple[Where, str, str]]
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
    return tuple(out)


def _exits(
    reader: _Reader, entry: LocatedDict, area: str, refs: list[tuple[Where, str, str]]
) -> tuple[Exit, ...]:
    raw = entry.get("exits") or {}
    if not isinstance(raw, LocatedDict):
        reader.error(where_of(entry, "exits"), "'exits' must map a direction to a room")
        return ()
    out = []
    for direction, target in raw.items():
        where = where_of(raw, direction)
        door = None
        if isinstance(target, LocatedDict):
            reader.unknown_keys(target, {"to", "door"}, "exit")
            to = reader.field(target, "to", str)
            door_raw = target.get("door")
            if isinstance(door_raw, LocatedDict):
                reader.unknown_keys(door_raw, {"closed", "locked", "key"}, "door")
                key = door_raw.get("key")
                door = Door(
                    closed=bool(door_raw.get("closed", True)),
                    locked=bool(door_raw.get("locked", False)),
                    key=full_ref(area, key) if isinstance(key, str) else None,
                )
                if door.key:
                    refs.append((where_of(door_raw, "key"), "item", door.key))
        elif isinstance(target, str):
            to = target
        else:
            reader.error(where, f"exit {direction!r} must name a room")
            continue
        if to is None:
            continue
        full = full_ref(area, to)
        refs.append((where, "room", full))
        out.append(Exit(normalize_direction(str(direction)), full, door))
    return tuple(out)


def _room(
    reader: _Reader, entry: LocatedDict, ref: str, area: str, refs: list[tuple[Where, str, str]]
) -> Room | None:
    reader.unknown_keys(
        entry,
        {
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
        },
        "room",
    )
    title = reader.field(entry, "title", str)
    description = reader.field(entry, "description", str)
    if title is None or description is None:
        return None
    coords = entry.get("coordinates")
    return Room(
        id=ref,
        area=area,
        title=title,
        description=description.strip(),
        brief=(reader.field(entry, "brief", str, required=False) or "").strip(),
        exits=_exits(reader, entry, area, refs),
        items=_placements(reader, entry, "items", area, refs),
        npcs=_placements(reader, entry, "npcs", area, refs),
        coordinates=_coordinates(coords),
        gather=parse_gather(reader, entry, area, refs),
        features=tuple(str(f) for f in entry.get("features") or ()),
        reward=reader.field(entry, "reward", int, required=False),
    )


def _coordinates(raw: object) -> tuple[int, int, int] | None:
    if isinstance(raw, list) and len(raw) == 3 and all(isinstance(v, int) for v in raw):
        return (raw[0], raw[1], raw[2])
    return None


def _check_refs(
    reader: _Reader,
    refs: list[tuple[Where, str, str]],
    rooms: dict[str, Room],
    items: dict[str, ItemDef],
    npcs: dict[str, NpcDef],
) -> None:
    tables: dict[str, dict[str, Any]] = {"room": rooms, "item": items, "npc": npcs}
    for where, kind, ref in refs:
        table = tables[kind]
        if ref not in table:
            reader.error(where, f"unknown {kind} {ref!r}{suggest(ref, table)}")
