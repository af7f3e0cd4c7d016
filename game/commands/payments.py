"""Paying other players, with a confirmation step for large amounts.

A payment is one ledger transfer (``PAYMENT``) through
:class:`~game.services.wallet.Wallet`, so both status bars refresh at once. Large
payments wait for a ``yes`` so a typo in the amount (``pay bob 5000`` for 500) cannot empty a
wallet: the pending payment belongs to the session, expires after a minute, and any other
command cancels it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from economy import InsufficientFunds
from game.commands.base import CommandSpec, Context, Result, command
from game.commands.economy import parse_amount, tokens
from game.core.reply import Kind, Reply

if TYPE_CHECKING:
    from game.engine.game import Game

CONFIRM_WITHIN_MS = 60_000
"""A pending payment older than this is not sent by ``yes``: the player may have forgotten."""
MEMO_MAX = 60


# -- pending payments -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PendingPayment:
    payer: str
    payee: str
    amount: int
    memo: str
    expires_ms: int


class Payments:
    """Payments waiting for ``yes``, one per session. Its :meth:`prelude` runs before every
    command that passed the gates (``Engine.preludes``) and cancels a pending payment when
    the player does anything but ``yes`` or ``pay``; the notice comes before the reply."""

    def __init__(self, game: Game) -> None:
        self.game = game
        self.pending: dict[str, PendingPayment] = {}

    def hold(self, session_id: str, payment: PendingPayment) -> None:
        now = self.game.clock()
        for sid in [s for s, p in self.pending.items() if p.expires_ms <= now]:
            del self.pending[sid]  # sessions that never answered
        self.pending[session_id] = payment

    def take(self, session_id: str) -> PendingPayment | None:
        return self.pending.pop(session_id, None)

    def prelude(self, ctx: Context, spec: CommandSpec) -> list[Reply]:
        if spec.name in ("yes", "pay") or ctx.session.id not in self.pending:
            return []
        sid = ctx.session.id
        payment = self.pending.pop(sid)
        ctx.game.outbox.on_rollback(lambda: self.pending.update({sid: payment}))
        return [Reply(Kind.ECONOMY, _cancelled(payment))]  # the typed command still runs


def _cancelled(p: PendingPayment) -> str:
    return f"Payment of {tokens(p.amount)} to {p.payee} cancelled. Nothing was paid."


def send_payment(game: Game, payment: PendingPayment) -> Reply:
    """Move the tokens now; tell the payee if online."""
    wallet = game.wallet
    try:
        wallet.pay(payment.payer, payment.payee, payment.amount, wallet.new_key("y"), payment.memo)
    except InsufficientFunds:
        have = wallet.balance(payment.payer)
        return Reply.error(
            f"Not enough tokens: paying {payment.amount} to {payment.payee}, you have {have}. "
            "Nothing was paid."
        )
    note = f" ({payment.memo})" if payment.memo else ""
    game.sessions.to_player(
        payment.payee,
        [Reply(Kind.ECONOMY, f"{payment.payer} paid you {tokens(payment.amount)}{note}.")],
    )
    left = wallet.balance(payment.payer)
    return Reply(
        Kind.ECONOMY,
        f"You paid {tokens(payment.amount)} to {payment.payee}{note}. You have {left} left.",
    )


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
    game, player, session = ctx.game, ctx.player, ctx.session
    words = args.split(maxsplit=2)
    if [w.lower() for w in words] in (["confirm"], ["cancel"]):
        payment = game.payments.take(session.id)
        if payment is None:
            return Reply.error("You have no payment waiting for confirmation.")
        if words[0].lower() == "cancel":
            return Reply(Kind.ECONOMY, _cancelled(payment))
        return _confirm(game, payment)
    if len(words) < 2:
        return Reply.error("Usage: pay <name> <amount>, for example: pay bob 5")
    account = game.store.account(words[0])
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
    payment = PendingPayment(player.name, account.name, amount, memo, 0)
    have = game.wallet.balance(player.name)
    if amount > have:
        return Reply.error(
            f"Not enough tokens: paying {amount} to {account.name}, you have {have}. "
            "Nothing was paid."
        )
    limit = game.world.content.economy.pay_confirm_above
    if amount <= limit:
        return send_payment(game, payment)
    if session.kind == "exec":
        return Reply.error(
            f"Payments above {tokens(limit)} need a confirmation: connect without a command "
            "(ssh NAME@HOST) and pay from there. Nothing was paid."
        )
    expires = game.clock() + CONFIRM_WITHIN_MS
    game.payments.hold(session.id, PendingPayment(player.name, account.name, amount, memo, expires))
    return Reply(
        Kind.ECONOMY,
        f"Pay {tokens(amount)} to {account.name}? You have {have}. "
        "Type yes to send it; anything else cancels.",
    )


def _confirm(game: Game, payment: PendingPayment) -> Reply:
    if game.clock() > payment.expires_ms:
        return Reply.error(
            f"That payment to {payment.payee} waited too long and was cancelled. "
            "Nothing was paid; type pay again."
        )
    return send_payment(game, payment)


@command("yes", category="economy")
def yes(ctx: Context, args: str) -> Result:
    """Confirm the payment you were asked about.

    Usage:
      yes
    """
    payment = ctx.game.payments.take(ctx.session.id)
    if payment is None:
        return Reply.error("There is nothing waiting for a yes.")
    return _confirm(ctx.game, payment)
