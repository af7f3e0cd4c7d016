"""``requires:`` gates on rooms, exits, topics and quests, parsed from content. They are
checked against a player at run time by game/services/access.py."""

from __future__ import annotations

from game.core.text import join_words
from game.world.model import NO_REQUIREMENTS, Requires
from game.world.reader import Reader, Refs, full_ref
from game.world.source import LocatedDict, where_of

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
    skills = skill_levels(reader, raw, refs)
    quests = tuple(full_ref(area, q) for q in _names(reader, raw, "quests"))
    for quest in quests:
        refs.append((where_of(raw, "quests"), "quest", quest))
    tier = raw.get("tier")
    if tier is not None and tier not in TIERS:
        reader.error(where_of(raw, "tier"), f"'tier' must be one of {join_words(list(TIERS))}")
        tier = None
    return Requires(skills, quests, tier, _names(reader, raw, "unlocks"))


def skill_levels(reader: Reader, raw: LocatedDict, refs: Refs) -> dict[str, int]:
    """``skills: {fishing: 3}`` under ``raw``: skill to a level of 1 or more, each skill
    noted in ``refs`` for the checks that every reference exists."""
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
    return skills
