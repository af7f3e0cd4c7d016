"""Items, NPCs (dialogue topics, named behaviours) and quests (goals and rewards).

Behaviours are named, with a config map, from the fixed set in ``BEHAVIOURS``: content
never carries code. Each behaviour named here is implemented by the engine.
"""

from __future__ import annotations

from game.world.combat_rules import ITEM_GEAR_KEYS, build_fighter, build_gear
from game.world.model import GOAL_KINDS, Goal, ItemDef, NpcDef, QuestDef, QuestReward, Topic
from game.world.problems import suggest
from game.world.reader import Reader, Refs, full_ref
from game.world.requires import parse_requires
from game.world.source import LocatedDict, where_of
from game.world.trigger_reader import parse_triggers

# behaviour -> {option: type}; implemented in game/services/wander.py (wander).
BEHAVIOURS: dict[str, dict[str, type]] = {
    "wander": {"interval": int, "stay_in_area": bool},
}
GOAL_TARGET = {"visit": "room", "collect": "item", "deliver": "item", "talk": "npc", "gather": ""}


def keywords(reader: Reader, entry: LocatedDict, name: str) -> tuple[str, ...]:
    words = entry.get("keywords")
    if words is None:
        return tuple(w.lower() for w in name.replace(",", " ").split() if len(w) > 2)
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        reader.error(where_of(entry, "keywords"), "'keywords' must be a list of words")
        return ()
    return tuple(w.lower() for w in words)


ITEM_KEYS = {"id", "name", "keywords", "description", "value", "portable", "plural"}
NPC_KEYS = {
    "id",
    "name",
    "keywords",
    "description",
    "greeting",
    "topics",
    "behaviours",
    "combat",
    "triggers",
}


def build_item(
    reader: Reader, entry: LocatedDict, ref: str, area: str = "", refs: Refs | None = None
) -> ItemDef | None:
    reader.unknown_keys(entry, ITEM_KEYS | ITEM_GEAR_KEYS, "item")
    name = reader.field(entry, "name", str)
    if name is None:
        return None
    portable = reader.field(entry, "portable", bool, required=False)
    gear = build_gear(
        reader,
        entry,
        area or ref.split(":", 1)[0],
        [] if refs is None else refs,
        portable is not False,
    )
    return ItemDef(
        id=ref,
        name=name,
        keywords=keywords(reader, entry, name),
        description=(reader.field(entry, "description", str, required=False) or "").strip(),
        value=reader.field(entry, "value", int, required=False) or 0,
        portable=True if portable is None else portable,
        plural=(reader.field(entry, "plural", str, required=False) or "").strip(),
        **gear,  # type: ignore[arg-type]
    )


def _topics(reader: Reader, entry: LocatedDict, area: str, refs: Refs) -> dict[str, Topic]:
    raw = entry.get("topics")
    if raw is None:
        return {}
    if not isinstance(raw, LocatedDict):
        reader.error(where_of(entry, "topics"), "'topics' must map a topic to what is said")
        return {}
    out: dict[str, Topic] = {}
    for name, spec in raw.items():
        if isinstance(spec, str):
            out[name.lower()] = Topic(spec.strip())
            continue
        if not isinstance(spec, LocatedDict):
            reader.error(where_of(raw, name), f"topic {name!r} must be text or a mapping")
            continue
        reader.unknown_keys(spec, {"text", "starts", "requires"}, "topic")
        text = reader.field(spec, "text", str)
        starts = reader.field(spec, "starts", str, required=False)
        if starts:
            refs.append((where_of(spec, "starts"), "quest", full_ref(area, starts)))
        out[name.lower()] = Topic(
            (text or "").strip(),
            full_ref(area, starts) if starts else None,
            parse_requires(reader, spec, area, refs),
        )
    return out


def _behaviours(reader: Reader, entry: LocatedDict) -> dict[str, dict[str, object]]:
    raw = entry.get("behaviours")
    if raw is None:
        return {}
    if not isinstance(raw, LocatedDict):
        reader.error(where_of(entry, "behaviours"), "'behaviours' must map a name to options")
        return {}
    out: dict[str, dict[str, object]] = {}
    for name, options in raw.items():
        allowed = BEHAVIOURS.get(name)
        if allowed is None:
            reader.error(
                where_of(raw, name), f"unknown behaviour {name!r}{suggest(name, BEHAVIOURS)}"
            )
            continue
        if options is None:
            out[name] = {}
            continue
        if not isinstance(options, LocatedDict):
            reader.error(where_of(raw, name), f"options of {name!r} must be a mapping")
            continue
        reader.unknown_keys(options, set(allowed), f"behaviour {name!r}")
        out[name] = {k: v for k, v in options.items() if k in allowed}
        for key, kind in allowed.items():
            if key in options:
                reader.field(options, key, kind)
    return out


def build_npc(reader: Reader, entry: LocatedDict, ref: str, area: str, refs: Refs) -> NpcDef | None:
    reader.unknown_keys(entry, NPC_KEYS, "npc")
    name = reader.field(entry, "name", str)
    if name is None:
        return None
    return NpcDef(
        id=ref,
        name=name,
        keywords=keywords(reader, entry, name),
        description=(reader.field(entry, "description", str) or "").strip(),
        greeting=(reader.field(entry, "greeting", str, required=False) or "").strip(),
        topics=_topics(reader, entry, area, refs),
        behaviours=_behaviours(reader, entry),
        triggers=parse_triggers(reader, entry, ref, area, refs),
        combat=build_fighter(reader, entry, area, refs),
    )


def _goal(reader: Reader, spec: object, area: str, refs: Refs) -> Goal | None:
    if not isinstance(spec, LocatedDict):
        reader.error(where_of(spec), "each goal must be a mapping such as {visit: room}")
        return None
    kinds = [k for k in spec if k in GOAL_KINDS]
    if len(kinds) != 1:
        reader.error(spec.where, f"a goal needs exactly one of: {', '.join(GOAL_KINDS)}")
        return None
    kind = kinds[0]
    reader.unknown_keys(spec, {kind, "count", "to"}, f"{kind} goal")
    target = reader.field(spec, kind, str)
    count = reader.field(spec, "count", int, required=False) or 1
    to = reader.field(spec, "to", str, required=kind == "deliver")
    if target is None:
        return None
    table = GOAL_TARGET[kind]
    if table:
        target = full_ref(area, target)
        refs.append((where_of(spec, kind), table, target))
    else:
        refs.append((where_of(spec, kind), "skill", target))
    if to:
        to = full_ref(area, to)
        refs.append((where_of(spec, "to"), "npc", to))
    return Goal(kind, target, count, to if kind == "deliver" else None)


def _reward(reader: Reader, entry: LocatedDict, area: str, refs: Refs) -> QuestReward:
    raw = entry.get("rewards")
    if raw is None:
        return QuestReward()
    if not isinstance(raw, LocatedDict):
        reader.error(where_of(entry, "rewards"), "'rewards' must be a mapping")
        return QuestReward()
    reader.unknown_keys(raw, {"tokens", "xp", "items", "unlock"}, "rewards")
    maps: dict[str, dict[str, int]] = {"xp": {}, "items": {}}
    for key, out in maps.items():
        node = raw.get(key)
        if node is None:
            continue
        if not isinstance(node, LocatedDict):
            reader.error(where_of(raw, key), f"{key!r} must map names to whole numbers")
            continue
        for name, amount in node.items():
            if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
                reader.error(where_of(node, name), f"{key} for {name!r} must be 1 or more")
                continue
            ref = full_ref(area, name) if key == "items" else name
            refs.append((where_of(node, name), "item" if key == "items" else "skill", ref))
            out[ref] = amount
    return QuestReward(
        tokens=reader.field(raw, "tokens", int, required=False) or 0,
        xp=maps["xp"],
        items=maps["items"],
        unlock=reader.field(raw, "unlock", str, required=False),
    )


def build_quest(
    reader: Reader, entry: LocatedDict, ref: str, area: str, refs: Refs
) -> QuestDef | None:
    reader.unknown_keys(
        entry,
        {"id", "title", "description", "giver", "goals", "rewards", "completion", "requires"},
        "quest",
    )
    title = reader.field(entry, "title", str)
    raw_goals = reader.field(entry, "goals", list)
    if title is None or raw_goals is None:
        return None
    goals = tuple(g for g in (_goal(reader, s, area, refs) for s in raw_goals) if g is not None)
    if not raw_goals:
        reader.error(where_of(entry, "goals"), "a quest needs at least one goal")
    giver = reader.field(entry, "giver", str, required=False)
    if giver:
        refs.append((where_of(entry, "giver"), "npc", full_ref(area, giver)))
    return QuestDef(
        id=ref,
        title=title,
        description=(reader.field(entry, "description", str) or "").strip(),
        goals=goals,
        reward=_reward(reader, entry, area, refs),
        giver=full_ref(area, giver) if giver else None,
        completion=(reader.field(entry, "completion", str, required=False) or "").strip(),
        requires=parse_requires(reader, entry, area, refs),
    )
