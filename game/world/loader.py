"""Load a content folder into a validated :class:`~game.world.model.Content`.

Layout: one folder per area under the content root, each with ``area.yaml`` and optional
``rooms.yaml``, ``items.yaml``, ``npcs.yaml``, ``quests.yaml`` and ``shops.yaml`` (lists of
entries with an ``id``), plus ``economy.yaml`` at the root. References are ``area:id``, or a
bare ``id`` inside the same area. Every problem is collected with its file:line:col and
reported together (:func:`check_content`) or raised as :class:`ContentError`
(:func:`load_content`); nothing is half-loaded.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from game.world.economy_rules import load_economy, load_shops
from game.world.lint import lint
from game.world.model import Area, Content, ItemDef, NpcDef, QuestDef, Room, Shop
from game.world.people import build_item, build_npc, build_quest
from game.world.problems import ContentError, Problem, suggest
from game.world.reader import Reader, Refs, full_ref
from game.world.rooms import RawRoom, build_room, normalize_direction, resolve_extends
from game.world.source import LocatedDict, Where, where_of

__all__ = ["AREA_FILES", "check_content", "load_content", "normalize_direction"]

AREA_FILES = (
    "area.yaml",
    "rooms.yaml",
    "items.yaml",
    "npcs.yaml",
    "quests.yaml",
    "shops.yaml",
)
Builder = Callable[[LocatedDict, str], object]
AREA_KEYS = {"title", "description", "start", "flags", "unlock"}
AREA_FLAGS = {"start", "premium"}


def load_content(root: Path) -> Content:
    """Load and validate every area under ``root``; raise ContentError listing all errors."""
    content, problems = check_content(root, warnings=False)
    if content is None:
        raise ContentError(problems)
    return content


class _Tables:
    """Everything read so far, by full ref, with where each entry was written."""

    def __init__(self) -> None:
        self.areas: dict[str, Area] = {}
        self.rooms: dict[str, Room] = {}
        self.items: dict[str, ItemDef] = {}
        self.npcs: dict[str, NpcDef] = {}
        self.quests: dict[str, QuestDef] = {}
        self.shops: dict[str, Shop] = {}
        self.raw_rooms: dict[str, RawRoom] = {}
        self.where: dict[tuple[str, str], Where] = {}  # (kind, ref) -> first definition
        self.refs: Refs = []
        self.broken: set[str] = set()  # rooms in an extends cycle, already reported


def check_content(root: Path, *, warnings: bool = True) -> tuple[Content | None, list[Problem]]:
    """Read the whole tree; return the content (None if any error) and every problem.

    The cyclic garbage collector is paused while it runs: a big world is hundreds of
    thousands of fresh, acyclic containers, which the collector would otherwise rescan
    again and again (measured: half of a 10,000-room load). It resumes at once after.
    """
    with _collector_paused():
        return _check_content(root, warnings=warnings)


@contextmanager
def _collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check_content(root: Path, *, warnings: bool) -> tuple[Content | None, list[Problem]]:
    problems: list[Problem] = []
    reader = Reader(root, problems)
    if not root.is_dir():
        return None, [Problem(Where(str(root), 1, 1), "content folder not found")]
    t = _Tables()
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        _load_area(reader, folder, t)
        load_shops(reader, folder, t.shops, t.refs)
    resolved, t.broken = resolve_extends(reader, t.raw_rooms)
    for ref, entry in resolved.items():
        if entry.get("template") is True:
            continue
        room = build_room(reader, entry, ref, t.raw_rooms[ref][0], t.refs)
        if room is not None:
            t.rooms[ref] = room
    economy = load_economy(reader, root / "economy.yaml", t.refs)
    _check_refs(reader, t, set(economy.skills))
    if not t.areas and not problems:
        reader.error(Where(str(root), 1, 1), "no areas found (need <area>/area.yaml)")
    content = Content(
        areas=t.areas,
        rooms=t.rooms,
        items=t.items,
        npcs=t.npcs,
        start_room=_start_room(t.areas, t.rooms),
        economy=economy,
        shops=t.shops,
        quests=t.quests,
    )
    if warnings and not any(p.severity == "error" for p in problems):
        lint(reader, content, t.where)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return content, problems


def _start_room(areas: dict[str, Area], rooms: dict[str, Room]) -> str:
    for area in areas.values():
        if "start" in area.flags and area.start in rooms:
            return area.start
    for area in areas.values():
        if area.start in rooms:
            return area.start
    return next(iter(rooms), "")


def _entries(reader: Reader, path: Path) -> list[LocatedDict]:
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


def _area_meta(reader: Reader, folder: Path, t: _Tables) -> bool:
    area_id = folder.name
    meta_path = folder / "area.yaml"
    if not meta_path.exists():
        reader.error(Where(str(folder.relative_to(reader.root.parent)), 1, 1), "missing area.yaml")
        return False
    meta = reader.file(meta_path)
    if not isinstance(meta, LocatedDict):
        if meta is not None:
            reader.error(where_of(meta), "area.yaml must be a mapping")
        return False
    reader.unknown_keys(meta, AREA_KEYS, "area")
    flags = reader.names(meta, "flags")
    for flag in flags:
        if flag not in AREA_FLAGS:
            reader.error(
                where_of(meta, "flags"), f"unknown flag {flag!r}{suggest(flag, AREA_FLAGS)}"
            )
    start = reader.field(meta, "start", str) or ""
    t.areas[area_id] = Area(
        id=area_id,
        title=reader.field(meta, "title", str) or area_id,
        description=(reader.field(meta, "description", str, required=False) or "").strip(),
        start=full_ref(area_id, start),
        flags=flags,
        unlock=reader.field(meta, "unlock", str, required=False),
    )
    t.where["area", area_id] = meta.where
    if start:
        t.refs.append((where_of(meta, "start"), "room", full_ref(area_id, start)))
    return True


def _load_area(reader: Reader, folder: Path, t: _Tables) -> None:
    area = folder.name
    if not _area_meta(reader, folder, t):
        return

    def add(kind: str, table: dict[str, Any], entry: LocatedDict, build: Builder) -> None:
        raw = reader.field(entry, "id", str)
        if raw is None:
            return
        if ":" in raw:
            reader.error(where_of(entry, "id"), f"id {raw!r} must not contain ':'")
            return
        ref = full_ref(area, raw)
        if ref in table:
            first = t.where[kind, ref]
            reader.error(
                where_of(entry, "id"),
                f"duplicate {kind} id {raw!r} in area {area!r} (first defined at {first})",
            )
            return
        t.where[kind, ref] = entry.where
        built = build(entry, ref)
        if built is not None:
            table[ref] = built

    for entry in _entries(reader, folder / "items.yaml"):
        add("item", t.items, entry, lambda e, ref: build_item(reader, e, ref))
    for entry in _entries(reader, folder / "npcs.yaml"):
        add("npc", t.npcs, entry, lambda e, ref: build_npc(reader, e, ref, area, t.refs))
    for entry in _entries(reader, folder / "quests.yaml"):
        add("quest", t.quests, entry, lambda e, ref: build_quest(reader, e, ref, area, t.refs))
    for entry in _entries(reader, folder / "rooms.yaml"):
        add("room", t.raw_rooms, entry, lambda e, ref: (area, e))


def _check_refs(reader: Reader, t: _Tables, skills: set[str]) -> None:
    rooms = set(t.rooms) | {r for r, (_, e) in t.raw_rooms.items() if e.get("template") is True}
    tables: dict[str, Any] = {
        "room": t.rooms,
        "item": t.items,
        "npc": t.npcs,
        "quest": t.quests,
        "skill": skills,
    }
    for where, kind, ref in t.refs:
        table = tables[kind]
        if ref not in table and not (kind == "room" and ref in t.broken):
            hint = " (that room is a template)" if kind == "room" and ref in rooms else ""
            reader.error(where, f"unknown {kind} {ref!r}{hint or suggest(ref, table)}")
