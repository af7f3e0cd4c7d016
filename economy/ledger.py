"""The token ledger: double-entry transfers between named accounts in SQLite.

The database enforces the invariants (see ``economy/schema.py``); this class is the only
writer, validates arguments, turns SQLite errors into ``LedgerError`` subclasses and
implements the idempotency contract: a transfer is identified by its ``idem_key``, a retry
with identical fields returns the stored transfer (``duplicate=True``) and a reuse with
different fields raises ``IdempotencyConflict``.

The connection belongs to the caller (the game shares one connection for game state and
ledger so a command and its charge commit together) and must be in autocommit mode
(``isolation_level=None``); group work with ``atomic()``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path
from typing import Final, TextIO

from economy import rows, verify
from economy.clock import Clock
from economy.errors import (
    AlreadyReversed,
    IdempotencyConflict,
    InsufficientFunds,
    LedgerError,
    UnknownAccount,
    UnknownTransfer,
)
from economy.export import write_csv
from economy.history import account_history, balance_at
from economy.models import Entry, Leg, Transfer, VerifyReport
from economy.reasons import Reason
from economy.schema import MINT, SINK, ensure_schema
from economy.tx import atomic, require_autocommit

_NAME: Final = re.compile(r"(?P<kind>system|player):[A-Za-z0-9_.:@-]{1,100}")
_SYNCHRONOUS: Final = ("OFF", "NORMAL", "FULL", "EXTRA")


class _Diagnosed(Exception):
    """Internal: unwinds the dry run in ``transfer_batch`` after it found nothing wrong."""


class Ledger:
    """Double-entry token ledger over a caller-owned ``sqlite3.Connection``."""

    def __init__(self, conn: sqlite3.Connection, clock: Clock) -> None:
        require_autocommit(conn)
        self.conn = conn
        self.clock = clock
        ensure_schema(conn, clock)

    @classmethod
    def open(
        cls,
        path: str | Path,
        clock: Clock,
        synchronous: str = "NORMAL",
        *,
        cache_mib: int = 64,
        busy_timeout_ms: int = 5000,
    ) -> Ledger:
        """Open (or create) a ledger file with the settings the research measured.

        WAL lets readers (reports in a thread) run beside the writer; NORMAL is durable
        against process crashes and loses at most the last commits on power loss, FULL also
        survives power loss at ~3x the cost per single-transfer commit. The 64 MiB page cache
        keeps the UNIQUE key and index B-trees hot once the file outgrows the 2 MB default.
        """
        mode = synchronous.upper()
        if mode not in _SYNCHRONOUS:
            raise ValueError(f"synchronous must be one of {_SYNCHRONOUS}")
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {mode}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute(f"PRAGMA cache_size = {-1024 * int(cache_mib)}")
        return cls(conn, clock)

    def close(self) -> None:
        """Close the connection (for ledgers made by ``open``)."""
        self.conn.close()

    def atomic(self) -> AbstractContextManager[None]:
        """All-or-nothing block: BEGIN IMMEDIATE at the top level, SAVEPOINT when nested."""
        return atomic(self.conn)

    # -- accounts ---------------------------------------------------------------------------

    def account(self, name: str, kind: str = "player") -> int:
        """Get or create the account ``name`` (``"player:ana"``) and return its id.

        The prefix must match ``kind``; only the schema creates accounts that may go
        negative (the mint). Names are exact strings: the game passes canonical names.
        """
        match = _NAME.fullmatch(name)
        if match is None or match["kind"] != kind:
            raise ValueError(f"account name must look like '{kind}:<id>', got {name!r}")
        found = rows.account_id(self.conn, name)
        if found is not None:
            return found
        row = self.conn.execute(
            "INSERT INTO accounts(name, kind, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT(name) DO NOTHING RETURNING id",
            (name, kind, self.clock()),
        ).fetchall()
        if row:
            return int(row[0][0])
        created = rows.account_id(self.conn, name)  # created by another connection meanwhile
        if created is None:  # pragma: no cover - would need a concurrent rollback
            raise LedgerError(f"could not create account {name!r}")
        return created

    # -- writes -------------------------------------------------------------------------------

    def transfer(
        self,
        debit: str,
        credit: str,
        amount: int,
        reason: Reason,
        idem_key: str,
        *,
        correlation_id: str | None = None,
        memo: str = "",
    ) -> Transfer:
        """Move ``amount`` tokens from ``debit`` to ``credit``, exactly once per ``idem_key``.

        One SQL statement: the trigger posts both legs and the CHECKs refuse an overdraft,
        so on any error nothing has changed. Raises ``InsufficientFunds``,
        ``IdempotencyConflict``, ``UnknownAccount`` or ``ValueError`` (bad arguments).
        """
        leg = Leg(debit, credit, amount, reason, idem_key, correlation_id, memo)
        return self._write(leg, reverses=None)

    def transfer_many(self, legs: Sequence[Leg]) -> list[Transfer]:
        """Write several transfers atomically: all of them or none (the first error wins)."""
        with atomic(self.conn):
            return [self._write(leg, reverses=None) for leg in legs]

    def transfer_batch(self, legs: Sequence[Leg]) -> int:
        """Group commit: write many transfers in one transaction with ``executemany``.

        All-or-nothing like ``transfer_many`` (same errors, raised after the batch was
        rolled back), but returns only the number of transfers newly written: legs whose
        key is already stored with identical fields are skipped as safe retries, so a whole
        batch can be resent after a crash. Use it for bulk work and benchmarks; commands
        use ``transfer``. About 3x (NORMAL) to 10x (FULL) the rate of one commit each.
        """
        for leg in legs:
            rows.validate(leg, reverses=None)
        ts = self.clock()
        params = [rows.insert_params(leg, ts) for leg in legs]
        try:
            with atomic(self.conn):
                written = self.conn.executemany(rows.INSERT_TRANSFER, params).rowcount
                if written != len(legs):  # duplicates or unknown accounts: check each leg
                    for leg in legs:
                        self._check_stored(leg, reverses=None)
        except sqlite3.IntegrityError:
            self._diagnose(legs)
            raise
        return written

    def reverse(self, transfer_id: int, idem_key: str, memo: str = "") -> Transfer:
        """Correct a transfer by writing its mirror image (code REVERSAL); never edits.

        The reversal carries the original's correlation id (or its idem_key) and points at
        it through ``reverses``; a UNIQUE index allows one reversal per transfer and a
        trigger refuses reversing a reversal (re-apply with a fresh transfer instead).
        Retrying with the same ``idem_key`` returns the stored reversal.
        """
        original = rows.load(self.conn, rows.SELECT_BY_ID, transfer_id)
        if original is None:
            raise UnknownTransfer(transfer_id)
        if original.reverses is not None:
            raise AlreadyReversed(transfer_id, "is itself a reversal")
        leg = Leg(
            debit=original.credit,
            credit=original.debit,
            amount=original.amount,
            reason=Reason.REVERSAL,
            idem_key=idem_key,
            correlation_id=original.correlation_id or original.idem_key,
            memo=memo,
        )
        return self._write(leg, reverses=transfer_id)

    def _write(self, leg: Leg, reverses: int | None) -> Transfer:
        rows.validate(leg, reverses)
        ts = self.clock()
        try:
            inserted = self.conn.execute(
                rows.INSERT_TRANSFER_RETURNING, rows.insert_params(leg, ts, reverses)
            ).fetchall()
        except sqlite3.IntegrityError as exc:
            raise self._translate(exc, leg, reverses) from exc
        if inserted:
            return Transfer(
                id=int(inserted[0][0]),
                idem_key=leg.idem_key,
                debit=leg.debit,
                credit=leg.credit,
                amount=leg.amount,
                reason=leg.reason,
                ts=ts,
                correlation_id=leg.correlation_id,
                memo=leg.memo,
                reverses=reverses,
            )
        return self._check_stored(leg, reverses)

    def _check_stored(self, leg: Leg, reverses: int | None) -> Transfer:
        """After an INSERT that wrote nothing: a safe duplicate, a conflict, or a bad name."""
        stored = rows.load(self.conn, rows.SELECT_BY_KEY, leg.idem_key)
        if stored is None:
            for name in (leg.debit, leg.credit):
                if rows.account_id(self.conn, name) is None:
                    raise UnknownAccount(name)
            raise LedgerError(f"transfer {leg.idem_key!r} was not written")  # pragma: no cover
        diff = rows.differences(stored, leg, reverses)
        if diff:
            raise IdempotencyConflict(leg.idem_key, diff)
        return replace(stored, duplicate=True)

    def _translate(self, exc: sqlite3.IntegrityError, leg: Leg, reverses: int | None) -> Exception:
        message = str(exc)
        if "no_overdraft" in message:
            return InsufficientFunds(leg.debit, self.balance(leg.debit), leg.amount)
        if reverses is not None and ("transfers.reverses" in message or "mirror" in message):
            by = self.conn.execute(rows.SELECT_REVERSAL_OF, (reverses,)).fetchone()
            detail = "already reversed" if by is None else f"already reversed by #{by[0]}"
            return AlreadyReversed(reverses, detail)
        return LedgerError(message)

    def _diagnose(self, legs: Sequence[Leg]) -> None:
        """Replay a failed batch leg by leg, then roll back, to raise the precise error."""
        try:
            with atomic(self.conn):
                for leg in legs:
                    self._write(leg, reverses=None)
                raise _Diagnosed
        except _Diagnosed:
            return

    # -- reads --------------------------------------------------------------------------------

    def balance(self, account: str, at: int | None = None) -> int:
        """Current balance, or the balance at unix ms ``at`` (inclusive) derived from the log."""
        if at is not None:
            return balance_at(self.conn, account, at)
        row = self.conn.execute(
            "SELECT balance FROM accounts WHERE name = ?", (account,)
        ).fetchone()
        if row is None:
            raise UnknownAccount(account)
        return int(row[0])

    def history(self, account: str, limit: int = 20) -> list[Entry]:
        """The account's latest transfers, newest first, with signed amounts."""
        return account_history(self.conn, account, limit)

    def transfers(self, after_id: int = 0) -> Iterator[Transfer]:
        """Every transfer with ``id > after_id`` in commit order (for cursors and audits)."""
        cursor = self.conn.execute(rows.SELECT_AFTER_ID, (after_id,))
        return (rows.to_transfer(row) for row in cursor)

    def supply(self) -> int:
        """Tokens in circulation: minted minus burned (player balances plus escrow).

        By conservation this equals -(mint + sink), so it costs two primary-key reads.
        """
        return -(self.balance(MINT) + self.balance(SINK))

    def verify(self, full: bool = True) -> VerifyReport:
        """Run the named invariant checks; ``full`` adds the reconciliation against the log.

        The quick checks read only ``accounts`` (tens of ms at 100k accounts: every cycle);
        the full one groups every transfer (about a second per million: hourly or nightly).
        """
        return verify.run(self.conn, full=full)

    def export_csv(self, out: TextIO) -> int:
        """Write every transfer as CSV with account names and reason labels; returns rows."""
        return write_csv(self.conn, out)
