"""Tokens in play: balance, history and premium.

Every token movement is one ledger transfer through :class:`~game.services.wallet.Wallet`,
so it has a reason code, an idempotency key and a live status-bar refresh. Paying other
players is in :mod:`game.commands.payments`; tiers in :mod:`game.services.premium`.
"""

from __future__ import annotations

from economy import Reason, UnknownAccount
from game.commands.base import Context, Result, command
from game.core.numbers import BadNumber, whole_number
from game.core.reply import Kind, Reply
from game.core.text import clean, utc
from game.services.wallet import account_of

MAX_AMOUNT_DIGITS = 12
HISTORY_DEFAULT, HISTORY_MAX = 10, 50


def tokens(n: int) -> str:
    return f"{n} token{'s' if n != 1 else ''}"


def parse_amount(word: str) -> int | None:
    """A positive whole number of tokens, or None (``-3``, ``1.5``, ``1e9``, ``0``, ``٣``)."""
    try:
        return whole_number(word, high=10**MAX_AMOUNT_DIGITS - 1, what="amount")
    except BadNumber:
        return None


# -- reading ---------------------------------------------------------------------------------
@command("balance", "tokens", category="economy")
def balance(ctx: Context, args: str) -> Result:
    """Show your tokens, your tier and the priced actions you have left today.

    Usage:
      balance
    """
    name = ctx.player.name
    have = ctx.wallet.balance(name)
    left = ctx.wallet.quota_left(name)
    if left is None:
        until = ctx.premium.until(name)
        tier = f"You are premium until {utc(until)}: no daily limit."
    else:
        quota = ctx.world.content.economy.free_daily_quota
        tier = f"You are on the free tier: {left} of {quota} priced actions left today."
    return Reply(Kind.ECONOMY, f"You have {tokens(have)}.\n{tier}")


def _describe(reason: Reason, amount: int, counterparty: str, memo: str) -> str:
    other = counterparty.split(":", 1)[-1]
    if reason is Reason.PAYMENT:
        text = f"payment {'from' if amount > 0 else 'to'} {other}"
    else:
        text = reason.label
    memo = clean(memo)  # memos come from players and plugins (bridge grants)
    return f"{text}: {memo}" if memo else text


@command("history", category="economy")
def history(ctx: Context, args: str) -> Result:
    """List your latest token transfers, newest first.

    Usage:
      history
      history <count>      (up to 50)
    """
    limit = HISTORY_DEFAULT
    if args:
        wanted = parse_amount(args.strip())
        if wanted is None:
            return Reply.error("Usage: history <count>, for example: history 20")
        limit = min(wanted, HISTORY_MAX)
    name = ctx.player.name
    try:
        entries = ctx.ledger.history(account_of(name), limit)
    except UnknownAccount:
        entries = []
    if not entries:
        return Reply(Kind.ECONOMY, "No transfers yet.")
    lines = [f"Your last {len(entries)} transfer{'s' if len(entries) != 1 else ''}, newest first:"]
    for e in entries:
        lines.append(
            f"{utc(e.ts)}, {e.amount:+d}, {_describe(e.reason, e.amount, e.counterparty, e.memo)}"
        )
    return Reply(Kind.ECONOMY, "\n".join(lines))


# -- premium ---------------------------------------------------------------------------------
@command("premium", category="economy")
def premium(ctx: Context, args: str) -> Result:
    """See your tier, or buy premium with tokens (no daily limit on priced actions).

    Usage:
      premium
      premium status
      premium buy
    """
    name = ctx.player.name
    rules = ctx.world.content.economy
    price, days = rules.premium_price, rules.premium_days
    word = args.strip().lower()
    if word in ("", "status"):
        if ctx.wallet.tier(name) == "premium":
            until = ctx.premium.until(name)
            return Reply(
                Kind.ECONOMY,
                f"You are premium until {utc(until)}. "
                f"premium buy adds {days} days for {tokens(price)}.",
            )
        return Reply(
            Kind.ECONOMY,
            f"You are on the free tier. Premium costs {tokens(price)} for {days} days "
            "and removes the daily limit: type premium buy.",
        )
    if word != "buy":
        return Reply.error("Usage: premium, premium status or premium buy")
    have = ctx.wallet.balance(name)
    if have < price:
        return Reply.error(
            f"Not enough tokens: premium costs {price}, you have {have}. Nothing was charged."
        )
    with ctx.ledger.atomic():
        until = ctx.premium.extend(name, days)
        if price > 0:
            key = ctx.wallet.new_key("p")
            ctx.wallet.charge(name, price, Reason.PREMIUM_PURCHASE, key, f"{days} days")
    return Reply(
        Kind.ECONOMY,
        f"You are premium until {utc(until)}. Charged {tokens(price)}; "
        f"you have {ctx.wallet.balance(name)} left.",
    )
