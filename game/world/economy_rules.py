"""The economy parts of content: ``economy.yaml`` at the root, ``shops.yaml`` per area,
and the ``gather:`` field of rooms. Prices and rewards live here, never in code."""

from __future__ import annotations

from pathlib import Path

from game.world.model import EconomyRules, GatherSpot, Recipe, Shop, SkillDef
from game.world.reader import Reader, full_ref
from game.world.source import LocatedDict, LocatedList, Where, where_of

Refs = list[tuple[Where, str, str]]
ECONOMY_KEYS = {
    "prices",
    "daily_bonus",
    "first_visit",
    "free_daily_quota",
    "premium",
    "pay_confirm_above",
    "gather_cooldown",
    "skills",
    "recipes",
    "xp_levels",
    "day_minutes",
}


def _price_map(
    reader: Reader,
    node: LocatedDict,
    key: str,
    area: str | None,
    refs: Refs,
    kind: str,
    positions: dict[str, Where] | None = None,
) -> dict[str, int]:
    raw = node.get(key)
    if raw is None:
        return {}
    if not isinstance(raw, LocatedDict):
        reader.error(where_of(node, key), f"{key!r} must map names to whole numbers")
        return {}
    out: dict[str, int] = {}
    for name, value in raw.items():
        where = where_of(raw, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            reader.error(where, f"{key} of {name!r} must be a whole number of tokens, 0 or more")
            continue
        ref = full_ref(area, name) if area else name
        if kind:
            refs.append((where, kind, ref))
        out[ref] = value
        if positions is not None:
            positions[ref] = where
    return out


def load_economy(reader: Reader, path: Path, refs: Refs) -> EconomyRules:
    if not path.exists():
        return EconomyRules()
    node = reader.file(path)
    if not isinstance(node, LocatedDict):
        if node is not None:
            reader.error(where_of(node), "economy.yaml must be a mapping")
        return EconomyRules()
    reader.unknown_keys(node, ECONOMY_KEYS, "economy.yaml")
    defaults = EconomyRules()
    premium = node.get("premium") or {}

    def number(key: str, default: int, within: LocatedDict = node) -> int:
        value = reader.field(within, key, int, required=False)
        return default if value is None else value

    skills: dict[str, SkillDef] = {}
    raw_skills = node.get("skills") or {}
    if isinstance(raw_skills, LocatedDict):
        for sid, spec in raw_skills.items():
            if not isinstance(spec, LocatedDict):
                reader.error(where_of(raw_skills, sid), f"skill {sid!r} needs 'label' and 'verb'")
                continue
            reader.unknown_keys(spec, {"label", "verb"}, "skill")
            skills[sid] = SkillDef(
                sid, reader.field(spec, "label", str) or sid, reader.field(spec, "verb", str) or sid
            )
    recipes: dict[str, Recipe] = {}
    raw_recipes = node.get("recipes") or {}
    if isinstance(raw_recipes, LocatedDict):
        for output, spec in raw_recipes.items():
            if not isinstance(spec, LocatedDict):
                reader.error(where_of(raw_recipes, output), f"recipe {output!r} must be a mapping")
                continue
            reader.unknown_keys(spec, {"skill", "inputs", "level", "xp", "feature"}, "recipe")
            skill = reader.field(spec, "skill", str) or ""
            if skill and skill not in skills:
                reader.error(where_of(spec, "skill"), f"unknown skill {skill!r}")
            refs.append((where_of(raw_recipes, output), "item", output))
            recipes[output] = Recipe(
                output=output,
                skill=skill,
                inputs=_price_map(reader, spec, "inputs", None, refs, "item"),
                level=number("level", 1, spec),
                xp=number("xp", 10, spec),
                feature=reader.field(spec, "feature", str, required=False),
            )
    levels = node.get("xp_levels")
    xp_levels = defaults.xp_levels
    if isinstance(levels, LocatedList) and all(isinstance(v, int) for v in levels):
        xp_levels = tuple(levels)
    elif levels is not None:
        reader.error(where_of(node, "xp_levels"), "'xp_levels' must be a list of whole numbers")
    return EconomyRules(
        prices=_price_map(reader, node, "prices", None, refs, ""),
        daily_bonus=number("daily_bonus", defaults.daily_bonus),
        first_visit=number("first_visit", defaults.first_visit),
        free_daily_quota=number("free_daily_quota", defaults.free_daily_quota),
        premium_price=number("price", defaults.premium_price, premium)
        if isinstance(premium, LocatedDict)
        else defaults.premium_price,
        premium_days=number("days", defaults.premium_days, premium)
        if isinstance(premium, LocatedDict)
        else defaults.premium_days,
        pay_confirm_above=number("pay_confirm_above", defaults.pay_confirm_above),
        gather_cooldown=number("gather_cooldown", defaults.gather_cooldown),
        skills=skills,
        recipes=recipes,
        xp_levels=xp_levels,
        day_minutes=max(1, number("day_minutes", defaults.day_minutes)),
    )


def load_shops(
    reader: Reader,
    folder: Path,
    shops: dict[str, Shop],
    refs: Refs,
    sales: dict[tuple[str, str], Where] | None = None,
) -> None:
    """Read ``shops.yaml``; ``sales`` gets where each ``buys`` price was written."""
    path = folder / "shops.yaml"
    if not path.exists():
        return
    data = reader.file(path)
    if data is None:
        return
    if not isinstance(data, LocatedList):
        reader.error(where_of(data), "shops.yaml must be a list of shops")
        return
    area = folder.name
    for entry in data:
        if not isinstance(entry, LocatedDict):
            reader.error(where_of(data), "each shop must be a mapping with an 'id'")
            continue
        reader.unknown_keys(entry, {"id", "room", "keeper", "sells", "buys"}, "shop")
        sid, room = reader.field(entry, "id", str), reader.field(entry, "room", str)
        if sid is None or room is None:
            continue
        ref = full_ref(area, sid)
        if ref in shops:
            reader.error(where_of(entry, "id"), f"duplicate shop id {sid!r}")
            continue
        refs.append((where_of(entry, "room"), "room", full_ref(area, room)))
        keeper = reader.field(entry, "keeper", str, required=False)
        if keeper:
            refs.append((where_of(entry, "keeper"), "npc", full_ref(area, keeper)))
        bought: dict[str, Where] = {}
        shops[ref] = Shop(
            id=ref,
            room=full_ref(area, room),
            keeper=full_ref(area, keeper) if keeper else None,
            sells=_price_map(reader, entry, "sells", area, refs, "item"),
            buys=_price_map(reader, entry, "buys", area, refs, "item", bought),
        )
        if sales is not None:
            sales.update(((ref, item), where) for item, where in bought.items())


def parse_gather(
    reader: Reader, entry: LocatedDict, area: str, refs: Refs
) -> tuple[GatherSpot, ...]:
    raw = entry.get("gather")
    if raw is None:
        return ()
    if not isinstance(raw, LocatedList):
        reader.error(where_of(entry, "gather"), "'gather' must be a list of {skill, item, ...}")
        return ()
    out = []
    for spot in raw:
        if not isinstance(spot, LocatedDict):
            reader.error(where_of(raw), "each gather spot must be a mapping")
            continue
        reader.unknown_keys(spot, {"skill", "item", "level", "xp", "chance"}, "gather spot")
        skill, item = reader.field(spot, "skill", str), reader.field(spot, "item", str)
        if skill is None or item is None:
            continue
        refs.append((where_of(spot, "item"), "item", full_ref(area, item)))
        chance = reader.field(spot, "chance", float, required=False)
        out.append(
            GatherSpot(
                skill=skill,
                item=full_ref(area, item),
                level=reader.field(spot, "level", int, required=False) or 1,
                xp=reader.field(spot, "xp", int, required=False) or 10,
                chance=1.0 if chance is None else chance,
            )
        )
    return tuple(out)
