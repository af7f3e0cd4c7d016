"""Errors the ledger raises.

Every error is a ``LedgerError`` so a game command can catch one type and turn it into a
player-facing reply; the subclasses carry the facts a reply (or an admin) needs.
"""

from __future__ import annotations


class LedgerError(Exception):
    """Base class: something the ledger refused to do. Nothing was written."""


class UnknownAccount(LedgerError):
    """The named account does not exist (transfers never create accounts implicitly)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown account {name!r}")
        self.name = name


class UnknownTransfer(LedgerError):
    """No transfer has this id (raised by ``Ledger.reverse``)."""

    def __init__(self, transfer_id: int) -> None:
        super().__init__(f"unknown transfer #{transfer_id}")
        self.transfer_id = transfer_id


class InsufficientFunds(LedgerError):
    """The debit would take an account without overdraft rights below zero."""

    def __init__(self, account: str, balance: int, amount: int) -> None:
        super().__init__(f"{account} has {balance}, needs {amount}")
        self.account = account
        self.balance = balance
        self.amount = amount


class IdempotencyConflict(LedgerError):
    """The idempotency key was already used for a transfer with different fields.

    Mirrors TigerBeetle's ``exists_with_different_*``: a retry must resend exactly the
    same request, so a mismatch is a caller bug (a reused or colliding key), never a retry.
    """

    def __init__(self, idem_key: str, differences: list[str]) -> None:
        super().__init__(f"idem_key {idem_key!r} already used with different {differences}")
        self.idem_key = idem_key
        self.differences = differences


class AlreadyReversed(LedgerError):
    """The transfer was already reversed (or is itself a reversal): one correction only."""

    def __init__(self, transfer_id: int, detail: str) -> None:
        super().__init__(f"transfer #{transfer_id}: {detail}")
        self.transfer_id = transfer_id
