"""The ledger schema: the database itself enforces the money invariants.

Layout follows research/ledger_economy.md section 2 (measured on SQLite 3.40.1):

* ``accounts`` holds posted debits/credits and the balance; CHECKs forbid overdraft (except
  on accounts with ``allow_negative=1``) and tie ``balance`` to the posted counters, so a
  hand-written ``UPDATE accounts SET balance = ...`` is rejected.
* ``transfers`` is the append-only log. An AFTER INSERT trigger posts both legs in the same
  statement, so a transfer either moves money on both sides or does not exist. BEFORE
  UPDATE/DELETE triggers refuse edits; corrections are new reversing transfers.
* ``idem_key`` is UNIQUE; writers use ``ON CONFLICT(idem_key) DO NOTHING`` (never
  ``INSERT OR IGNORE``, which also ignores the overdraft CHECK inside the trigger).

Everything is created with IF NOT EXISTS inside one transaction, so opening an existing
database is a no-op and a crash mid-creation leaves nothing half-built.
"""

from __future__ import annotations

import sqlite3
from typing import Final

from economy.clock import Clock
from economy.errors import LedgerError
from economy.tx import atomic

SCHEMA_VERSION: Final = 1

MINT: Final = "system:mint"
"""Source of every faucet; the only account allowed to go negative (Formance's @world)."""
SINK: Final = "system:sink"
"""Destination of every sink. It only ever receives, so it never needs to go negative;
a reversal of a sink payment can only take back what it received."""
ESCROW: Final = "system:escrow"
"""Holds tokens reserved for an action that may still fail. It may not go negative:
a release or capture can never pay out more than was held, which the CHECK enforces."""

SYSTEM_ACCOUNTS: Final = ((MINT, 1), (SINK, 0), (ESCROW, 0))

MAX_AMOUNT: Final = 10**15
"""Upper bound per transfer: keeps every running sum far from 64-bit overflow (SQLite would
turn an overflowing integer into a REAL, which a STRICT INTEGER column then rejects)."""

GUARD_TRIGGERS: Final = (
    "transfers_post",
    "transfers_reversal_mirrors",
    "transfers_no_update",
    "transfers_no_delete",
    "accounts_no_delete",
    "accounts_immutable",
    "accounts_posted_monotone",
)
"""Triggers the invariants depend on; ``verify`` reports any that has gone missing."""

_DDL: Final = (
    """CREATE TABLE IF NOT EXISTS ledger_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT, WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS accounts (
        id             INTEGER PRIMARY KEY,
        name           TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 3 AND 120),
        kind           TEXT    NOT NULL CHECK (kind IN ('system', 'player')),
        ledger         INTEGER NOT NULL DEFAULT 1,
        allow_negative INTEGER NOT NULL DEFAULT 0 CHECK (allow_negative IN (0, 1)),
        debits_posted  INTEGER NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
        credits_posted INTEGER NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
        balance        INTEGER NOT NULL DEFAULT 0,
        created_at     INTEGER NOT NULL,
        CONSTRAINT balance_matches_posted CHECK (balance = credits_posted - debits_posted),
        CONSTRAINT no_overdraft CHECK (allow_negative = 1 OR balance >= 0)
    ) STRICT""",
    f"""CREATE TABLE IF NOT EXISTS transfers (
        id                INTEGER PRIMARY KEY,
        idem_key          TEXT    NOT NULL UNIQUE CHECK (length(idem_key) BETWEEN 1 AND 200),
        debit_account_id  INTEGER NOT NULL REFERENCES accounts(id),
        credit_account_id INTEGER NOT NULL REFERENCES accounts(id),
        amount            INTEGER NOT NULL CHECK (amount > 0 AND amount <= {MAX_AMOUNT}),
        ledger            INTEGER NOT NULL DEFAULT 1,
        code              INTEGER NOT NULL CHECK (code BETWEEN 100 AND 999),
        ts                INTEGER NOT NULL,
        correlation_id    TEXT,
        memo              TEXT    NOT NULL DEFAULT '' CHECK (length(memo) <= 500),
        reverses          INTEGER REFERENCES transfers(id),
        CHECK (debit_account_id <> credit_account_id),
        CONSTRAINT reversal_code CHECK ((code = 901) = (reverses IS NOT NULL))
    ) STRICT""",
    # amount is in the per-account indexes so balance-at-time and the full reconciliation
    # read only the index (no table lookups); it costs a few bytes per transfer.
    "CREATE INDEX IF NOT EXISTS transfers_ts ON transfers(ts)",
    """CREATE INDEX IF NOT EXISTS transfers_debit_ts
        ON transfers(debit_account_id, ts, amount)""",
    """CREATE INDEX IF NOT EXISTS transfers_credit_ts
        ON transfers(credit_account_id, ts, amount)""",
    # At most one reversal per transfer, enforced by the database (partial: tiny index).
    """CREATE UNIQUE INDEX IF NOT EXISTS transfers_reverses
        ON transfers(reverses) WHERE reverses IS NOT NULL""",
    """CREATE TRIGGER IF NOT EXISTS transfers_post AFTER INSERT ON transfers BEGIN
        UPDATE accounts SET debits_posted = debits_posted + NEW.amount,
                            balance = balance - NEW.amount
         WHERE id = NEW.debit_account_id;
        UPDATE accounts SET credits_posted = credits_posted + NEW.amount,
                            balance = balance + NEW.amount
         WHERE id = NEW.credit_account_id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS transfers_reversal_mirrors BEFORE INSERT ON transfers
    WHEN NEW.reverses IS NOT NULL BEGIN
        SELECT RAISE(ABORT, 'a reversal must mirror a transfer that is not a reversal')
         WHERE NOT EXISTS (
            SELECT 1 FROM transfers o
             WHERE o.id = NEW.reverses AND o.reverses IS NULL AND o.amount = NEW.amount
               AND o.debit_account_id = NEW.credit_account_id
               AND o.credit_account_id = NEW.debit_account_id);
    END""",
    """CREATE TRIGGER IF NOT EXISTS transfers_no_update BEFORE UPDATE ON transfers
    BEGIN SELECT RAISE(ABORT, 'transfers are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS transfers_no_delete BEFORE DELETE ON transfers
    BEGIN SELECT RAISE(ABORT, 'transfers are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS accounts_no_delete BEFORE DELETE ON accounts
    BEGIN SELECT RAISE(ABORT, 'accounts cannot be deleted'); END""",
    """CREATE TRIGGER IF NOT EXISTS accounts_immutable
    BEFORE UPDATE OF id, name, kind, ledger, allow_negative, created_at ON accounts
    BEGIN SELECT RAISE(ABORT, 'account identity is immutable'); END""",
    """CREATE TRIGGER IF NOT EXISTS accounts_posted_monotone
    BEFORE UPDATE OF debits_posted, credits_posted ON accounts
    WHEN NEW.debits_posted < OLD.debits_posted OR NEW.credits_posted < OLD.credits_posted
    BEGIN SELECT RAISE(ABORT, 'posted totals only grow'); END""",
    # Tier state (economy/tiers.py): keyed by account name so a free player's quota can be
    # counted before any token ever moves for them.
    """CREATE TABLE IF NOT EXISTS tiers (
        account       TEXT    PRIMARY KEY,
        premium_until INTEGER,
        quota_day     INTEGER NOT NULL DEFAULT 0,
        quota_used    INTEGER NOT NULL DEFAULT 0 CHECK (quota_used >= 0)
    ) STRICT, WITHOUT ROWID""",
)


def stored_version(conn: sqlite3.Connection) -> int | None:
    """The schema version recorded in the file, or None for a database without a ledger."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ledger_meta'"
    ).fetchone()
    if exists is None:
        return None
    row = conn.execute("SELECT value FROM ledger_meta WHERE key = 'schema_version'").fetchone()
    return None if row is None else int(row[0])


def ensure_schema(conn: sqlite3.Connection, clock: Clock) -> None:
    """Create (or confirm) the schema and the system accounts; idempotent.

    Refuses a file written by a newer schema rather than guessing at it. Statements run
    one by one (not ``executescript``, which would COMMIT a caller's open transaction).
    """
    version = stored_version(conn)
    if version == SCHEMA_VERSION:
        return
    if version is not None and version > SCHEMA_VERSION:
        raise LedgerError(f"ledger schema v{version} is newer than this build (v{SCHEMA_VERSION})")
    with atomic(conn):
        for statement in _DDL:
            conn.execute(statement)
        now = clock()
        conn.executemany(
            "INSERT INTO accounts(name, kind, allow_negative, created_at)"
            " VALUES (?, 'system', ?, ?) ON CONFLICT(name) DO NOTHING",
            [(name, allow_negative, now) for name, allow_negative in SYSTEM_ACCOUNTS],
        )
        conn.execute(
            "INSERT INTO ledger_meta(key, value) VALUES ('schema_version', ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (str(SCHEMA_VERSION),),
        )
