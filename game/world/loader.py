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

from game.world.combat_rules import load_combat
from game.world.community import load_community
from game.world.economy_rules import load_economy, load_shops
from game.world.lint import lint
from game.world.loops import check_loops
from game.world.model import Area, Content, ItemDef, NpcDef, QuestDef, Room, Shop
from game.world.people import build_item, build_npc, build_quest
from game.world.problems import ContentError, Problem, suggest
from game.world.reader import Reader, Refs, full_ref
from game.world.rooms import RawRoom, build_room, normalize_direction, resolve_extends
from game.world.source import LocatedDict, Where, where_of
from game.world.trigger_checks import check_triggers, lint_triggers

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
AREA_FLAGS = {"start", "premium", "pvp"}


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
        # Root causes, so what they cause is counted once instead of reported one by one:
        self.broken_files: dict[tuple[str, str], Where] = {}  # (kind, area or "*") -> why
        self.failed: dict[tuple[str, str], Where] = {}  # (kind, ref) written but not built
        self.placed: dict[str, list[tuple[str, Where]]] = {}  # item -> [(room, where)]
        self.sales: dict[tuple[str, str], Where] = {}  # (shop, item) -> its buys price


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
        load_shops(reader, folder, t.shops, t.refs, t.sales)
    resolved, t.broken = resolve_extends(reader, t.raw_rooms)
    for ref, entry in resolved.items():
        if entry.get("template") is True:
            continue
        room = build_room(reader, entry, ref, t.raw_rooms[ref][0], t.refs, t.placed)
        if room is not None:
            t.rooms[ref] = room
        else:
            t.failed["room", ref] = entry.where
    economy = load_economy(reader, root / "economy.yaml", t.refs)
    if root / "economy.yaml" in reader.failed:
        t.broken_files["skill", "*"] = reader.failed[root / "economy.yaml"]
    combat = load_combat(reader, root / "combat.yaml", t.refs)
    _check_refs(reader, t, set(economy.skills))
    verbs = {sid: skill.verb for sid, skill in economy.skills.items()}
    check_loops(reader, t.shops, economy.recipes, t.sales, verbs)
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
        community=load_community(reader, root / "community.yaml"),
        combat=combat,
    )
    check_triggers(reader, content)
    if warnings and not any(p.severity == "error" for p in problems):
        lint(reader, content, t.where)
        lint_triggers(reader, content)
        _warn_placed_twice(reader, t.placed)
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


def _warn_placed_twice(reader: Reader, placed: dict[str, list[tuple[str, Where]]]) -> None:
    """An item placed in several rooms is usually a copy-paste slip (a key, a quest item):
    each room gets its own copy. Warned once per item, at its second room."""
    for item, places in placed.items():
        rooms = list(dict.fromkeys(room for room, _ in places))
        if len(rooms) > 1:
            second = next(where for room, where in places if room == rooms[1])
            reader.warn(
                second,
                f"item {item!r} is placed in {len(rooms)} rooms ({', '.join(rooms)}); each gets"
                " its own copy. Place it once if there should be only one",
            )


def _entries(reader: Reader, path: Path) -> list[LocatedDict]:
    if not path.exists():
        return []
    data = reader.file(path)
    if data is None:
        return []
    if not isinstance(data, list):
        shown = Where(str(path.relative_to(reader.root.parent)), 1, 1)
        reader.file_failed(path, where_of(data, fallback=shown), "expected a list of entries")
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
        shown = Where(str(folder.relative_to(reader.root.parent)), 1, 1)
        reader.file_failed(meta_path, shown, "missing area.yaml")
    meta = reader.file(meta_path) if meta_path.exists() else None
    if not isinstance(meta, LocatedDict):
        if meta is not None:
            reader.file_failed(meta_path, where_of(meta), "area.yaml must be a mapping")
        cause = reader.failed.get(meta_path)
        if cause is None:  # an empty area.yaml
            cause = Where(str(meta_path.relative_to(reader.root.parent)), 1, 1)
            reader.file_failed(meta_path, cause, "area.yaml is empty; it needs title and start")
        for kind in ("room", "item", "npc", "quest"):
            t.broken_files[kind, area_id] = cause
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
        else:
            t.failed[kind, ref] = entry.where

    def entries(kind: str) -> list[LocatedDict]:
        path = folder / f"{kind}s.yaml"
        found = _entries(reader, path)
        if path in reader.failed:
            t.broken_files[kind, area] = reader.failed[path]
        return found

    for entry in entries("item"):
        add("item", t.items, entry, lambda e, ref: build_item(reader, e, ref, area, t.refs))
    for entry in entries("npc"):
        add("npc", t.npcs, entry, lambda e, ref: build_npc(reader, e, ref, area, t.refs))
    for entry in entries("quest"):
        add("quest", t.quests, entry, lambda e, ref: build_quest(reader, e, ref, area, t.refs))
    for entry in entries("room"):
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
    # A reference into a file (or an entry) that did not load is not reported on its own:
    # the root cause gets one note counting them ("8 more references ... suppressed").
    hidden: dict[tuple[Where, str], int] = {}  # (cause, what was referred to) -> count
    files = set(t.broken_files.values())
    for where, kind, ref in t.refs:
        table = tables[kind]
        if ref in table or (kind == "room" and ref in t.broken):
            continue
        area = ref.split(":", 1)[0] if kind != "skill" else "*"
        cause = t.broken_files.get((kind, area))
        if cause is not None:
            what = f"{kind}s" + (f" in area {area!r}" if area != "*" else "")
            what += " suppressed: they cannot be checked until this file loads"
            hidden[cause, what] = hidden.get((cause, what), 0) + 1
            continue
        cause = t.failed.get((kind, ref))
        if cause is not None:
            what = f"{kind} {ref!r} suppressed: it did not load because of the errors here"
            hidden[cause, what] = hidden.get((cause, what), 0) + 1
            continue
        hint = " (that room is a template)" if kind == "room" and ref in rooms else ""
        reader.error(where, f"unknown {kind} {ref!r}{hint or suggest(ref, table)}")
    for (cause, what), count in hidden.items():
        text = f"{count} more reference{'s' if count != 1 else ''} to {what}"
        reader.note(cause, text, cause=cause in files)
