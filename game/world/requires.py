"""``requires:`` gates on rooms, exits, topics and quests: parsed from content here, and
checked against a player at run time with one plain sentence saying what is missing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.core.text import join_words
from game.world.model import NO_REQUIREMENTS, Exit, Requires
from game.world.reader import Reader, Refs, full_ref
from game.world.source import LocatedDict, where_of

if TYPE_CHECKING:
    from game.engine.game import Game

TIERS = ("free", "premium")
REQUIRES_KEYS = {"skills", "quests", "tier", "unlocks"}


def _names(reader: Reader, node: LocatedDict, key: str) -> tuple[str, ...]:
    raw = node.get(key)
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    if isinstance(raw, list) and all(isinstance(v, str) for v in raw):
        return tuple(raw)
    reader.error(where_of(node, key), f"{key!r} must be a name or a list of names")
    return ()


def parse_requires(reader: Reader, entry: LocatedDict, area: str, refs: Refs) -> Requires:
    """Read ``entry['requires']``; every name it mentions is checked at the end of loading."""
    raw = entry.get("requires")
    if raw is None:
        return NO_REQUIREMENTS
    if not isinstance(raw, LocatedDict):
        reader.error(where_of(entry, "requires"), "'requires' must be a mapping")
        return NO_REQUIREMENTS
    reader.unknown_keys(raw, REQUIRES_KEYS, "requires")
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
    quests = tuple(full_ref(area, q) for q in _names(reader, raw, "quests"))
    for quest in quests:
        refs.append((where_of(raw, "quests"), "quest", quest))
    tier = raw.get("tier")
    if tier is not None and tier not in TIERS:
        reader.error(where_of(raw, "tier"), f"'tier' must be one of {join_words(list(TIERS))}")
        tier = None
    return Requires(skills, quests, tier, _names(reader, raw, "unlocks"))


def unmet(game: Game, player: str, req: Requires) -> str | None:
    """The first missing condition as a sentence for the player, or None if all hold."""
    if not req:
        return None
    for skill, level in req.skills.items():
        have = game.skills.level(player, skill)
        if have < level:
            label = game.world.content.economy.skills.get(skill)
            name = label.label if label else skill
            return f"You need {name} level {level} for that; you are level {have}."
    for quest in req.quests:
        if not game.quests.done(player, quest):
            title = game.world.content.quests.get(quest)
            return f"You must first finish the quest {title.title if title else quest}."
    if req.tier == "premium" and game.wallet.tier(player) != "premium":
        return "Only premium players may go there. Type premium to learn more."
    for unlock in req.unlocks:
        if not game.unlocks.has(player, unlock):
            return f"That is not open to you yet; it needs the unlock {unlock}."
    return None


def area_refusal(game: Game, player: str, area_id: str) -> str | None:
    """A premium area admits premium players and those holding the area's unlock."""
    area = game.world.content.areas.get(area_id)
    if area is None or not area.premium:
        return None
    if game.wallet.tier(player) == "premium":
        return None
    if game.unlocks.has(player, area.unlock or f"area:{area.id}"):
        return None
    return (
        f"{area.title} is a premium area. Premium players and those granted its unlock may "
        "enter; type premium to learn more."
    )


def exit_refusal(game: Game, player: str, from_room: str, ex: Exit) -> str | None:
    """Why ``player`` may not take ``ex`` (the exit's gate, the room's, a premium area)."""
    content = game.world.content
    target = content.rooms.get(ex.to)
    if target is None:
        return None
    refusal = unmet(game, player, ex.requires) or unmet(game, player, target.requires)
    if refusal is None and content.rooms[from_room].area != target.area:
        refusal = area_refusal(game, player, target.area)
    return refusal
