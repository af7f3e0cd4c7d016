"""Reading a trigger's ``do:`` list (the actions of game/world/triggers.py): each action is
a mapping with one key; every name it mentions goes to the loader's reference check."""

from __future__ import annotations

from game.world.problems import suggest
from game.world.reader import Reader, Refs, full_ref
from game.world.source import LocatedDict, Where, where_of
from game.world.triggers import ACTIONS, MAX_ACTIONS, MAX_TOKENS, Action


def read_actions(reader: Reader, spec: LocatedDict, area: str, refs: Refs) -> tuple[Action, ...]:
    """``spec['do']``: at most MAX_ACTIONS actions; bad ones are reported and left out."""
    raw = spec.get("do")
    if raw is None:
        reader.error(spec.where, "a trigger needs 'do:', the list of what the NPC does")
        return ()
    if not isinstance(raw, list) or not raw:
        reader.error(where_of(spec, "do"), "'do' must be a list of one or more actions")
        return ()
    if len(raw) > MAX_ACTIONS:
        reader.error(where_of(spec, "do"), f"a trigger may do at most {MAX_ACTIONS} actions")
    out = []
    for node in raw[:MAX_ACTIONS]:
        action = _action(reader, node, area, refs)
        if action is not None:
            out.append(action)
    return tuple(out)


def _action(reader: Reader, node: object, area: str, refs: Refs) -> Action | None:
    if not isinstance(node, LocatedDict) or len(node) != 1:
        reader.error(where_of(node), "each action is a mapping with one key, such as {say: Hello}")
        return None
    [(kind, value)] = node.items()
    where = where_of(node, kind)
    if kind not in ACTIONS:
        reader.error(where, f"unknown action {kind!r}{suggest(kind, ACTIONS)}")
        return None
    if kind in ("say", "emote"):
        if not isinstance(value, str) or not value.strip():
            reader.error(where, f"'{kind}' needs the text to {kind}")
            return None
        return Action(kind, text=" ".join(value.split()), where=where)
    if kind in ("reward", "charge"):
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_TOKENS:
            reader.error(where, f"'{kind}' must be a whole number of tokens from 1 to {MAX_TOKENS}")
            return None
        return Action(kind, count=value, where=where)
    if kind in ("move", "start_quest", "advance_quest"):
        if not isinstance(value, str) or not value:
            what = "room" if kind == "move" else "quest"
            reader.error(where, f"'{kind}' must name a {what}")
            return None
        ref = full_ref(area, value)
        refs.append((where, "room" if kind == "move" else "quest", ref))
        return Action(kind, ref=ref, where=where)
    if kind in ("give", "take"):
        return _item_action(reader, kind, value, where, area, refs)
    if kind == "open":
        return _open(reader, value, where, area, refs)
    return _spawn(reader, value, where, area, refs)


def _item_action(
    reader: Reader, kind: str, value: object, where: Where, area: str, refs: Refs
) -> Action | None:
    if isinstance(value, str) and value:
        ref, count = full_ref(area, value), 1
    elif isinstance(value, LocatedDict):
        reader.unknown_keys(value, {"item", "count"}, kind)
        item = reader.field(value, "item", str)
        count = reader.field(value, "count", int, required=False) or 1
        if item is None:
            return None
        ref = full_ref(area, item)
        if count < 1:
            reader.error(where_of(value, "count"), "'count' must be 1 or more")
            return None
    else:
        reader.error(where, f"'{kind}' must name an item, or be {{item: ..., count: ...}}")
        return None
    refs.append((where, "item", ref))
    return Action(kind, ref=ref, count=count, where=where)


def _open(reader: Reader, value: object, where: Where, area: str, refs: Refs) -> Action | None:
    """``open: north`` (the door on that exit of the NPC's room) or ``{exit, room}``."""
    room = None
    if isinstance(value, str) and value:
        exit_ = value
    elif isinstance(value, LocatedDict):
        reader.unknown_keys(value, {"exit", "room"}, "open")
        exit_ = reader.field(value, "exit", str)
        raw_room = reader.field(value, "room", str, required=False)
        if exit_ is None:
            return None
        if raw_room:
            room = full_ref(area, raw_room)
            refs.append((where_of(value, "room"), "room", room))
    else:
        reader.error(where, "'open' must name an exit (open: north) or be {exit: ..., room: ...}")
        return None
    return Action("open", exit=exit_.strip().lower(), room=room, where=where)


def _spawn(reader: Reader, value: object, where: Where, area: str, refs: Refs) -> Action | None:
    """``spawn: {item: x, count: 2, room: r}`` or ``spawn: {npc: x, room: r}``."""
    if not isinstance(value, LocatedDict):
        reader.error(where, "'spawn' must be {item: ..., count: ..., room: ...} or {npc: ...}")
        return None
    reader.unknown_keys(value, {"item", "npc", "count", "room"}, "spawn")
    kinds = [k for k in ("item", "npc") if k in value]
    if len(kinds) != 1:
        reader.error(value.where, "'spawn' needs exactly one of 'item' or 'npc'")
        return None
    what = kinds[0]
    name = reader.field(value, what, str)
    count = reader.field(value, "count", int, required=False) or 1
    raw_room = reader.field(value, "room", str, required=False)
    if name is None:
        return None
    if what == "npc" and "count" in value:
        reader.error(where_of(value, "count"), "an NPC is one person: 'count' is for items")
    if count < 1 or count > MAX_TOKENS:
        reader.error(where_of(value, "count"), f"'count' must be from 1 to {MAX_TOKENS}")
        return None
    ref = full_ref(area, name)
    refs.append((where_of(value, what), what, ref))
    room = full_ref(area, raw_room) if raw_room else None
    if room:
        refs.append((where_of(value, "room"), "room", room))
    return Action("spawn", ref=ref, count=count, room=room, spawns=what, where=where)
