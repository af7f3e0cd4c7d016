"""Looking around and getting help."""

from __future__ import annotations

from collections import Counter
from typing import Any

from game.commands.base import Context, Result, command, may_use
from game.commands.equipment import look_inside
from game.commands.naming import people_here, phrase, pick
from game.core.reply import Kind, Reply
from game.core.text import join_words, plural
from game.world import matching
from game.world.clock import PHASE_STARTS, DayClock
from game.world.matching import Named
from game.world.model import ItemDef, NpcDef


def describe_thing(ctx: Context, words: str) -> Reply:
    """What the player sees of the item, character or player ``words`` name."""
    world, me = ctx.world, ctx.player
    words = words.removeprefix("at ").strip()
    if words.lower() in ("me", "self", "myself", me.name.lower()):
        return Reply.info(f"You are {me.name}.")
    said = phrase(words, high=99, counts=False)
    if isinstance(said, Reply):
        return said
    pile = Counter(me.inventory)
    pile.update({i: n for i, n in world.floor.get(me.room, Counter()).items() if i not in pile})
    pool: list[Named[Any]] = [*matching.items(world.content, pile), *people_here(ctx)]
    found = pick(said, pool, "You see no {what} here.")
    if isinstance(found, Reply):
        return found
    thing = found.thing
    if isinstance(thing, ItemDef):
        lines = [f"{thing.name[0].upper() + thing.name[1:]}.", thing.description.strip()]
        if thing.slot is not None:
            adds = ", ".join(f"{stat} {value:+d}" for stat, value in thing.stats.items())
            lines.append(f"It goes in the {thing.slot} slot" + (f" ({adds})." if adds else "."))
        if thing.container is not None:
            carried = me.inventory[thing.id] > 0
            lines.append(look_inside(ctx, thing, ctx.containers.holder(me, thing, carried=carried)))
        return Reply.info("\n".join(line for line in lines if line))
    if isinstance(thing, NpcDef):
        return Reply.info(f"{thing.name[0].upper() + thing.name[1:]}.\n{thing.description}")
    return Reply.info(f"{found.name} is here, looking around.")


@command("look", "l", category="info")
def look(ctx: Context, args: str) -> Result:
    """Look at the room, or at something or someone in it.

    Usage:
      look
      look <thing or person>

    Room output comes in a fixed order: title, exits, description, then who and what is
    here, one fact per line.
    """
    if args:
        return describe_thing(ctx, args)
    return Reply.room(ctx.world.view(ctx.player.room, ctx.player))


@command("time", category="info")
def time_of_day(ctx: Context, args: str) -> Result:
    """Tell the time of day in the world: the hour, and dawn, day, dusk or night.

    Some places look different at night, and some people keep hours.

    Usage:
      time
    """
    day = DayClock(ctx.world.content.economy.day_minutes)
    now = ctx.clock()
    phase, minute = day.phase(now), day.minute_of_day(now)
    later = [(name, start) for name, start in PHASE_STARTS if start > minute and name != phase]
    name, start = later[0] if later else ("dawn", PHASE_STARTS[1][1])
    return Reply.info(
        f"It is {day.clock_face(now)}, {phase}. {name.capitalize()} comes at"
        f" {start // 60:02d}:{start % 60:02d}. A day here lasts"
        f" {plural(ctx.world.content.economy.day_minutes, 'real minute')}."
    )


@command("examine", "x", "exa", "read", category="info")
def examine(ctx: Context, args: str) -> Result:
    """Examine something closely (``read`` a notice or a sign the same way).

    Usage:
      examine <thing>
      x <thing>
      read <thing>
    """
    if not args:
        return Reply.error("Examine what? Try: examine lantern")
    return describe_thing(ctx, args)


@command("inventory", "i", "inv", category="info")
def inventory(ctx: Context, args: str) -> Result:
    """List what you are carrying.

    Usage:
      inventory
      i
    """
    carried = ctx.world.describe_items(ctx.player.inventory)
    if not carried:
        return Reply.info("You are carrying nothing.")
    return Reply.info(f"You are carrying {join_words(list(carried))}.")


@command("who", category="info")
def who(ctx: Context, args: str) -> Result:
    """List the players who are online and where they are.

    Usage:
      who
    """
    sessions = sorted(ctx.online, key=lambda s: s.player.name.lower())
    lines = [f"{len(sessions)} player{'s' if len(sessions) != 1 else ''} online:"]
    for s in sessions:
        away = ctx.people.away(s.player.name)
        note = f" (away: {away})" if away is not None else ""
        lines.append(f"{s.player.name}, in {ctx.world.room(s.player.room).title}{note}")
    return Reply.info("\n".join(lines))


PRICED_TOPICS = ("priced", "prices", "price", "quota", "priced actions")


def priced_help(ctx: Context) -> Reply:
    """The "Priced actions" topic: which commands cost tokens, from content, and the quota."""
    rules = ctx.world.content.economy
    prices = sorted((name, price) for name, price in rules.prices.items() if price > 0)
    lines = ["Priced actions:"]
    if not prices:
        lines.append("No command costs tokens in this world.")
    lines += [f"{name}: {plural(price, 'token')} each time" for name, price in prices]
    lines.append(
        f"Free players may take {rules.free_daily_quota} priced actions a day (the status bar"
        " counts down what is left); premium players have no limit (type premium)."
    )
    lines.append("A priced action that fails costs nothing. Shop prices (list) are separate.")
    return Reply(Kind.HELP, "\n".join(lines))


@command("help", "?", "commands", category="info")
def help_(ctx: Context, args: str) -> Result:
    """Show the list of commands, or the help for one command.

    Usage:
      help
      help <command>
      help priced      (which actions cost tokens, and the daily quota)
    """
    registry = ctx.registry
    prices = ctx.world.content.economy.prices
    if args.strip().lower() in PRICED_TOPICS:
        return priced_help(ctx)
    if args:
        spec = registry.find(args.split()[0])
        if spec is None or not may_use(ctx.player.role, spec.role):
            hints = registry.suggest(args, ctx.player.role)
            hint = f" Did you mean: {', '.join(hints)}?" if hints else ""
            return Reply.error(f"No help for {args!r}.{hint}")
        aliases = f"\nAliases: {', '.join(spec.aliases)}" if spec.aliases else ""
        price = prices.get(spec.name, 0)
        cost = f"\nPriced action: {plural(price, 'token')} (help priced)." if price > 0 else ""
        return Reply(Kind.HELP, spec.help + aliases + cost)
    lines = ["Commands (type help <command> for details):"]
    for spec in registry.visible(ctx.player.role):
        price = prices.get(spec.name, 0)
        cost = f" Priced: {plural(price, 'token')}." if price > 0 else ""
        lines.append(f"{spec.name}: {spec.summary}{cost}")
    lines.append("Move with go <exit>, or just the exit name: n, s, e, w, ne, nw, se, sw, u, d.")
    lines.append("Priced actions cost tokens and count against a daily quota: type help priced.")
    return Reply(Kind.HELP, "\n".join(lines))


@command("quit", "logout", category="info")
def quit_(ctx: Context, args: str) -> Result:
    """Leave the game. Your place and belongings are kept for next time.

    Usage:
      quit
    """
    ctx.session.close("Goodbye. Your progress is saved.")
    return []
