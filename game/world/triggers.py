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
checked when content loads. This module holds the language's words and shapes; reading it
from YAML is game/world/trigger_reader.py (and trigger_actions.py for ``do:``), checking it
against the whole world is game/world/trigger_checks.py (doors, quest steps, items nobody
can get). It knows nothing of the world model, so the model can hold its dataclasses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from game.world.source import Where

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
