"""Fast travel: jump to an area's start room for a price set in content (``prices.travel``).

The engine's price gate refuses the command before it runs when the player cannot pay or
has no priced actions left, and charges it in the same transaction as the move. So every
refusal here is an error reply: errors are never charged.
"""

from __future__ import annotations

from bridge.events import PlayerMoved
from game.commands.base import Context, Result, command
from game.core.reply import Kind, Reply
from game.core.text import join_words
from game.world.model import Area


def find_area(areas: list[Area], words: str) -> Area | None:
    """By id, by title, or by the start of a title word (``vale``, ``green``, ``Green Vale``)."""
    wanted = words.lower().strip()
    for area in areas:
        if wanted in (area.id.lower(), area.title.lower()):
            return area
    for area in areas:
        if any(w.startswith(wanted) for w in area.title.lower().split()):
            return area
    return None


def _label(area: Area) -> str:
    return f"{area.title} ({area.id}{', premium' if area.premium else ''})"


@command("travel", category="movement")
def travel(ctx: Context, args: str) -> Result:
    """Fast-travel to the starting place of another area, for a price in tokens.

    Usage:
      travel              (lists the areas)
      travel <area>

    Premium areas are open to premium players and to players who unlocked them;
    the place you arrive at may have its own requirements, as when walking in.
    """
    player = ctx.player
    content = ctx.world.content
    areas = sorted(content.areas.values(), key=lambda a: a.title)
    price = content.economy.prices.get("travel", 0)
    cost = f" It costs {price} token{'s' if price != 1 else ''}." if price else ""
    if not args:
        names = join_words([_label(a) for a in areas])
        return Reply.error(f"Travel where? You can travel to {names}.{cost}")
    area = find_area(areas, args)
    if area is None or area.start not in content.rooms:
        names = join_words([_label(a) for a in areas])
        return Reply.error(f"There is no area called {args!r}. Areas: {names}.")
    destination = content.rooms[area.start]
    refusal = ctx.access.area_refusal(player.name, area.id) or ctx.access.unmet(
        player.name, destination.requires
    )
    if refusal is not None:
        return Reply.error(refusal)  # the same gates as walking in; errors are never charged
    if player.room == area.start:
        return Reply.error(f"You are already at {destination.title}.")
    old = player.room
    ctx.to_room(
        old, Reply(Kind.MOVE, f"{player.name} sets off for {area.title}."), exclude=[player]
    )
    ctx.world.move(player, area.start)
    ctx.to_room(area.start, Reply(Kind.MOVE, f"{player.name} arrives from afar."), exclude=[player])
    ctx.refresh_room(old)
    ctx.refresh_room(area.start)
    ctx.publish(
        PlayerMoved(
            ts=ctx.now(), player=player.name, from_room=old, to_room=area.start, via="travel"
        )
    )
    return Reply.room(ctx.world.view(area.start, player))
