"""The auditable token ledger: double-entry transfers in SQLite, reason codes and tiers.

Imports nothing from ``game/``: the game depends on this package, never the reverse.
"""

from __future__ import annotations

from economy.clock import Clock, system_clock
from economy.errors import (
    AlreadyReversed,
    IdempotencyConflict,
    InsufficientFunds,
    LedgerError,
    UnknownAccount,
    UnknownTransfer,
)
from economy.ledger import Ledger
from economy.models import Check, Entry, Leg, Transfer, VerifyReport
from economy.reasons import Reason, is_faucet, is_p2p, is_sink
from economy.schema import ESCROW, MINT, SINK
from economy.tiers import Tiers

__all__ = [
    "ESCROW",
    "MINT",
    "SINK",
    "AlreadyReversed",
    "Check",
    "Clock",
    "Entry",
    "IdempotencyConflict",
    "InsufficientFunds",
    "Ledger",
    "LedgerError",
    "Leg",
    "Reason",
    "Tiers",
    "Transfer",
    "UnknownAccount",
    "UnknownTransfer",
    "VerifyReport",
    "is_faucet",
    "is_p2p",
    "is_sink",
    "system_clock",
]
