"""Named invariant checks over the ledger, for the reflection cycle and ``ledger verify``.

The schema already refuses every illegal write, so these checks exist to catch what the
database cannot: triggers dropped by hand-written SQL, a file edited by another tool, or a
bug in SQLite itself. Quick checks read only ``accounts`` (one scan; run every cycle);
the full check reconciles every stored counter with the transfer log (run hourly).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from economy.models import Check, VerifyReport
from economy.schema import GUARD_TRIGGERS

_SHOW: Final = 5  # offending names listed in a failed check's detail

_TOTALS: Final = """
SELECT coalesce(SUM(balance), 0), coalesce(SUM(debits_posted), 0),
       coalesce(SUM(credits_posted), 0), coalesce(SUM(allow_negative = 0 AND balance < 0), 0),
       COUNT(*)
  FROM accounts
"""

# Correlated sums over the (account, ts, amount) covering indexes: each account reads only
# its own index range, no table rows and no temporary B-tree. MATERIALIZED stops SQLite
# from flattening the CTE, which would evaluate each subquery twice (WHERE and SELECT).
_MISMATCHES: Final = """
WITH sums AS MATERIALIZED (
  SELECT a.name, a.debits_posted, a.credits_posted,
         (SELECT coalesce(SUM(amount), 0) FROM transfers WHERE debit_account_id = a.id) AS d,
         (SELECT coalesce(SUM(amount), 0) FROM transfers WHERE credit_account_id = a.id) AS c
    FROM accounts a)
SELECT name, debits_posted, d, credits_posted, c FROM sums
 WHERE debits_posted <> d OR credits_posted <> c
"""


def run(conn: sqlite3.Connection, *, full: bool) -> VerifyReport:
    """All checks inside one read transaction, so they see one consistent snapshot."""
    with _snapshot(conn):
        checks = [*_quick(conn)]
        if full:
            checks.append(_reconcile(conn))
    return VerifyReport(checks=tuple(checks), full=full)


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    if conn.in_transaction:  # the caller's transaction already is a snapshot
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


def _quick(conn: sqlite3.Connection) -> Iterator[Check]:
    """The O(accounts) checks; the three sums share one scan and report its time."""
    start = time.perf_counter()
    total, debits, credits, negatives, accounts = conn.execute(_TOTALS).fetchone()
    ms = _ms(start)
    yield Check("sum_zero", total == 0, f"sum of {accounts} balances is {total}", ms)
    yield Check(
        "debits_equal_credits",
        debits == credits,
        f"debits posted {debits}, credits posted {credits}",
        ms,
    )
    detail = "no account below zero without overdraft rights"
    if negatives:
        names = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM accounts WHERE allow_negative = 0 AND balance < 0 LIMIT ?",
                (_SHOW,),
            )
        ]
        detail = f"{negatives} accounts below zero, e.g. {', '.join(names)}"
    yield Check("no_illegal_negative", negatives == 0, detail, ms)
    start = time.perf_counter()
    present = {
        name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    missing = [name for name in GUARD_TRIGGERS if name not in present]
    detail = "all guard triggers present" if not missing else f"missing: {', '.join(missing)}"
    yield Check("guards_present", not missing, detail, _ms(start))


def _reconcile(conn: sqlite3.Connection) -> Check:
    """Stored debits/credits of every account equal the sums over the transfer log."""
    start = time.perf_counter()
    bad = conn.execute(_MISMATCHES).fetchall()
    transfers = conn.execute("SELECT COUNT(*) FROM transfers").fetchone()[0]
    ms = _ms(start)
    if not bad:
        return Check("log_matches", True, f"every account matches {transfers} transfers", ms)
    shown = "; ".join(
        f"{name} debits {dp}/{d} credits {cp}/{c}" for name, dp, d, cp, c in bad[:_SHOW]
    )
    return Check("log_matches", False, f"{len(bad)} accounts differ (stored/log): {shown}", ms)


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0
