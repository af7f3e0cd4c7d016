"""SQL shared by the ledger's read and write paths, argument checks and row mapping."""

from __future__ import annotations

import sqlite3
from typing import Any, Final

from economy.models import Leg, Transfer
from economy.reasons import Reason
from economy.schema import MAX_AMOUNT

# Account names are resolved inside the INSERT (a join on the UNIQUE name index), so there is
# no Python-side id cache that a rolled-back account creation could leave stale. An unknown
# name yields zero rows, exactly like a duplicate key; the caller tells the two apart.
# (The WHERE clause also settles SQLite's INSERT ... SELECT ... ON CONFLICT parse ambiguity.)
INSERT_TRANSFER: Final = """
INSERT INTO transfers(idem_key, debit_account_id, credit_account_id, amount, code, ts,
                      correlation_id, memo, reverses)
SELECT :idem_key, d.id, c.id, :amount, :code, :ts, :correlation_id, :memo, :reverses
  FROM accounts d, accounts c
 WHERE d.name = :debit AND c.name = :credit
ON CONFLICT(idem_key) DO NOTHING
"""
INSERT_TRANSFER_RETURNING: Final = INSERT_TRANSFER + "RETURNING id"

_SELECT_TRANSFER: Final = """
SELECT t.id, t.idem_key, d.name, c.name, t.amount, t.code, t.ts, t.correlation_id, t.memo,
       t.reverses
  FROM transfers t
  JOIN accounts d ON d.id = t.debit_account_id
  JOIN accounts c ON c.id = t.credit_account_id
"""
SELECT_BY_KEY: Final = _SELECT_TRANSFER + " WHERE t.idem_key = ?"
SELECT_BY_ID: Final = _SELECT_TRANSFER + " WHERE t.id = ?"
SELECT_AFTER_ID: Final = _SELECT_TRANSFER + " WHERE t.id > ? ORDER BY t.id"
SELECT_REVERSAL_OF: Final = "SELECT id FROM transfers WHERE reverses = ?"


def insert_params(leg: Leg, ts: int, reverses: int | None = None) -> dict[str, Any]:
    """Named parameters for ``INSERT_TRANSFER`` (``RETURNING`` for single writes; the
    batch path uses ``executemany`` without it and counts ``rowcount``)."""
    return {
        "idem_key": leg.idem_key,
        "debit": leg.debit,
        "credit": leg.credit,
        "amount": leg.amount,
        "code": int(leg.reason),
        "ts": ts,
        "correlation_id": leg.correlation_id,
        "memo": leg.memo,
        "reverses": reverses,
    }


def to_transfer(row: tuple[Any, ...], *, duplicate: bool = False) -> Transfer:
    """Map a ``_SELECT_TRANSFER`` row."""
    tid, key, debit, credit, amount, code, ts, correlation_id, memo, reverses = row
    return Transfer(
        id=tid,
        idem_key=key,
        debit=debit,
        credit=credit,
        amount=amount,
        reason=Reason(code),
        ts=ts,
        correlation_id=correlation_id,
        memo=memo,
        reverses=reverses,
        duplicate=duplicate,
    )


def differences(stored: Transfer, leg: Leg, reverses: int | None) -> list[str]:
    """Fields where a retry differs from what is stored under the same key."""
    pairs: dict[str, tuple[object, object]] = {
        "debit": (stored.debit, leg.debit),
        "credit": (stored.credit, leg.credit),
        "amount": (stored.amount, leg.amount),
        "reason": (stored.reason, leg.reason),
        "correlation_id": (stored.correlation_id, leg.correlation_id),
        "memo": (stored.memo, leg.memo),
        "reverses": (stored.reverses, reverses),
    }
    return [name for name, (a, b) in pairs.items() if a != b]


def load(conn: sqlite3.Connection, sql: str, arg: object) -> Transfer | None:
    """One transfer by key or id (``SELECT_BY_KEY`` / ``SELECT_BY_ID``), or None."""
    row = conn.execute(sql, (arg,)).fetchone()
    return None if row is None else to_transfer(row)


def account_id(conn: sqlite3.Connection, name: str) -> int | None:
    row = conn.execute("SELECT id FROM accounts WHERE name = ?", (name,)).fetchone()
    return None if row is None else int(row[0])


def validate(leg: Leg, reverses: int | None) -> None:
    """Reject bad arguments before SQL sees them (clear errors, no wasted statements)."""
    amount = leg.amount
    if type(amount) is not int or not 0 < amount <= MAX_AMOUNT:
        raise ValueError(f"amount must be an int in 1..{MAX_AMOUNT}, got {amount!r}")
    if not isinstance(leg.reason, Reason):
        raise ValueError(f"reason must be a Reason, got {leg.reason!r}")
    if (leg.reason is Reason.REVERSAL) != (reverses is not None):
        raise ValueError("REVERSAL transfers are written by Ledger.reverse only")
    if not isinstance(leg.idem_key, str) or not 0 < len(leg.idem_key) <= 200:
        raise ValueError("idem_key must be a non-empty string of at most 200 characters")
    if leg.debit == leg.credit:
        raise ValueError("debit and credit must be different accounts")
    if len(leg.memo) > 500:
        raise ValueError("memo is limited to 500 characters")
