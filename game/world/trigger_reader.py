"""Reading NPC ``triggers:`` from YAML (the language is game/world/triggers.py): each
trigger's kind, schedule, conditions and bounds, with every problem located and collected.
The ``do:`` list is read by game/world/trigger_actions.py."""

from __future__ import annotations

from game.world.clock import PHASES
from game.world.problems import suggest
from game.world.reader import Reader, Refs, full_ref
from game.world.requires import skill_levels
from game.world.source import LocatedDict, where_of
from game.world.trigger_actions import read_actions
from game.world.triggers import (
    ALWAYS,
    CONDITION_KEYS,
    KINDS,
    MIN_REWARD_COOLDOWN,
    PLAYER_ACTIONS,
    QUEST_CONDITION_KEYS,
    QUEST_STATUSES,
    TRIGGER_KEYS,
    Condition,
    QuestCondition,
    Trigger,
)


def parse_triggers(
    reader: Reader, entry: LocatedDict, npc: str, area: str, refs: Refs
) -> tuple[Trigger, ...]:
    """Read an NPC's ``triggers:`` list; problems are collected, bad triggers left out."""
    raw = entry.get("triggers")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        reader.error(where_of(entry, "triggers"), "'triggers' must be a list of triggers")
        return ()
    out: list[Trigger] = []
    for position, spec in enumerate(raw, 1):
        built = _trigger(reader, spec, f"{npc}#{position}", area, refs)
        if built is not None:
            out.append(built)
    ids = [t.id for t in out]
    for trigger in out:
        if ids.count(trigger.id) > 1:
            reader.error(trigger.where, f"two triggers of {npc!r} have the id {trigger.id!r}")
            break
    return tuple(out)


def _trigger(
    reader: Reader, spec: object, default_id: str, area: str, refs: Refs
) -> Trigger | None:
    if not isinstance(spec, LocatedDict):
        reader.error(
            where_of(spec), "each trigger must be a mapping such as {on_enter: , do: [...]}"
        )
        return None
    reader.unknown_keys(spec, TRIGGER_KEYS, "trigger")
    kinds = [k for k in spec if k.startswith("on_") and k[3:] in KINDS]
    if len(kinds) != 1:
        names = ", ".join(f"on_{k}" for k in KINDS)
        reader.error(spec.where, f"a trigger needs exactly one of: {names}")
        return None
    key = kinds[0]
    kind = key[3:]
    where = where_of(spec, key)
    keywords: tuple[str, ...] = ()
    item = at = None
    every = None
    value = spec[key]
    if kind == "say":
        keywords = _words(reader, spec, key)
        if not keywords:
            reader.error(where, "an on_say trigger with no keywords can never fire: list the words")
    elif kind == "give":
        if not isinstance(value, str) or not value:
            reader.error(where, "on_give must name the item the NPC is given")
            return None
        item = full_ref(area, value)
        refs.append((where, "item", item))
    elif kind == "time":
        at, every = _schedule(reader, spec, key)
        if at is None and every is None:
            return None
    elif value is not None:
        reader.error(where, f"{key} takes no value: write '{key}:' and then 'do:'")
    when = _condition(reader, spec, area, refs)
    actions = read_actions(reader, spec, area, refs)
    once = reader.field(spec, "once", bool, required=False) or False
    cooldown = reader.field(spec, "cooldown", int, required=False) or 0
    ident = reader.field(spec, "id", str, required=False) or default_id
    trigger = Trigger(
        id=ident,
        kind=kind,
        actions=actions,
        keywords=keywords,
        item=item,
        at=at,
        every=every,
        when=when,
        once=once,
        cooldown=max(0, cooldown),
        where=spec.where,
    )
    _check_shape(reader, trigger, spec)
    return trigger


def _check_shape(reader: Reader, trigger: Trigger, spec: LocatedDict) -> None:
    """What can be judged from the trigger alone: player actions need a player, token
    rewards need a bound, a clock trigger's own phase condition must be able to hold."""
    if trigger.kind == "time":
        for action in trigger.actions:
            if action.kind in PLAYER_ACTIONS:
                reader.error(
                    action.where,
                    f"'{action.kind}' needs a player, and an on_time trigger has none;"
                    " use on_enter or on_say",
                )
        if trigger.when.about_player:
            reader.error(
                trigger.when.where,
                "an on_time trigger has no player: its 'if' may only test the phase",
            )
        if trigger.at and trigger.when.phases and trigger.at not in trigger.when.phases:
            reader.error(
                trigger.when.where,
                f"this trigger runs at {trigger.at} but its 'if' asks for"
                f" {', '.join(trigger.when.phases)}: it can never fire",
            )
        if trigger.once:
            reader.error(where_of(spec, "once"), "'once' is per player; on_time has no player")
    if trigger.pays and not trigger.once and trigger.cooldown < MIN_REWARD_COOLDOWN:
        reader.error(
            trigger.where,
            "a trigger that rewards tokens must be 'once: true' (once per player) or have a"
            f" 'cooldown' of at least {MIN_REWARD_COOLDOWN} seconds, so it is not a token tap",
        )


def _words(reader: Reader, node: LocatedDict, key: str) -> tuple[str, ...]:
    raw = node.get(key)
    if isinstance(raw, str):
        raw = [raw]
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(w, str) for w in raw):
        reader.error(where_of(node, key), f"{key!r} must be a word or a list of words")
        return ()
    return tuple(w.lower().strip() for w in raw if w.strip())


def _schedule(reader: Reader, spec: LocatedDict, key: str) -> tuple[str | None, int | None]:
    """``on_time: dusk`` (when a phase begins) or ``on_time: {every: 30}`` (game minutes)."""
    value, where = spec[key], where_of(spec, key)
    if isinstance(value, str):
        if value not in PHASES:
            reader.error(where, f"unknown phase {value!r}{suggest(value, PHASES)}")
            return None, None
        return value, None
    if isinstance(value, LocatedDict):
        reader.unknown_keys(value, {"every"}, "on_time")
        every = reader.field(value, "every", int)
        if every is None:
            return None, None
        if every < 1:
            reader.error(where_of(value, "every"), "'every' must be 1 game minute or more")
            return None, None
        return None, every
    reader.error(where, "on_time must be a phase (dawn, day, dusk, night) or {every: minutes}")
    return None, None


def _condition(reader: Reader, spec: LocatedDict, area: str, refs: Refs) -> Condition:
    raw = spec.get("if")
    if raw is None:
        return ALWAYS
    if not isinstance(raw, LocatedDict):
        reader.error(where_of(spec, "if"), "'if' must be a mapping of conditions")
        return ALWAYS
    reader.unknown_keys(raw, CONDITION_KEYS, "if")
    holds = tuple(full_ref(area, i) for i in _words(reader, raw, "holds"))
    lacks = tuple(full_ref(area, i) for i in _words(reader, raw, "lacks"))
    for key, items in (("holds", holds), ("lacks", lacks)):
        refs.extend((where_of(raw, key), "item", i) for i in items)
    both = set(holds) & set(lacks)
    if both:
        reader.error(raw.where, f"'holds' and 'lacks' both name {sorted(both)[0]!r}: never true")
    phases = _words(reader, raw, "phase")
    for phase in phases:
        if phase not in PHASES:
            reader.error(where_of(raw, "phase"), f"unknown phase {phase!r}{suggest(phase, PHASES)}")
    skills = skill_levels(reader, raw, refs)
    return Condition(
        holds=holds,
        lacks=lacks,
        quest=_quest_condition(reader, raw, area, refs),
        skills=skills,
        phases=tuple(p for p in phases if p in PHASES),
        where=raw.where,
    )


def _quest_condition(
    reader: Reader, raw: LocatedDict, area: str, refs: Refs
) -> QuestCondition | None:
    node = raw.get("quest")
    if node is None:
        return None
    if isinstance(node, str):
        node_ref = full_ref(area, node)
        refs.append((where_of(raw, "quest"), "quest", node_ref))
        return QuestCondition(node_ref, where=where_of(raw, "quest"))
    if not isinstance(node, LocatedDict):
        reader.error(where_of(raw, "quest"), "'quest' must be a quest id or {id, status, step}")
        return None
    reader.unknown_keys(node, QUEST_CONDITION_KEYS, "quest condition")
    ident = reader.field(node, "id", str)
    status = reader.field(node, "status", str, required=False) or "active"
    step = reader.field(node, "step", int, required=False)
    if ident is None:
        return None
    if status not in QUEST_STATUSES:
        reader.error(
            where_of(node, "status"),
            f"unknown quest status {status!r}{suggest(status, QUEST_STATUSES)}"
            " (none, active or done)",
        )
        return None
    if step is not None and (status != "active" or step < 1):
        reader.error(
            where_of(node, "step"),
            "'step' (counted from 1) only goes with status active: this can never hold",
        )
        return None
    ref = full_ref(area, ident)
    refs.append((where_of(node, "id"), "quest", ref))
    return QuestCondition(ref, status, step, where_of(node, "step") if step else node.where)
