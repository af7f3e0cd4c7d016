"""Payments between players, with a confirmation step for large amounts.

A payment is one ledger transfer (``PAYMENT``) through
:class:`~game.services.wallet.Wallet`, so both status bars refresh at once. Large payments
wait for a ``yes`` so a typo in the amount (``pay bob 5000`` for 500) cannot empty a
wallet: the pending payment belongs to the session, expires after a minute, and any other
command cancels it (:meth:`Payments.prelude`, an engine prelude).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from economy import InsufficientFunds
from game.core.outbox import Outbox
from game.core.reply import Kind, Reply
from game.core.text import plural
from game.services.attempt import Attempt
from game.services.wallet import Wallet

CONFIRM_WITHIN_MS = 60_000
"""A pending payment older than this is not sent by ``yes``: the player may have forgotten."""


@dataclass(frozen=True, slots=True)
class PendingPayment:
    payer: str
    payee: str
    amount: int
    memo: str
    expires_ms: int


class Payments:
    """Sends payments, and holds those waiting for ``yes``, one per session."""

    def __init__(self, wallet: Wallet, outbox: Outbox, clock: Callable[[], int]) -> None:
        self.wallet = wallet
        self.outbox = outbox
        self.clock = clock
        self.pending: dict[str, PendingPayment] = {}

    def hold(self, session_id: str, payer: str, payee: str, amount: int, memo: str) -> None:
        now = self.clock()
        for sid in [s for s, p in self.pending.items() if p.expires_ms <= now]:
            del self.pending[sid]  # sessions that never answered
        self.pending[session_id] = PendingPayment(
            payer, payee, amount, memo, now + CONFIRM_WITHIN_MS
        )

    def take(self, session_id: str) -> PendingPayment | None:
        return self.pending.pop(session_id, None)

    def prelude(self, attempt: Attempt) -> list[Reply]:
        """Anything but ``yes`` or ``pay`` cancels the session's pending payment; the notice
        comes before the command's reply, and the typed command still runs."""
        sid = attempt.session_id
        if attempt.command in ("yes", "pay") or sid not in self.pending:
            return []
        payment = self.pending.pop(sid)
        self.outbox.on_rollback(lambda: self.pending.update({sid: payment}))
        return [Reply(Kind.ECONOMY, cancelled(payment))]

    def confirm(self, payment: PendingPayment) -> Reply:
        """Send a payment that waited for ``yes``, unless it waited too long."""
        if self.clock() > payment.expires_ms:
            return Reply.error(
                f"That payment to {payment.payee} waited too long and was cancelled. "
                "Nothing was paid; type pay again."
            )
        return self.send(payment.payer, payment.payee, payment.amount, payment.memo)

    def send(self, payer: str, payee: str, amount: int, memo: str) -> Reply:
        """Move the tokens now; tell the payee if online."""
        wallet = self.wallet
        try:
            wallet.pay(payer, payee, amount, wallet.new_key("y"), memo)
        except InsufficientFunds:
            have = wallet.balance(payer)
            return Reply.error(
                f"Not enough tokens: paying {amount} to {payee}, you have {have}. Nothing was paid."
            )
        note = f" ({memo})" if memo else ""
        self.outbox.tell(
            payee, Reply(Kind.ECONOMY, f"{payer} paid you {plural(amount, 'token')}{note}.")
        )
        left = wallet.balance(payer)
        return Reply(
            Kind.ECONOMY,
            f"You paid {plural(amount, 'token')} to {payee}{note}. You have {left} left.",
        )


def cancelled(p: PendingPayment) -> str:
    return f"Payment of {plural(p.amount, 'token')} to {p.payee} cancelled. Nothing was paid."
