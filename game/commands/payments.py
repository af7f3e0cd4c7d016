"""Paying other players: ``pay`` and ``yes``. The rules (confirmation above a limit, the
pending payment per session) are in :mod:`game.services.payments`."""

from __future__ import annotations

from game.commands.base import Context, Result, command
from game.commands.economy import parse_amount, tokens
from game.core.reply import Kind, Reply
from game.services.payments import cancelled

MEMO_MAX = 60


@command("pay", category="economy")
def pay(ctx: Context, args: str) -> Result:
    """Pay tokens to another player (online or not).

    Usage:
      pay <name> <amount>
      pay <name> <amount> <note>
      pay confirm          (send a large payment waiting for confirmation; same as yes)
      pay cancel

    Payments above a limit set by the world wait for you to type yes; anything else
    cancels them.
    """
    player, session, payments = ctx.player, ctx.session, ctx.payments
    words = args.split(maxsplit=2)
    if [w.lower() for w in words] in (["confirm"], ["cancel"]):
        payment = payments.take(session.id)
        if payment is None:
            return Reply.error("You have no payment waiting for confirmation.")
        if words[0].lower() == "cancel":
            return Reply(Kind.ECONOMY, cancelled(payment))
        return payments.confirm(payment)
    if len(words) < 2:
        return Reply.error("Usage: pay <name> <amount>, for example: pay bob 5")
    account = ctx.store.account(words[0])
    if account is None:
        return Reply.error(f"There is no player called {words[0]!r}. Nothing was paid.")
    if account.name.lower() == player.key:
        return Reply.error("You can't pay yourself.")
    amount = parse_amount(words[1])
    if amount is None:
        return Reply.error(
            f"{words[1]!r} is not an amount: use a whole number of tokens, 1 or more."
        )
    memo = words[2].strip()[:MEMO_MAX] if len(words) > 2 else ""
    have = ctx.wallet.balance(player.name)
    if amount > have:
        return Reply.error(
            f"Not enough tokens: paying {amount} to {account.name}, you have {have}. "
            "Nothing was paid."
        )
    limit = ctx.world.content.economy.pay_confirm_above
    if amount <= limit:
        return payments.send(player.name, account.name, amount, memo)
    if session.kind == "exec":
        return Reply.error(
            f"Payments above {tokens(limit)} need a confirmation: connect without a command "
            "(ssh NAME@HOST) and pay from there. Nothing was paid."
        )
    payments.hold(session.id, player.name, account.name, amount, memo)
    return Reply(
        Kind.ECONOMY,
        f"Pay {tokens(amount)} to {account.name}? You have {have}. "
        "Type yes to send it; anything else cancels.",
    )


@command("yes", category="economy")
def yes(ctx: Context, args: str) -> Result:
    """Confirm the payment you were asked about.

    Usage:
      yes
    """
    payment = ctx.payments.take(ctx.session.id)
    if payment is None:
        return Reply.error("There is nothing waiting for a yes.")
    return ctx.payments.confirm(payment)
