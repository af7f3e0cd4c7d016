"""The game's face of the ledger: canonical account names, short idempotency keys, and a
live status bar after every balance change.

Every token movement in the game goes through here, so each one is a ledger transfer with
a reason code, and the player's TUI status bar updates the moment it lands.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from bridge.events import TokensCharged, TokensCredited
from economy import (
    ESCROW,
    MINT,
    SINK,
    InsufficientFunds,
    Ledger,
    Reason,
    Tiers,
    Transfer,
    UnknownAccount,
)
from game.core.outbox import Outbox
from game.core.reply import Kind, Reply


def account_of(name: str) -> str:
    """Ledger account names are exact strings; players are case-insensitive."""
    return f"player:{name.lower()}"


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


class Wallet:
    """Balances, tiers and quotas read; credits, charges and payments written, each one
    ledger transfer that refreshes the status bar and publishes an event on commit.
    ``free_quota`` reads the content's daily quota (it changes on a reload)."""

    def __init__(
        self,
        ledger: Ledger,
        tiers: Tiers,
        outbox: Outbox,
        clock: Callable[[], int],
        free_quota: Callable[[], int],
    ) -> None:
        self.ledger = ledger
        self.tiers = tiers
        self.outbox = outbox
        self.clock = clock
        self.free_quota = free_quota
        self._seq = itertools.count()

    def new_key(self, prefix: str) -> str:
        """A key no other action shares: clock ms and a counter, in base 36 (~12 chars)."""
        return f"{prefix}{_b36(self.clock())}{_b36(next(self._seq) % 1296)}"

    # -- reads -------------------------------------------------------------------------------------
    def balance(self, name: str) -> int:
        """A player's tokens; 0 before their first transfer (no ledger account yet)."""
        try:
            return self.ledger.balance(account_of(name))
        except UnknownAccount:
            return 0

    def tier(self, name: str) -> str:
        return self.tiers.tier(name.lower())

    def quota_left(self, name: str) -> int | None:
        """Priced actions left today; None for premium players (no quota)."""
        if self.tier(name) == "premium":
            return None
        return self.tiers.quota_left(name.lower(), self.free_quota())

    # -- writes ------------------------------------------------------------------------------------
    def credit(
        self, name: str, amount: int, reason: Reason, key: str, memo: str = "", *, said: str = ""
    ) -> Transfer:
        """Mint ``amount`` to a player (a faucet). Replaying ``key`` changes nothing.

        ``said`` is the reason the published event carries, when the caller has a better
        one than the reason code's label (a plugin's own reason, say).
        """
        self.ledger.account(account_of(name))
        done = self.ledger.transfer(MINT, account_of(name), amount, reason, key, memo=memo)
        self.changed(name, done, +amount, said)
        return done

    def charge(
        self, name: str, amount: int, reason: Reason, key: str, memo: str = "", *, said: str = ""
    ) -> Transfer:
        """Burn ``amount`` from a player (a sink); raises InsufficientFunds, changing nothing."""
        self.ledger.account(account_of(name))
        done = self.ledger.transfer(account_of(name), SINK, amount, reason, key, memo=memo)
        self.changed(name, done, -amount, said)
        return done

    def pay(self, payer: str, payee: str, amount: int, key: str, memo: str = "") -> Transfer:
        self.ledger.account(account_of(payer))
        self.ledger.account(account_of(payee))
        done = self.ledger.transfer(
            account_of(payer), account_of(payee), amount, Reason.PAYMENT, key, memo=memo
        )
        self.changed(payer, done, -amount)
        self.changed(payee, done, +amount)
        return done

    def to_escrow(
        self, name: str, amount: int, reason: Reason, key: str, memo: str = ""
    ) -> Transfer:
        """Hold ``amount`` of a player's tokens in ``system:escrow`` (raises
        InsufficientFunds, changing nothing). The ledger does not know which hold a later
        :meth:`from_escrow` pays out: the caller resolves each hold once (the mail service
        guards it with its own row)."""
        self.ledger.account(account_of(name))
        done = self.ledger.transfer(account_of(name), ESCROW, amount, reason, key, memo=memo)
        self.changed(name, done, -amount)
        return done

    def from_escrow(
        self, name: str, amount: int, reason: Reason, key: str, memo: str = ""
    ) -> Transfer:
        """Pay held tokens out of ``system:escrow`` to a player."""
        self.ledger.account(account_of(name))
        done = self.ledger.transfer(ESCROW, account_of(name), amount, reason, key, memo=memo)
        self.changed(name, done, +amount)
        return done

    # -- priced commands ---------------------------------------------------------------------------
    def refusal(self, name: str, command: str, price: int) -> Reply | None:
        """Why ``name`` may not run a priced command now, or None. Checked before it runs."""
        left = self.quota_left(name)
        if left is not None and left <= 0:
            quota = self.free_quota()
            return Reply.error(
                f"You have used all {quota} priced actions for today. They come back at "
                "midnight UTC, or go premium for no limit (type premium)."
            )
        have = self.balance(name)
        if have < price:
            return Reply.error(
                f"Not enough tokens: `{command}` costs {price}, you have {have}. "
                "Nothing was charged."
            )
        return None

    def charge_command(self, name: str, command: str, price: int) -> Reply:
        """Charge a command's price and count it against the quota (inside its transaction)."""
        left = self.quota_left(name)
        if left is not None:  # count first, so the status bar shows it
            self.tiers.use_quota(name.lower())
        self.charge(name, price, Reason.COMMAND_PRICE, self.new_key("c"), command)
        text = f"Charged {price} token{'s' if price != 1 else ''} for {command}"
        if left is None:
            return Reply(Kind.ECONOMY, f"{text}.")
        quota = self.free_quota()
        used = quota - left + 1
        return Reply(
            Kind.ECONOMY,
            f"{text} ({used} of your {quota} daily priced actions used; type help priced).",
        )

    def changed(self, name: str, transfer: Transfer, delta: int, said: str = "") -> None:
        """Refresh the player's status bar and tell listeners (bridge, activity log)."""
        if transfer.duplicate:
            return
        self.outbox.status_changed(name)  # recomputed once when the step commits
        kind = TokensCredited if delta > 0 else TokensCharged
        self.outbox.publish(
            kind(
                ts=float(self.clock()),
                player=name,
                amount=abs(delta),
                reason=said or transfer.reason.label,
                balance=self.balance(name),
                transfer_id=str(transfer.id),
            )
        )


__all__ = ["InsufficientFunds", "Wallet", "account_of"]
