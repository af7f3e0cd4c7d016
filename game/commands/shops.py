"""Shops from content YAML: list the wares, buy and sell items for tokens.

A purchase is a ledger charge (``SHOP_PURCHASE``, a sink) and the item into the pack; a sale
is the item out of the pack and a ledger credit (``SHOP_SALE``, a faucet). Each pair runs in
one ``ledger.atomic()`` block: tokens and items never move without each other.
"""

from __future__ import annotations

from economy import InsufficientFunds, Reason
from game.commands.base import Context, Result, command
from game.commands.economy import tokens
from game.commands.naming import pick_item
from game.core.numbers import BadNumber
from game.core.reply import Kind, Reply
from game.world import matching
from game.world.matching import Phrase
from game.world.model import Shop

MAX_COUNT = 100
"""Most items in one buy or sell: enough for any real use, bounded for a typo like 1000."""


def _shop_here(ctx: Context) -> tuple[Shop, str] | Reply:
    shop = ctx.world.content.shop_in(ctx.player.room)
    if shop is None:
        return Reply.error("There is no shop here.")
    npc = ctx.world.content.npcs.get(shop.keeper) if shop.keeper else None
    keeper = npc.name[0].upper() + npc.name[1:] if npc else "The shopkeeper"
    return shop, keeper


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
        lines += [f"{ctx.world.some(i, 1)}: {tokens(p)}" for i, p in shop.sells.items()]
    if shop.buys:
        lines.append(f"{keeper} buys:")
        lines += [f"{ctx.world.some(i, 1)}: {tokens(p)} each" for i, p in shop.buys.items()]
    if not lines:
        return Reply.info(f"{keeper} has nothing to trade today.")
    lines.append("Type buy <item> or sell <item>, with a number for more than one.")
    return Reply.info("\n".join(lines))


def _order(ctx: Context, args: str, what_prompt: str) -> tuple[Shop, str, Phrase] | Reply:
    """The shop here, its keeper's name, and ``[count] <item>`` from the player's words."""
    found = _shop_here(ctx)
    if isinstance(found, Reply):
        return found
    shop, keeper = found
    if not args.strip():
        return Reply.error(what_prompt)
    try:
        said = matching.parse(args, high=MAX_COUNT, trailing_count=True)
    except BadNumber as exc:
        if exc.out_of_range:
            return Reply.error(f"You can trade 1 to {MAX_COUNT} at a time.")
        return Reply.error(f"{exc} Nothing was done.")
    if not said.words:
        return Reply.error(what_prompt)
    return shop, keeper, said


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
    shop, keeper, said = order
    player = ctx.player
    if said.count is None:
        return Reply.error(f"Buy how many? Type a number, 1 to {MAX_COUNT}. Nothing was bought.")
    found = pick_item(
        ctx, said, list(shop.sells), f"{keeper} doesn't sell {{what}}. Type list to see the wares."
    )
    if isinstance(found, Reply):
        return found
    item, count = found.thing, said.count
    total = shop.sells[item.id] * count
    what = ctx.world.some(item.id, count)
    try:
        with ctx.ledger.atomic():
            if total > 0:
                key = ctx.wallet.new_key("b")
                ctx.wallet.charge(player.name, total, Reason.SHOP_PURCHASE, key, what)
            ctx.world.change_pack(player, {item.id: count})
    except InsufficientFunds:
        have = ctx.wallet.balance(player.name)
        return Reply.error(
            f"Not enough tokens: {what} cost {total}, you have {have}. Nothing was bought."
        )
    left = ctx.wallet.balance(player.name)
    return Reply(Kind.ECONOMY, f"You buy {what} for {tokens(total)}. You have {left} left.")


@command("sell", category="shops")
def sell(ctx: Context, args: str) -> Result:
    """Sell to the shop in this room, if it buys that item.

    Usage:
      sell <item>
      sell <item> <count>
      sell <count> <item>
      sell all <items>
    """
    order = _order(ctx, args, "Sell what? Type list to see what the shop buys.")
    if isinstance(order, Reply):
        return order
    shop, keeper, said = order
    player = ctx.player
    found = pick_item(ctx, said, player.inventory, "You don't have {what}.")
    if isinstance(found, Reply):
        return found
    item, have = found.thing, player.inventory[found.thing.id]
    if item.id not in shop.buys:
        return Reply.error(f"{keeper} doesn't buy {item.name}. Type list to see what it buys.")
    count = min(have, MAX_COUNT) if said.count is None else said.count
    if have < count:
        return Reply.error(f"You only have {ctx.world.some(item.id, have)}. Nothing was sold.")
    total = shop.buys[item.id] * count
    what = ctx.world.some(item.id, count)
    with ctx.ledger.atomic():
        if total > 0:
            key = ctx.wallet.new_key("s")
            ctx.wallet.credit(player.name, total, Reason.SHOP_SALE, key, what)
        ctx.world.change_pack(player, {item.id: -count})
    left = ctx.wallet.balance(player.name)
    return Reply(Kind.ECONOMY, f"You sell {what} for {tokens(total)}. You have {left} now.")
