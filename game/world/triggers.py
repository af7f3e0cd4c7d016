"""The trigger language: what NPCs do on their own, declared in YAML under ``triggers:``.

A trigger is one mapping with exactly one ``on_*`` key (what sets it off), optional
conditions under ``if:`` (all must hold), and a list of actions under ``do:``::

    triggers:
      - on_say: [news, hello]
        if: {phase: [dawn, day]}
        do:
          - say: Good day, {player}! The ferry runs at noon.

There is no ``eval``, no variables and no loops: an action list is run once, top to
bottom, at most :data:`MAX_ACTIONS` long, and the runner (game/services/triggers.py) caps
how many triggers one event may set off in a chain. Every name a trigger mentions is
checked when content loads (game/world/trigger_checks.py checks what needs the whole world:
doors, quest steps, items nobody can get). This module reads the language only; it knows
nothing of the world model, so the model can hold its dataclasses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from game.world.clock import PHASES
from game.world.problems import suggest
from game.world.reader import Reader, Refs, full_ref
from game.world.source import LocatedDict, Where, where_of

KINDS = ("enter", "say", "give", "time", "attack", "death")
"""``on_enter`` a player walks in, ``on_say`` a player (or NPC) says a keyword here,
``on_give`` a player gives the NPC an item, ``on_time`` a phase begins or every N game
minutes, ``on_attack`` / ``on_death`` called by combat (``Triggers.fire``)."""
TRIGGER_KEYS = {*(f"on_{k}" for k in KINDS), "id", "if", "do", "once", "cooldown"}
CONDITION_KEYS = {"holds", "lacks", "quest", "skills", "phase"}
QUEST_CONDITION_KEYS = {"id", "status", "step"}
QUEST_STATUSES = ("none", "active", "done")
ACTIONS = (
    "say",
    "emote",
    "give",
    "take",
    "move",
    "open",
    "start_quest",
    "advance_quest",
    "spawn",
    "reward",
    "charge",
)
PLAYER_ACTIONS = frozenset({"give", "take", "start_quest", "advance_quest", "reward", "charge"})
"""Actions that need a player: not allowed in ``on_time`` triggers, which have none."""
MAX_ACTIONS = 10
"""Most actions one trigger may list."""
MAX_TOKENS = 100
"""Most tokens one ``reward`` or ``charge`` action may move."""
MIN_REWARD_COOLDOWN = 3600
"""A trigger that rewards tokens pays a player once ever (``once: true``) or at most once
per ``cooldown`` seconds, and that cooldown is at least an hour: no trigger is a tap."""
ANYWHERE: Where = Where("<trigger>", 1, 1)


@dataclass(frozen=True, slots=True)
class QuestCondition:
    """The player's state in a quest: ``none`` (never started), ``active`` (optionally at
    goal number ``step``, counted from 1) or ``done``."""

    quest: str
    status: str = "active"
    step: int | None = None
    where: Where = field(default=ANYWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Condition:
    """``if:``: every part must hold. Empty means always."""

    holds: tuple[str, ...] = ()
    lacks: tuple[str, ...] = ()
    quest: QuestCondition | None = None
    skills: Mapping[str, int] = field(default_factory=dict)
    phases: tuple[str, ...] = ()
    where: Where = field(default=ANYWHERE, compare=False)

    @property
    def about_player(self) -> bool:
        """True if it reads the player (items, quests, skills), not only the clock."""
        return bool(self.holds or self.lacks or self.quest or self.skills)


ALWAYS = Condition()


@dataclass(frozen=True, slots=True)
class Action:
    """One step of ``do:``. ``ref`` is the item, room, NPC or quest the action names;
    ``room`` is where a ``spawn`` or ``open`` happens (None: where the NPC stands)."""

    kind: str
    text: str = ""
    ref: str = ""
    count: int = 1
    room: str | None = None
    exit: str = ""
    spawns: str = ""  # "item" or "npc" for a spawn
    where: Where = field(default=ANYWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Trigger:
    id: str  # the author's id, or "<npc ref>#<position from 1>"
    kind: str
    actions: tuple[Action, ...]
    keywords: tuple[str, ...] = ()  # on_say
    item: str | None = None  # on_give
    at: str | None = None  # on_time: a phase
    every: int | None = None  # on_time: game minutes
    when: Condition = ALWAYS
    once: bool = False  # once per player, ever
    cooldown: int = 0  # seconds between firings, per player (per NPC for on_time)
    where: Where = field(default=ANYWHERE, compare=False)

    @property
    def pays(self) -> int:
        """Tokens one firing may mint (the sum of its ``reward`` actions)."""
        return sum(a.count for a in self.actions if a.kind == "reward")


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
    actions = _actions(reader, spec, area, refs)
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
    skills: dict[str, int] = {}
    raw_skills = raw.get("skills")
    if isinstance(raw_skills, LocatedDict):
        for skill, level in raw_skills.items():
            if not isinstance(level, int) or isinstance(level, bool) or level < 1:
                reader.error(where_of(raw_skills, skill), f"level for {skill!r} must be 1 or more")
                continue
            refs.append((where_of(raw_skills, skill), "skill", skill))
            skills[skill] = level
    elif raw_skills is not None:
        reader.error(where_of(raw, "skills"), "'skills' must map a skill to a level")
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


def _actions(reader: Reader, spec: LocatedDict, area: str, refs: Refs) -> tuple[Action, ...]:
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
