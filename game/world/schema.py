"""JSON Schema for content files, for editors (completion, hover, red squiggles).

Built from the same key sets the loader accepts, so the two cannot drift apart silently
(a test compares them, and the shipped ``content/sshrealm.schema.json`` with this output).
The loader stays the authority: the schema cannot check references or ``extends``.
"""

from __future__ import annotations

import json
from typing import Any

from game.world.clock import PHASES
from game.world.combat_rules import COMBAT_KEYS, POSITIVE
from game.world.community import JOIN_MODES, ROLES, SOCIAL_VIEWS
from game.world.economy_rules import ECONOMY_KEYS
from game.world.model import DIRECTIONS, GOAL_KINDS, SLOTS, STATS
from game.world.people import BEHAVIOURS
from game.world.requires import TIERS
from game.world.triggers import (
    MAX_ACTIONS,
    MAX_TOKENS,
    QUEST_STATUSES,
)

REF = {"type": "string", "pattern": r"^[A-Za-z0-9_-]+(:[A-Za-z0-9_-]+)?$"}
TEXT = {"type": "string", "minLength": 1}
COUNT = {"type": "integer", "minimum": 1}
TOKENS = {"type": "integer", "minimum": 0}
NAMES = {"type": "array", "items": {"type": "string"}}


def _obj(props: dict[str, Any], required: tuple[str, ...] = (), desc: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        out["required"] = list(required)
    if desc:
        out["description"] = desc
    return out


def _list_of(ref: str, desc: str) -> dict[str, Any]:
    return {"type": "array", "items": {"$ref": f"#/$defs/{ref}"}, "description": desc}


def _price_map() -> dict[str, Any]:
    return {"type": "object", "additionalProperties": TOKENS}


def build_schema() -> dict[str, Any]:
    requires = _obj(
        {
            "skills": {"type": "object", "additionalProperties": COUNT},
            "quests": {"oneOf": [REF, NAMES]},
            "tier": {"enum": list(TIERS)},
            "unlocks": {"oneOf": [{"type": "string"}, NAMES]},
        },
        desc="Every condition must hold: skill levels, quests done, tier, unlocks.",
    )
    door = _obj({"closed": {"type": "boolean"}, "locked": {"type": "boolean"}, "key": REF})
    exit_ = {
        "oneOf": [
            REF,
            _obj(
                {
                    "to": REF,
                    "door": {"$ref": "#/$defs/door"},
                    "requires": {"$ref": "#/$defs/requires"},
                    "one_way": {"type": "boolean"},
                },
                ("to",),
            ),
        ]
    }
    placement = {"oneOf": [REF, _obj({"id": REF, "count": COUNT, "respawn": COUNT}, ("id",))]}
    gather = _obj(
        {
            "skill": TEXT,
            "item": REF,
            "level": COUNT,
            "xp": TOKENS,
            "chance": {"type": "number", "minimum": 0, "maximum": 1},
        },
        ("skill", "item"),
    )
    directions = sorted({*DIRECTIONS, *DIRECTIONS.values(), "in", "out"})
    room = _obj(
        {
            "id": REF,
            "title": TEXT,
            "description": TEXT,
            "brief": TEXT,
            "exits": {
                "type": "object",
                "propertyNames": {"enum": directions},
                "additionalProperties": {"$ref": "#/$defs/exit"},
            },
            "items": {"type": "array", "items": {"$ref": "#/$defs/placement"}},
            "npcs": {"type": "array", "items": {"$ref": "#/$defs/placement"}},
            "coordinates": {
                "type": "array",
                "items": {"type": "integer"},
                "minItems": 2,
                "maxItems": 3,
            },
            "gather": {"type": "array", "items": {"$ref": "#/$defs/gather"}},
            "features": NAMES,
            "reward": TOKENS,
            "requires": {"$ref": "#/$defs/requires"},
            "extends": REF,
            "template": {"type": "boolean"},
            "night": {
                "type": "string",
                "description": "The description at night (20:00-05:00 game time), if it differs.",
            },
            "layout": _obj(
                {"grid": {"type": ["string", "array"]}, "legend": {"type": "object"}},
                desc="The visual form's floor plan: a grid of tile codes and their legend.",
            ),
        },
        ("id",),
    )
    item = _obj(
        {
            "id": REF,
            "name": TEXT,
            "keywords": NAMES,
            "description": {"type": "string"},
            "value": TOKENS,
            "portable": {"type": "boolean"},
            "plural": {
                "type": "string",
                "description": "The name's plural without its article, when English rules"
                " get it wrong (speckled trout).",
            },
            "weight": {**TOKENS, "description": "Counts against combat.yaml's carry."},
            "slot": {"enum": list(SLOTS), "description": "Where it is worn or wielded."},
            "stats": {
                "type": "object",
                "propertyNames": {"enum": list(STATS)},
                "additionalProperties": {"type": "integer"},
                "description": "What it adds to its wearer in combat.",
            },
            "container": {"oneOf": [{"const": True}, {"$ref": "#/$defs/container"}]},
        },
        ("id", "name"),
    )
    container = _obj(
        {
            "capacity": COUNT,
            "closed": {"type": "boolean"},
            "locked": {"type": "boolean"},
            "key": REF,
            "contents": {"type": "object", "additionalProperties": COUNT},
        },
        desc="A bag or chest; 'contents' only for a fixed one (portable: false).",
    )
    loot = {
        "oneOf": [
            REF,
            _obj(
                {
                    "item": REF,
                    "chance": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                    "count": COUNT,
                },
                ("item",),
            ),
        ]
    }
    fighter = _obj(
        {
            "health": COUNT,
            "attack": TOKENS,
            "defence": TOKENS,
            "damage": TOKENS,
            "tokens": {**TOKENS, "description": "Paid once per player per NPC per UTC day."},
            "respawn": {**COUNT, "description": "Seconds until it comes back."},
            "loot": {"type": "array", "items": {"$ref": "#/$defs/loot"}},
        },
        ("health",),
        "Combat stats: the NPC can be attacked.",
    )
    combat = _obj(
        {key: COUNT if key in POSITIVE else TOKENS for key in sorted(COMBAT_KEYS)}
        | {"respawn_room": REF},
        desc="combat.yaml: a player's base stats, rounds, recovery, death and carrying.",
    )
    topic = {
        "oneOf": [
            TEXT,
            _obj(
                {"text": TEXT, "starts": REF, "requires": {"$ref": "#/$defs/requires"}}, ("text",)
            ),
        ]
    }
    behaviours = _obj(
        {
            name: _obj({k: {"type": "integer" if t is int else "boolean"} for k, t in opts.items()})
            for name, opts in BEHAVIOURS.items()
        }
    )
    triggers = _trigger_defs()
    npc = _obj(
        {
            "id": REF,
            "name": TEXT,
            "keywords": NAMES,
            "description": TEXT,
            "greeting": {"type": "string"},
            "topics": {"type": "object", "additionalProperties": {"$ref": "#/$defs/topic"}},
            "behaviours": behaviours,
            "triggers": {"type": "array", "items": {"$ref": "#/$defs/trigger"}},
            "combat": {"$ref": "#/$defs/fighter"},
        },
        ("id", "name", "description"),
    )
    goal = {
        "oneOf": [
            _obj({kind: REF if kind != "gather" else TEXT, "count": COUNT, "to": REF}, (kind,))
            for kind in GOAL_KINDS
        ]
    }
    quest = _obj(
        {
            "id": REF,
            "title": TEXT,
            "description": TEXT,
            "giver": REF,
            "goals": {"type": "array", "items": {"$ref": "#/$defs/goal"}, "minItems": 1},
            "rewards": _obj(
                {
                    "tokens": TOKENS,
                    "xp": {"type": "object", "additionalProperties": COUNT},
                    "items": {"type": "object", "additionalProperties": COUNT},
                    "unlock": TEXT,
                }
            ),
            "completion": {"type": "string"},
            "requires": {"$ref": "#/$defs/requires"},
        },
        ("id", "title", "description", "goals"),
    )
    shop = _obj(
        {"id": REF, "room": REF, "keeper": REF, "sells": _price_map(), "buys": _price_map()},
        ("id", "room"),
    )
    area = _obj(
        {
            "title": TEXT,
            "description": {"type": "string"},
            "start": REF,
            "flags": {"type": "array", "items": {"enum": ["start", "premium", "pvp"]}},
            "unlock": TEXT,
        },
        ("title", "start"),
    )
    economy = {"type": "object", "propertyNames": {"enum": sorted(ECONOMY_KEYS)}}
    name = {"type": "string", "pattern": r"^[a-z][a-z0-9-]{1,19}$"}
    channel = _obj(
        {
            "title": TEXT,
            "about": {"type": "string"},
            "read": {"enum": list(ROLES)},
            "write": {"enum": list(ROLES)},
            "join": {"enum": list(JOIN_MODES)},
            "history": {"type": "integer", "minimum": 0, "maximum": 50},
        },
        ("title",),
        "A chat channel: who may read and write it, and whether new players listen.",
    )
    social = _obj(
        {view: TEXT for view in SOCIAL_VIEWS},
        ("you", "room"),
        "A social; {actor} and {target} are the names.",
    )
    community = _obj(
        {
            "channels": {"type": "object", "propertyNames": name, "additionalProperties": channel},
            "socials": {"type": "object", "propertyNames": name, "additionalProperties": social},
        },
        desc="community.yaml: chat channels and socials",
    )
    files = {
        "areaFile": area,
        "roomsFile": _list_of("room", "rooms.yaml: the rooms of one area"),
        "itemsFile": _list_of("item", "items.yaml"),
        "npcsFile": _list_of("npc", "npcs.yaml"),
        "questsFile": _list_of("quest", "quests.yaml"),
        "shopsFile": _list_of("shop", "shops.yaml"),
        "economyFile": economy,
        "communityFile": community,
        "combatFile": combat,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://sshrealm.invalid/content.schema.json",
        "title": "sshrealm content file",
        "description": "Any sshrealm content file; point an editor at #/$defs/<kind>File.",
        "anyOf": [{"$ref": f"#/$defs/{name}"} for name in files],
        "$defs": {
            **files,
            "room": room,
            "exit": exit_,
            "door": door,
            "placement": placement,
            "gather": gather,
            "requires": requires,
            "item": item,
            "container": container,
            "loot": loot,
            "fighter": fighter,
            "npc": npc,
            "topic": topic,
            "goal": goal,
            "quest": quest,
            "shop": shop,
            **triggers,
        },
    }


def _trigger_defs() -> dict[str, Any]:
    """``triggers:`` on NPCs (game/world/triggers.py): one ``on_*`` key, ``if``, ``do``."""
    phase = {"enum": list(PHASES)}
    phases = {"oneOf": [phase, {"type": "array", "items": phase}]}
    words = {"oneOf": [TEXT, NAMES]}
    item_count = {"oneOf": [REF, _obj({"item": REF, "count": COUNT}, ("item",))]}
    tokens = {"type": "integer", "minimum": 1, "maximum": MAX_TOKENS}
    action_values: dict[str, Any] = {
        "say": TEXT,
        "emote": TEXT,
        "give": item_count,
        "take": item_count,
        "move": REF,
        "open": {"oneOf": [TEXT, _obj({"exit": TEXT, "room": REF}, ("exit",))]},
        "start_quest": REF,
        "advance_quest": REF,
        "spawn": {
            "oneOf": [
                _obj({"item": REF, "count": COUNT, "room": REF}, ("item",)),
                _obj({"npc": REF, "room": REF}, ("npc",)),
            ]
        },
        "reward": tokens,
        "charge": tokens,
    }
    condition_values: dict[str, Any] = {
        "holds": words,
        "lacks": words,
        "quest": {
            "oneOf": [
                REF,
                _obj(
                    {"id": REF, "status": {"enum": list(QUEST_STATUSES)}, "step": COUNT},
                    ("id",),
                ),
            ]
        },
        "skills": {"type": "object", "additionalProperties": COUNT},
        "phase": phases,
    }
    on_values: dict[str, Any] = {
        "on_enter": {"type": "null"},
        "on_say": words,
        "on_give": REF,
        "on_time": {"oneOf": [phase, _obj({"every": COUNT}, ("every",))]},
        "on_attack": {"type": "null"},
        "on_death": {"type": "null"},
    }
    common = {
        "id": TEXT,
        "if": {"$ref": "#/$defs/condition"},
        "do": {
            "type": "array",
            "items": {"$ref": "#/$defs/action"},
            "minItems": 1,
            "maxItems": MAX_ACTIONS,
        },
        "once": {"type": "boolean"},
        "cooldown": {"type": "integer", "minimum": 0},
    }
    trigger = {
        "description": "What an NPC does on its own: one on_* key, optional if, and do.",
        "oneOf": [_obj({key: value, **common}, (key, "do")) for key, value in on_values.items()],
    }
    action = {
        "description": "One action: a mapping with exactly one of these keys.",
        "oneOf": [_obj({kind: value}, (kind,)) for kind, value in action_values.items()],
    }
    condition = _obj(condition_values, desc="Every condition must hold.")
    return {"trigger": trigger, "action": action, "condition": condition}


def schema_text() -> str:
    return json.dumps(build_schema(), indent=2, sort_keys=False) + "\n"
