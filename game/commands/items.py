"""Picking things up, putting them down, handing them over."""

from __future__ import annotations

from collections import Counter
from typing import Any

from game.commands.base import Context, Result, command
from game.commands.equipment import get_from, overloaded, too_heavy
from game.commands.naming import people_here, phrase, pick, pick_item
from game.core.reply import Kind, Reply
from game.world.matching import Named, Phrase
from game.world.model import ItemDef, NpcDef
from game.world.state import Player

MAX_COUNT = 1_000_000


def _choose(
    ctx: Context, said: Phrase, pool: Counter[str], *, here: bool
) -> tuple[ItemDef, int, str] | Reply:
    """Resolve ``[n|all] <item>`` against a pile (the floor or an inventory).

    Returns the item, how many, and how to say it ("an iron key", "two glass floats"),
    or the sentence that explains why not.
    """
    nothing = "There is no {what} here." if here else "You are not carrying {what}."
    found = pick_item(ctx, said, pool, nothing)
    if isinstance(found, Reply):
        return found
    item, have = found.thing, pool[found.thing.id]
    count = have if said.count is None else said.count
    if count > have:
        there = ctx.world.some(item.id, have)
        return Reply.error(
            f"There {'is' if have == 1 else 'are'} only {there} here. Nothing was done."
            if here
            else f"You only have {there}. Nothing was done."
        )
    return item, count, ctx.world.some(item.id, count)


def _every(ctx: Context, pool: Counter[str], verb: str) -> Result | None:
    """``get all`` / ``drop all``: the whole pile, one line per kind of thing."""
    world, player = ctx.world, ctx.player
    moved = []
    for item_id, count in list(pool.items()):
        item = world.content.items.get(item_id)
        if item is None or count <= 0 or (verb == "get" and not item.portable):
            continue
        if verb == "get" and too_heavy(ctx, item, count) is not None:
            continue  # what is too heavy stays on the floor
        (world.take if verb == "get" else world.drop)(player, item_id, count)
        moved.append(world.some(item_id, count))
    if not moved:
        return None
    did = "picks up" if verb == "get" else "drops"
    for what in moved:
        ctx.to_room(player.room, Reply(Kind.MOVE, f"{player.name} {did} {what}."), exclude=[player])
    ctx.refresh_room(player.room)
    you = "pick up" if verb == "get" else "drop"
    return [Reply.info(f"You {you} {what}.") for what in moved]


@command("get", "take", "pick", category="items")
def get(ctx: Context, args: str) -> Result:
    """Pick something up from the floor, or take it out of a bag or chest.

    What you carry is limited by weight (see: equipment).

    Usage:
      get <item>
      get 2 <items>
      get all <items>
      get all
      get <item> from <container>
    """
    world, player = ctx.world, ctx.player
    what, sep, where = args.partition(" from ")
    if sep and what.strip() and where.strip():
        return get_from(ctx, what.strip(), where.strip())
    floor = world.floor.get(player.room, Counter())
    said = phrase(args.removeprefix("up ").strip(), high=MAX_COUNT)
    if isinstance(said, Reply) or not args:
        return said if isinstance(said, Reply) else Reply.error("Get what?")
    if said.words == ("all",):
        return _every(ctx, floor, "get") or Reply.error("There is nothing here to pick up.")
    chosen = _choose(ctx, said, floor, here=True)
    if isinstance(chosen, Reply):
        return chosen
    item, count, what = chosen
    if not item.portable:
        return Reply.error(f"You can't take {item.name}.")
    refusal = too_heavy(ctx, item, count)
    if refusal is not None:
        return refusal
    world.take(player, item.id, count)
    ctx.to_room(player.room, Reply(Kind.MOVE, f"{player.name} picks up {what}."), exclude=[player])
    ctx.refresh_room(player.room)
    return Reply.info(f"You pick up {what}.")


@command("drop", category="items")
def drop(ctx: Context, args: str) -> Result:
    """Put something you carry down on the floor.

    Usage:
      drop <item>
      drop 2 <items>
      drop all <items>
      drop all
    """
    world, player = ctx.world, ctx.player
    said = phrase(args, high=MAX_COUNT)
    if isinstance(said, Reply) or not args:
        return said if isinstance(said, Reply) else Reply.error("Drop what?")
    if said.words == ("all",):
        return _every(ctx, player.inventory, "drop") or Reply.error("You are carrying nothing.")
    chosen = _choose(ctx, said, player.inventory, here=False)
    if isinstance(chosen, Reply):
        return chosen
    item, count, what = chosen
    world.drop(player, item.id, count)
    ctx.to_room(player.room, Reply(Kind.MOVE, f"{player.name} drops {what}."), exclude=[player])
    ctx.refresh_room(player.room)
    return Reply.info(f"You drop {what}.")


Someone = Named[Any]  # its thing: a Player or an NpcDef


def _split_give(ctx: Context, args: str) -> tuple[str, Someone] | Reply:
    """``<item> to <someone>``, ``<item> <someone>`` or ``<someone> <item>``: the item's
    words and who gets it."""
    here = people_here(ctx)
    item_words, to, name = args.rpartition(" to ")
    tries = [(item_words, name)] if to else []
    words = args.split()
    tries += [(" ".join(words[:k]), " ".join(words[k:])) for k in range(len(words) - 1, 0, -1)]
    tries += [(" ".join(words[k:]), " ".join(words[:k])) for k in range(1, len(words))]
    for item_part, who in tries:
        said = phrase(who, high=1, counts=False)
        if isinstance(said, Reply) or not item_part.strip():
            continue
        found = pick(said, here, "")
        if not isinstance(found, Reply):
            return item_part.strip(), found
        if to and found.text.startswith("Which one?"):
            return found
    who = name if to else words[-1]
    return Reply.error(f"There is nobody called {who!r} here.{_here(here)}")


def _here(here: list[Someone]) -> str:
    return f" Here: {', '.join(n.name for n in here)}." if here else " Nobody else is here."


@command("give", "hand", category="items")
def give(ctx: Context, args: str) -> Result:
    """Give something you carry to a player or a character in the same room.

    A character takes what one of your quests asks you to bring it, as talking to it would,
    and some characters answer a gift of something they want.

    Usage:
      give <item> to <name>
      give 2 <items> to <name>
      give <item> <name>
    """
    if len(args.split()) < 2:
        return Reply.error("Give what to whom? Try: give herring to bram")
    split = _split_give(ctx, args)
    if isinstance(split, Reply):
        return split
    words, receiver = split
    said = phrase(words, high=MAX_COUNT)
    if isinstance(said, Reply):
        return said
    chosen = _choose(ctx, said, ctx.player.inventory, here=False)
    if isinstance(chosen, Reply):
        return chosen
    item, count, what = chosen
    if isinstance(receiver.thing, NpcDef):
        return _give_npc(ctx, receiver.thing, item, count if said.counted else None)
    return _give_player(ctx, receiver.thing, item.id, count, what)


def _give_player(ctx: Context, receiver: Player, item: str, count: int, what: str) -> Result:
    player = ctx.player
    thing = ctx.world.content.items[item]
    if overloaded(ctx, ctx.containers.load(receiver), thing, count):
        return Reply.error(f"{receiver.name} can't carry {what}. Nothing was given.")
    ctx.world.give(player, receiver, item, count)
    ctx.to_player(receiver.name, Reply(Kind.INFO, f"{player.name} gives you {what}."))
    ctx.to_room(
        player.room,
        Reply(Kind.MOVE, f"{player.name} gives {what} to {receiver.name}."),
        exclude=[player, receiver],
    )
    return Reply.info(f"You give {what} to {receiver.name}.")


def _give_npc(ctx: Context, npc: NpcDef, item: ItemDef, count: int | None) -> Result:
    """Hand an NPC what a quest asks you to bring it, as talking to it would: as many as
    it still needs (or ``count``, if fewer)."""
    book, name = ctx.quests, ctx.player.name
    who = npc.name[0].upper() + npc.name[1:]
    need = book.wanted(name, npc.id).get(item.id, 0)
    if need <= 0 and ctx.triggers.wants(name, npc, item.id):
        return _give_trigger(ctx, npc, item)
    if need <= 0:
        return Reply.error(f"{who} doesn't want {item.name}. Nothing was given.")
    n = min(need, count or need, ctx.player.inventory[item.id])
    lines = book.hand_over(name, npc.id, item.id, n)
    if count is not None and count > need:
        lines.append(f"{who} only needed {ctx.world.some(item.id, need)}; you keep the rest.")
    what = ctx.world.some(item.id, n)
    ctx.to_room(
        ctx.player.room,
        Reply(Kind.MOVE, f"{name} gives {what} to {npc.name}."),
        exclude=[ctx.player],
    )
    return [Reply.info("\n".join(lines)), *book.settle(name)]


def _give_trigger(ctx: Context, npc: NpcDef, item: ItemDef) -> Result:
    """Hand an NPC one of an item it has an ``on_give`` trigger for: it keeps the item
    (it leaves the world) and the trigger runs, all in this command's step."""
    what = ctx.world.some(item.id, 1)
    ctx.to_room(
        ctx.player.room,
        Reply(Kind.MOVE, f"{ctx.player.name} gives {what} to {npc.name}."),
        exclude=[ctx.player],
    )
    ctx.triggers.given(
        ctx.player.name, npc, item.id, lambda: ctx.world.consume(ctx.player, item.id, 1)
    )
    return Reply.info(f"You give {what} to {npc.name}.")
