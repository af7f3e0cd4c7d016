"""Tokens in play: balance, history, premium, and the admin's ``set_tier``.

Every token movement is one ledger transfer through :class:`~game.services.wallet.Wallet`, so it has
a reason code, an idempotency key and a live status-bar refresh. Paying other players is in
:mod:`game.commands.payments`.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from economy import Reason, UnknownAccount
from game.commands.base import Context, Result, command
from game.core.numbers import BadNumber, whole_number
from game.core.outbox import StatusChanged
from game.core.reply import Kind, Reply
from game.core.text import clean
from game.services.wallet import account_of

if TYPE_CHECKING:
    from game.engine.game import Game

DAY_MS = 86_400_000
MAX_AMOUNT_DIGITS = 12
HISTORY_DEFAULT, HISTORY_MAX = 10, 50


def tokens(n: int) -> str:
    return f"{n} token{'s' if n != 1 else ''}"


def utc(ms: int) -> str:
    """A timestamp as screen readers read it well: ``2026-11-25 06:40 UTC``."""
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(ms / 1000))


def parse_amount(word: str) -> int | None:
    """A positive whole number of tokens, or None (``-3``, ``1.5``, ``1e9``, ``0``, ``٣``)."""
    try:
        return whole_number(word, high=10**MAX_AMOUNT_DIGITS - 1, what="amount")
    except BadNumber:
        return None


def refresh_status(game: Game, name: str) -> None:
    """A fresh status bar for ``name`` when the step commits (tier changes move no tokens)."""
    game.outbox.put(StatusChanged(name))


# -- reading ---------------------------------------------------------------------------------
@command("balance", "tokens", category="economy")
def balance(ctx: Context, args: str) -> Result:
    """Show your tokens, your tier and the priced actions you have left today.

    Usage:
      balance
    """
    game, name = ctx.game, ctx.player.name
    have = game.wallet.balance(name)
    left = game.wallet.quota_left(name)
    if left is None:
        until = game.tiers.premium_until(name.lower()) or 0
        tier = f"You are premium until {utc(until)}: no daily limit."
    else:
        quota = game.world.content.economy.free_daily_quota
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
    game, name = ctx.game, ctx.player.name
    try:
        entries = game.ledger.history(account_of(name), limit)
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
def extend_premium(game: Game, name: str, days: int) -> int:
    """Premium for ``days`` more, counted from the later of now and the current end."""
    key = name.lower()
    start = max(game.clock(), game.tiers.premium_until(key) or 0)
    until = start + days * DAY_MS
    game.tiers.set_premium(key, until)
    return until


def set_tier(game: Game, name: str, tier: str, days: int | None = None) -> str:
    """Set a player's tier by hand (the admin console): ``premium`` for ``days`` from now,
    or ``free``. Moves no tokens. Raises ValueError with a sentence for bad input."""
    account = game.store.account(name)
    if account is None:
        raise ValueError(f"There is no player called {name!r}.")
    if tier == "free":
        game.tiers.clear_premium(account.name.lower())
        message = f"{account.name} is now on the free tier."
    elif tier == "premium":
        if days is None or days < 1:
            raise ValueError("Premium needs a number of days, 1 or more.")
        until = game.clock() + days * DAY_MS
        game.tiers.set_premium(account.name.lower(), until)
        message = f"{account.name} is premium until {utc(until)}."
    else:
        raise ValueError(f"Unknown tier {tier!r}: use free or premium.")
    refresh_status(game, account.name)
    return message


@command("premium", category="economy")
def premium(ctx: Context, args: str) -> Result:
    """See your tier, or buy premium with tokens (no daily limit on priced actions).

    Usage:
      premium
      premium status
      premium buy
    """
    game, name = ctx.game, ctx.player.name
    rules = game.world.content.economy
    price, days = rules.premium_price, rules.premium_days
    word = args.strip().lower()
    if word in ("", "status"):
        if game.wallet.tier(name) == "premium":
            until = game.tiers.premium_until(name.lower()) or 0
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
    have = game.wallet.balance(name)
    if have < price:
        return Reply.error(
            f"Not enough tokens: premium costs {price}, you have {have}. Nothing was charged."
        )
    with game.ledger.atomic():
        until = extend_premium(game, name, days)  # first, so the charge's refresh shows it
        if price > 0:
            key = game.wallet.new_key("p")
            game.wallet.charge(name, price, Reason.PREMIUM_PURCHASE, key, f"{days} days")
    refresh_status(game, name)
    return Reply(
        Kind.ECONOMY,
        f"You are premium until {utc(until)}. Charged {tokens(price)}; "
        f"you have {game.wallet.balance(name)} left.",
    )
