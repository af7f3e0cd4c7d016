"""Shops from content YAML: list the wares, buy and sell items for tokens.

A purchase is a ledger charge (``SHOP_PURCHASE``, a sink) and the item into the pack; a sale
is the item out of the pack and a ledger credit (``SHOP_SALE``, a faucet). Each pair runs in
one ``ledger.atomic()`` block: tokens and items never move without each other.
"""

from __future__ import annotations

from economy import InsufficientFunds, Reason
from game.commands.base import Context, Result, command
from game.commands.economy import tokens
from game.commands.skills import change_pack, some
from game.numbers import BadNumber, numeric, whole_number
from game.reply import Kind, Reply
from game.world.model import Shop
from game.world.state import match_item

MAX_COUNT = 100
"""Most items in one buy or sell: enough for any real use, bounded for a typo like 1000."""


def _shop_here(ctx: Context) -> tuple[Shop, str] | Reply:
    shop = ctx.world.content.shop_in(ctx.player.room)
    if shop is None:
        return Reply.error("There is no shop here.")
    npc = ctx.world.content.npcs.get(shop.keeper) if shop.keeper else None
    keeper = npc.name[0].upper() + npc.name[1:] if npc else "The shopkeeper"
    return shop, keeper


def _count_and_words(args: str) -> tuple[int, str] | Reply:
    """``2 trout``, ``trout 2`` or ``trout`` -> (count, words)."""
    words = args.split()
    count = 1
    try:
        if len(words) > 1 and numeric(words[0]):
            count, words = whole_number(words[0], high=MAX_COUNT, what="count"), words[1:]
        elif len(words) > 1 and numeric(words[-1]):
            count, words = whole_number(words[-1], high=MAX_COUNT, what="count"), words[:-1]
    except BadNumber as exc:
        if exc.out_of_range:
            return Reply.error(f"You can trade 1 to {MAX_COUNT} at a time.")
        return Reply.error(f"{exc} Nothing was done.")
    return count, " ".join(words)


@command("list", "wares", category="shops")
def list_(ctx: Context, args: str) -> Result:
    """See what the shop in this room sells and buys, and for how much.

    Usage:
      list
    """
    found = _shop_here(ctx)
    if isinstance(found, Reply):
        return found
    shop, keeper = found
    lines = []
    if shop.sells:
        lines.append(f"{keeper} sells:")
        lines += [f"{some(ctx.game, i, 1)}: {tokens(p)}" for i, p in shop.sells.items()]
    if shop.buys:
        lines.append(f"{keeper} buys:")
        lines += [f"{some(ctx.game, i, 1)}: {tokens(p)} each" for i, p in shop.buys.items()]
    if not lines:
        return Reply.info(f"{keeper} has nothing to trade today.")
    lines.append("Type buy <item> or sell <item>, with a number for more than one.")
    return Reply.info("\n".join(lines))


def _order(ctx: Context, args: str, what_prompt: str) -> tuple[Shop, str, int, str] | Reply:
    """The shop here, its keeper's name, and ``[count] <item>`` from the player's words."""
    found = _shop_here(ctx)
    if isinstance(found, Reply):
        return found
    shop, keeper = found
    parsed = _count_and_words(args)
    if isinstance(parsed, Reply):
        return parsed
    count, words = parsed
    if not words:
        return Reply.error(what_prompt)
    return shop, keeper, count, words


@command("buy", category="shops")
def buy(ctx: Context, args: str) -> Result:
    """Buy from the shop in this room.

    Usage:
      buy <item>
      buy <item> <count>
      buy <count> <item>
    """
    order = _order(ctx, args, "Buy what? Type list to see the wares.")
    if isinstance(order, Reply):
        return order
    shop, keeper, count, words = order
    game, player = ctx.game, ctx.player
    wares = [game.world.content.items[i] for i in shop.sells if i in game.world.content.items]
    item = match_item(words, wares)
    if item is None:
        return Reply.error(f"{keeper} doesn't sell {words!r}. Type list to see the wares.")
    total = shop.sells[item.id] * count
    what = some(game, item.id, count)
    try:
        with game.ledger.atomic():
            if total > 0:
                key = game.wallet.new_key("b")
                game.wallet.charge(player.name, total, Reason.SHOP_PURCHASE, key, what)
            change_pack(game, player, {item.id: count})
    except InsufficientFunds:
        have = game.wallet.balance(player.name)
        return Reply.error(
            f"Not enough tokens: {what} cost {total}, you have {have}. Nothing was bought."
        )
    left = game.wallet.balance(player.name)
    return Reply(Kind.ECONOMY, f"You buy {what} for {tokens(total)}. You have {left} left.")


@command("sell", category="shops")
def sell(ctx: Context, args: str) -> Result:
    """Sell to the shop in this room, if it buys that item.

    Usage:
      sell <item>
      sell <item> <count>
      sell <count> <item>
    """
    order = _order(ctx, args, "Sell what? Type list to see what the shop buys.")
    if isinstance(order, Reply):
        return order
    shop, keeper, count, words = order
    game, player = ctx.game, ctx.player
    item = match_item(words, game.world.items_carried(player))
    if item is None:
        return Reply.error(f"You don't have {words!r}.")
    if item.id not in shop.buys:
        return Reply.error(f"{keeper} doesn't buy {item.name}. Type list to see what it buys.")
    have = player.inventory[item.id]
    if have < count:
        return Reply.error(f"You only have {some(game, item.id, have)}. Nothing was sold.")
    total = shop.buys[item.id] * count
    what = some(game, item.id, count)
    with game.ledger.atomic():
        if total > 0:
            key = game.wallet.new_key("s")
            game.wallet.credit(player.name, total, Reason.SHOP_SALE, key, what)
        change_pack(game, player, {item.id: -count})
    left = game.wallet.balance(player.name)
    return Reply(Kind.ECONOMY, f"You sell {what} for {tokens(total)}. You have {left} now.")
