"""Picking things up, putting them down, handing them over."""

from __future__ import annotations

from collections import Counter

from game.commands.base import Context, Result, command
from game.numbers import BadNumber, numeric, whole_number
from game.reply import Kind, Reply
from game.world.model import ItemDef
from game.world.state import match_item

MAX_COUNT = 1_000_000


def _count_and_words(args: str) -> tuple[int | None, str]:
    """``"2 floats"`` -> (2, "floats"); ``"all floats"`` -> (None, "floats").

    Raises :class:`BadNumber` for a count in other digits (``² floats``) or out of range.
    """
    first, _, rest = args.partition(" ")
    if numeric(first) and rest:
        return whole_number(first, high=MAX_COUNT, what="count"), rest
    if first == "all" and rest:
        return None, rest
    return 1, args


def _choose(
    ctx: Context, args: str, pool: Counter[str], *, here: bool
) -> tuple[ItemDef, int, str] | Reply:
    """Resolve ``[n|all] <item>`` against a pile (the floor or an inventory).

    Returns the item, how many, and how to say it ("an iron key", "2 x a glass float"),
    or the sentence that explains why not.
    """
    try:
        count, words = _count_and_words(args)
    except BadNumber as exc:
        return Reply.error(f"{exc} Nothing was done.")
    candidates = [ctx.world.content.items[i] for i in pool if i in ctx.world.content.items]
    item = match_item(words, candidates)
    if item is None:
        return Reply.error(
            f"There is no {words!r} here." if here else f"You are not carrying {words!r}."
        )
    have = pool[item.id]
    count = have if count is None else count
    if count > have:
        return Reply.error(
            f"There {'is' if have == 1 else 'are'} only {have} here."
            if here
            else f"You only have {have}."
        )
    return item, count, item.name if count == 1 else f"{count} x {item.name}"


@command("get", "take", "pick", category="items")
def get(ctx: Context, args: str) -> Result:
    """Pick something up from the floor.

    Usage:
      get <item>
      get 2 <items>
      get all <items>
    """
    if not args:
        return Reply.error("Get what?")
    world, player = ctx.world, ctx.player
    chosen = _choose(
        ctx, args.removeprefix("up ").strip(), world.floor.get(player.room, Counter()), here=True
    )
    if isinstance(chosen, Reply):
        return chosen
    item, count, what = chosen
    if not item.portable:
        return Reply.error(f"You can't take {item.name}.")
    world.take(player, item.id, count)
    ctx.to_room(player.room, Reply(Kind.MOVE, f"{player.name} picks up {what}."), exclude=[player])
    ctx.game.refresh_room(player.room)
    return Reply.info(f"You pick up {what}.")


@command("drop", category="items")
def drop(ctx: Context, args: str) -> Result:
    """Put something you carry down on the floor.

    Usage:
      drop <item>
      drop 2 <items>
      drop all <items>
    """
    if not args:
        return Reply.error("Drop what?")
    world, player = ctx.world, ctx.player
    chosen = _choose(ctx, args, player.inventory, here=False)
    if isinstance(chosen, Reply):
        return chosen
    item, count, what = chosen
    world.drop(player, item.id, count)
    ctx.to_room(player.room, Reply(Kind.MOVE, f"{player.name} drops {what}."), exclude=[player])
    ctx.game.refresh_room(player.room)
    return Reply.info(f"You drop {what}.")


@command("give", "hand", category="items")
def give(ctx: Context, args: str) -> Result:
    """Give something you carry to someone in the same room.

    Usage:
      give <item> <name>
      give <item> to <name>
    """
    words, _, name = args.rpartition(" ")
    words = words.removesuffix(" to").strip()
    if not words or not name:
        return Reply.error("Usage: give <item> <name>")
    world, player = ctx.world, ctx.player
    receiver = world.find_online(name)
    if receiver is None or receiver.room != player.room or receiver is player:
        return Reply.error(f"There is nobody called {name!r} here.")
    chosen = _choose(ctx, words, player.inventory, here=False)
    if isinstance(chosen, Reply):
        return chosen
    item, count, what = chosen
    world.give(player, receiver, item.id, count)
    ctx.to_player(receiver.name, Reply(Kind.INFO, f"{player.name} gives you {what}."))
    ctx.to_room(
        player.room,
        Reply(Kind.MOVE, f"{player.name} gives {what} to {receiver.name}."),
        exclude=[player, receiver],
    )
    return Reply.info(f"You give {what} to {receiver.name}.")
