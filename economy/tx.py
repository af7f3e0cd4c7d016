"""Explicit transactions on an autocommit connection.

The game shares one ``sqlite3.Connection`` (opened with ``isolation_level=None``) between
game state and the ledger, so "run a command, then charge for it" must commit or roll back
as one unit. ``atomic`` opens ``BEGIN IMMEDIATE`` at the outermost level (take the write
lock up front: a deferred transaction that later needs to write can fail with SQLITE_BUSY
in WAL mode without waiting) and a SAVEPOINT when already inside a transaction, so helpers
can nest freely and an inner failure undoes only its own work.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

# SQLite resolves ROLLBACK TO / RELEASE against the most recent savepoint of that name, so
# one constant name is correct for strictly nested (LIFO) use, which a context manager is.
_SAVEPOINT = "economy_atomic"


def require_autocommit(conn: sqlite3.Connection) -> None:
    """Refuse connections in the legacy implicit-transaction mode.

    With the default ``isolation_level=""`` the sqlite3 module silently issues BEGIN before
    DML and nothing commits until someone calls ``commit()``: a charge could sit
    uncommitted (and hold the write lock) indefinitely.
    """
    if conn.isolation_level is not None:
        raise ValueError("open the connection with isolation_level=None (autocommit)")


@contextmanager
def atomic(conn: sqlite3.Connection) -> Iterator[None]:
    """All-or-nothing block: BEGIN IMMEDIATE at the top level, SAVEPOINT when nested.

    Any exception (including KeyboardInterrupt / CancelledError) rolls the block back and
    propagates. A failed COMMIT is rolled back too, so the connection is never left inside
    a half-finished transaction.
    """
    if not conn.in_transaction:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return
    conn.execute(f"SAVEPOINT {_SAVEPOINT}")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute(f"ROLLBACK TO {_SAVEPOINT}")
            conn.execute(f"RELEASE {_SAVEPOINT}")
        raise
    conn.execute(f"RELEASE {_SAVEPOINT}")
