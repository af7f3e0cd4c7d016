"""Reads derived from the transfer log: balance at a past time and an account's history.

Both use the ``(account, ts, amount)`` indexes, so they touch only the account's own
entries (a past balance reads the index alone, no table rows).
"""

from __future__ import annotations

import sqlite3
from typing import Final

from economy.errors import UnknownAccount
from economy.models import Entry
from economy.reasons import Reason

_BALANCE_AT: Final = """
SELECT coalesce((SELECT SUM(amount) FROM transfers
                  WHERE credit_account_id = a.id AND ts <= :at), 0)
     - coalesce((SELECT SUM(amount) FROM transfers
                  WHERE debit_account_id = a.id AND ts <= :at), 0)
  FROM accounts a
 WHERE a.name = :name
"""

# Each branch takes its own newest N through its index before the merge, so the cost is
# O(limit) even for the mint, which appears in millions of transfers.
_HISTORY: Final = """
SELECT h.id, h.ts, h.signed, o.name, h.code, h.memo, h.correlation_id, h.idem_key
  FROM (SELECT * FROM (SELECT id, ts, -amount AS signed, credit_account_id AS other, code,
                              memo, correlation_id, idem_key
                         FROM transfers WHERE debit_account_id = :id
                        ORDER BY ts DESC, id DESC LIMIT :n)
        UNION ALL
        SELECT * FROM (SELECT id, ts, amount AS signed, debit_account_id AS other, code,
                              memo, correlation_id, idem_key
                         FROM transfers WHERE credit_account_id = :id
                        ORDER BY ts DESC, id DESC LIMIT :n)) h
  JOIN accounts o ON o.id = h.other
 ORDER BY h.ts DESC, h.id DESC
 LIMIT :n
"""


def balance_at(conn: sqlite3.Connection, name: str, at: int) -> int:
    """Sum of credits minus sum of debits with ``ts <= at``: the balance as of that instant."""
    row = conn.execute(_BALANCE_AT, {"at": at, "name": name}).fetchone()
    if row is None:
        raise UnknownAccount(name)
    return int(row[0])


def account_history(conn: sqlite3.Connection, name: str, limit: int) -> list[Entry]:
    """Newest-first entries for one account (ties on ``ts`` broken by commit order)."""
    if limit < 0:
        raise ValueError("limit must be >= 0")
    found = conn.execute("SELECT id FROM accounts WHERE name = ?", (name,)).fetchone()
    if found is None:
        raise UnknownAccount(name)
    cursor = conn.execute(_HISTORY, {"id": found[0], "n": limit})
    return [
        Entry(
            transfer_id=tid,
            ts=ts,
            amount=signed,
            counterparty=other,
            reason=Reason(code),
            memo=memo,
            correlation_id=correlation_id,
            idem_key=key,
        )
        for tid, ts, signed, other, code, memo, correlation_id, key in cursor
    ]
