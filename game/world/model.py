"""The world as content authors wrote it: immutable dataclasses built by the loader.

Ids are always full references ``area:id`` once loaded; authors may write a bare ``id``
inside the same area. Runtime state (who stands where, what lies on the floor) lives in
:mod:`game.world.state`, never here, so a content reload can swap this whole tree at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from game.world.community import Community

# DIRECTIONS and OPPOSITE live in game.world.directions, below both this module and the
# floor plans (game.world.layout, which Room holds); they are re-exported here for the
# modules that import them with the rest of the model.
from game.world.directions import DIRECTIONS as DIRECTIONS
from game.world.directions import OPPOSITE as OPPOSITE
from game.world.layout import Layout
from game.world.triggers import Trigger


@dataclass(frozen=True, slots=True)
class Door:
    """A door sits on an exit. ``key`` is the item that unlocks it."""

    closed: bool = True
    locked: bool = False
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Requires:
    """A gate on an exit, a room or a quest: every listed condition must hold.

    ``skills`` maps a skill to the level needed, ``quests`` must be done, ``tier`` is the
    player's tier (``premium``), ``unlocks`` are names granted by Cal, quests or admins.
    """

    skills: Mapping[str, int] = field(default_factory=dict)
    quests: tuple[str, ...] = ()
    tier: str | None = None
    unlocks: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.skills or self.quests or self.tier or self.unlocks)


NO_REQUIREMENTS = Requires()


@dataclass(frozen=True, slots=True)
class Exit:
    direction: str
    to: str
    door: Door | None = None
    requires: Requires = NO_REQUIREMENTS
    one_way: bool = False


SLOTS = ("weapon", "shield", "head", "body", "hands", "legs", "feet", "neck", "ring")
"""Where equipment goes: one item per slot. ``weapon`` is wielded, the rest are worn."""
STATS = ("attack", "defence", "damage", "health")
"""What equipment adds to its wearer: to-hit, to-avoid, damage per hit, maximum health."""


@dataclass(frozen=True, slots=True)
class ContainerDef:
    """An item that holds items: a bag (portable) or a chest (fixed). ``contents`` are put
    in a fixed container once, the first time the game sees it; nothing refills it."""

    capacity: int = 10
    closed: bool = False
    locked: bool = False
    key: str | None = None
    contents: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ItemDef:
    id: str
    name: str
    keywords: tuple[str, ...]
    description: str
    value: int = 0
    portable: bool = True
    plural: str = ""  # the name's plural without article, when English rules get it wrong
    weight: int = 1  # counts against the carrying limit (combat.yaml ``carry``)
    slot: str | None = None  # one of SLOTS: the item can be worn or wielded there
    stats: Mapping[str, int] = field(default_factory=dict)  # STATS it adds when equipped
    container: ContainerDef | None = None


@dataclass(frozen=True, slots=True)
class LootDrop:
    """One line of a loot table: ``count`` of ``item`` drop with probability ``chance``."""

    item: str
    chance: float = 1.0
    count: int = 1


@dataclass(frozen=True, slots=True)
class Fighter:
    """An NPC's combat stats. ``tokens`` are paid (reason 108) to whoever defeats it, at
    most once per player per NPC per UTC day; it comes back ``respawn`` seconds later."""

    health: int
    attack: int = 1
    defence: int = 0
    damage: int = 2
    tokens: int = 0
    respawn: int = 300
    loot: tuple[LootDrop, ...] = ()


@dataclass(frozen=True, slots=True)
class NpcDef:
    id: str
    name: str
    keywords: tuple[str, ...]
    description: str
    greeting: str = ""
    topics: Mapping[str, Topic] = field(default_factory=dict)
    behaviours: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    triggers: tuple[Trigger, ...] = ()  # what it does on its own (game/world/triggers.py)

    def triggers_on(self, kind: str) -> tuple[Trigger, ...]:
        return tuple(t for t in self.triggers if t.kind == kind)

    combat: Fighter | None = None  # None: the NPC cannot be attacked

    @property
    def wander_interval(self) -> int | None:
        """Seconds between steps for a wanderer, or None if the NPC stays put."""
        spec = self.behaviours.get("wander")
        if spec is None:
            return None
        interval = spec.get("interval", 60)
        return interval if isinstance(interval, int) else 60


@dataclass(frozen=True, slots=True)
class Topic:
    """What an NPC says when asked about something; may hand out a quest."""

    text: str
    starts: str | None = None
    requires: Requires = NO_REQUIREMENTS


@dataclass(frozen=True, slots=True)
class Placement:
    """Something placed in a room: ``count`` copies, restored every ``respawn`` seconds."""

    ref: str
    count: int = 1
    respawn: int | None = None


@dataclass(frozen=True, slots=True)
class GatherSpot:
    """Where a gathering skill yields an item: ``fish`` at the harbour gives herring."""

    skill: str
    item: str
    level: int = 1
    xp: int = 10
    chance: float = 1.0


@dataclass(frozen=True, slots=True)
class Room:
    id: str
    area: str
    title: str
    description: str
    brief: str = ""
    exits: tuple[Exit, ...] = ()
    items: tuple[Placement, ...] = ()
    npcs: tuple[Placement, ...] = ()
    coordinates: tuple[int, int, int] | None = None
    gather: tuple[GatherSpot, ...] = ()
    features: tuple[str, ...] = ()
    reward: int | None = None
    requires: Requires = NO_REQUIREMENTS
    extends: str | None = None
    layout: Layout | None = None  # the visual form's floor plan (game/world/layout.py)
    night: str = ""  # the description at night, if it differs (game/world/clock.py)

    def exit(self, direction: str) -> Exit | None:
        for ex in self.exits:
            if ex.direction == direction:
                return ex
        return None


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    title: str
    description: str
    start: str
    flags: tuple[str, ...] = ()
    unlock: str | None = None

    @property
    def premium(self) -> bool:
        return "premium" in self.flags

    @property
    def pvp(self) -> bool:
        """Players may attack each other here (``flags: [pvp]``)."""
        return "pvp" in self.flags


GOAL_KINDS = ("visit", "collect", "deliver", "talk", "gather")


@dataclass(frozen=True, slots=True)
class Goal:
    """One step of a quest. ``target`` is a room, item, npc or skill depending on ``kind``;
    ``to`` is the NPC a ``deliver`` goal hands items to."""

    kind: str
    target: str
    count: int = 1
    to: str | None = None


@dataclass(frozen=True, slots=True)
class QuestReward:
    tokens: int = 0
    xp: Mapping[str, int] = field(default_factory=dict)
    items: Mapping[str, int] = field(default_factory=dict)
    unlock: str | None = None


@dataclass(frozen=True, slots=True)
class QuestDef:
    id: str
    title: str
    description: str
    goals: tuple[Goal, ...]
    reward: QuestReward = QuestReward()
    giver: str | None = None
    completion: str = ""
    requires: Requires = NO_REQUIREMENTS


@dataclass(frozen=True, slots=True)
class SkillDef:
    id: str
    label: str
    verb: str


@dataclass(frozen=True, slots=True)
class Recipe:
    """Turn ``inputs`` into one ``output`` with a skill, where the room has ``feature``."""

    output: str
    skill: str
    inputs: Mapping[str, int]
    level: int = 1
    xp: int = 10
    feature: str | None = None


@dataclass(frozen=True, slots=True)
class Shop:
    """A shop in a room: ``sells`` is what players buy (item -> price), ``buys`` what it takes."""

    id: str
    room: str
    keeper: str | None
    sells: Mapping[str, int]
    buys: Mapping[str, int]


@dataclass(frozen=True)
class EconomyRules:
    """Prices, rewards and tiers from ``content/economy.yaml``: tuned by authors, not code."""

    prices: Mapping[str, int] = field(default_factory=dict)
    daily_bonus: int = 10
    first_visit: int = 1
    free_daily_quota: int = 50
    premium_price: int = 100
    premium_days: int = 30
    pay_confirm_above: int = 100
    gather_cooldown: int = 5
    skills: Mapping[str, SkillDef] = field(default_factory=dict)
    recipes: Mapping[str, Recipe] = field(default_factory=dict)
    xp_levels: tuple[int, ...] = (0, 50, 120, 220, 360, 550, 800, 1100, 1500, 2000)
    day_minutes: int = 120  # real minutes in one game day (game/world/clock.py)

    def level(self, xp: int) -> int:
        """Level 1 at 0 XP; each threshold passed adds one."""
        return sum(1 for threshold in self.xp_levels if xp >= threshold)


@dataclass(frozen=True)
class CombatRules:
    """``content/combat.yaml``: a player's base stats, rounds, recovery, death, carrying."""

    health: int = 20
    stamina: int = 10
    attack: int = 1
    defence: int = 0
    damage: int = 2
    round: int = 3  # seconds between combat rounds
    regen: int = 1  # health and stamina back per round out of combat
    attack_cost: int = 1  # stamina per round of attacking; at 0 a hit does half damage
    flee_cost: int = 3  # stamina to flee
    death_fee: int = 0  # tokens burned (reason 208) when a player dies; never more than held
    carry: int = 30  # total weight a player can carry (worn items do not count)
    respawn_room: str | None = None  # where the dead wake; else their area's start


@dataclass(frozen=True)
class Content:
    """One consistent, validated world. Reloads build a new one and swap it whole."""

    areas: Mapping[str, Area]
    rooms: Mapping[str, Room]
    items: Mapping[str, ItemDef]
    npcs: Mapping[str, NpcDef]
    start_room: str
    economy: EconomyRules = field(default_factory=EconomyRules)
    shops: Mapping[str, Shop] = field(default_factory=dict)
    quests: Mapping[str, QuestDef] = field(default_factory=dict)
    community: Community = field(default_factory=Community)
    combat: CombatRules = field(default_factory=CombatRules)

    def shop_in(self, room_id: str) -> Shop | None:
        for shop in self.shops.values():
            if shop.room == room_id:
                return shop
        return None

    def area_start(self, room_id: str) -> str:
        """Where a player in ``room_id`` goes if that room disappears in a reload."""
        area = self.areas.get(room_id.split(":", 1)[0])
        return area.start if area else self.start_room
