"""CSV export of the whole log: what ``sshrealm ledger export --csv`` prints.

Streams rows straight from a cursor (constant memory at millions of transfers) with names
and labels resolved, so the file can be audited in a spreadsheet without the database.
"""

from __future__ import annotations

import csv
import sqlite3
from typing import Final, TextIO

from economy.reasons import label

HEADER: Final = (
    "id",
    "ts",
    "idem_key",
    "debit",
    "credit",
    "amount",
    "code",
    "reason",
    "correlation_id",
    "memo",
    "reverses",
)

_ROWS: Final = """
SELECT t.id, t.ts, t.idem_key, d.name, c.name, t.amount, t.code, t.correlation_id, t.memo,
       t.reverses
  FROM transfers t
  JOIN accounts d ON d.id = t.debit_account_id
  JOIN accounts c ON c.id = t.credit_account_id
 ORDER BY t.id
"""


def write_csv(conn: sqlite3.Connection, out: TextIO) -> int:
    """Write the header and one row per transfer in commit order; returns the row count.

    Reads inside one transaction so the export is a consistent snapshot even while the
    game keeps writing on another connection. Memos are player-visible text: the csv
    module quotes them, and a leading ``=``/``+``/``-``/``@`` is prefixed with ``'`` so a
    spreadsheet never runs a memo as a formula.
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    count = 0
    own_txn = not conn.in_transaction
    if own_txn:
        conn.execute("BEGIN")
    try:
        for tid, ts, key, debit, credit, amount, code, corr, memo, reverses in conn.execute(_ROWS):
            writer.writerow(
                (
                    tid,
                    ts,
                    key,
                    debit,
                    credit,
                    amount,
                    code,
                    label(code),
                    corr or "",
                    _cell(memo),
                    "" if reverses is None else reverses,
                )
            )
            count += 1
    finally:
        if own_txn and conn.in_transaction:
            conn.execute("COMMIT")
    return count


def _cell(text: str) -> str:
    """Neutralise spreadsheet formula injection in free text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
