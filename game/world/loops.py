"""Money loops in content: a sale that pays more than the item costs to get at once.

Buying from a shop and crafting (``cook``) are instant and certain: no cooldown, no
chance. Gathering is neither (a cooldown and a chance), nor are quest rewards (once) or
respawning items (a wait). So from the prices and recipes alone we know the cheapest
instant way to get each item; a shop that buys an item for more than that prints tokens
for anyone who repeats buy, craft, sell. Such a sale is an error, reported at the
shop's ``buys`` entry with the loop spelled out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from game.world.model import Recipe, Shop
from game.world.reader import Reader
from game.world.source import Where


@dataclass(frozen=True, slots=True)
class Way:
    """The cheapest instant way to get one item: bought at ``shop``, or made by ``recipe``."""

    cost: int
    shop: str | None = None
    recipe: Recipe | None = None


def cheapest(shops: Mapping[str, Shop], recipes: Mapping[str, Recipe]) -> dict[str, Way]:
    """Every item that can be had at once for tokens, with its cheapest way.

    Costs never go below zero, so repeated relaxation settles within one pass per recipe.
    """
    ways: dict[str, Way] = {}
    for sid, shop in sorted(shops.items()):
        for item, price in shop.sells.items():
            if item not in ways or price < ways[item].cost:
                ways[item] = Way(price, shop=sid)
    for _ in range(len(recipes) + 1):
        changed = False
        for recipe in recipes.values():
            if not all(i in ways for i in recipe.inputs):
                continue
            cost = sum(ways[i].cost * n for i, n in recipe.inputs.items())
            known = ways.get(recipe.output)
            if known is None or cost < known.cost:
                ways[recipe.output] = Way(cost, recipe=recipe)
                changed = True
        if not changed:
            break
    return ways


def _how(item: str, ways: Mapping[str, Way], verbs: Mapping[str, str], depth: int = 0) -> str:
    way = ways[item]
    if way.shop is not None or way.recipe is None or depth > 8:
        return f"buy {item} at {way.shop} for {way.cost}"
    parts = [
        _how(i, ways, verbs, depth + 1) if n == 1 else f"{n} x ({_how(i, ways, verbs, depth + 1)})"
        for i, n in way.recipe.inputs.items()
    ]
    verb = verbs.get(way.recipe.skill, way.recipe.skill)
    return f"{', '.join(parts)}, then {verb} {item}"


def check_loops(
    reader: Reader,
    shops: Mapping[str, Shop],
    recipes: Mapping[str, Recipe],
    sales: Mapping[tuple[str, str], Where],
    verbs: Mapping[str, str] | None = None,
) -> None:
    """Report every shop sale that pays more than the item's cheapest instant cost.

    ``verbs`` maps skill ids to their verbs (``cooking`` -> ``cook``), for the message."""
    ways = cheapest(shops, recipes)
    for sid, shop in sorted(shops.items()):
        for item, price in shop.buys.items():
            way = ways.get(item)
            if way is None or price <= way.cost:
                continue
            gain = price - way.cost
            reader.error(
                sales.get((sid, item), Where(sid, 1, 1)),
                f"money loop: shop {sid!r} buys {item!r} for {price} tokens, but it can be had"
                f" at once for {way.cost} ({_how(item, ways, verbs or {})}): {gain} token"
                f"{'s' if gain != 1 else ''} made each round with no wait and no risk."
                f" Pay at most {way.cost} for it, or make its inputs cost more",
            )
