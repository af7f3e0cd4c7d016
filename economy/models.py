"""Value objects the ledger returns: immutable, so callers can pass them around freely."""

from __future__ import annotations

from dataclasses import dataclass, field

from economy.reasons import Reason


@dataclass(frozen=True, slots=True)
class Leg:
    """One requested transfer, for ``transfer_many`` and ``transfer_batch``."""

    debit: str
    credit: str
    amount: int
    reason: Reason
    idem_key: str
    correlation_id: str | None = None
    memo: str = ""


@dataclass(frozen=True, slots=True)
class Transfer:
    """A transfer as stored. ``duplicate`` is True when the idem_key had already been
    written with identical fields, so this call changed nothing (a safe retry)."""

    id: int
    idem_key: str
    debit: str
    credit: str
    amount: int
    reason: Reason
    ts: int
    correlation_id: str | None = None
    memo: str = ""
    reverses: int | None = None
    duplicate: bool = False


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of an account's history, seen from that account.

    ``amount`` is signed: positive when the account received tokens, negative when it paid.
    """

    transfer_id: int
    ts: int
    amount: int
    counterparty: str
    reason: Reason
    memo: str
    correlation_id: str | None
    idem_key: str


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of one named invariant check."""

    name: str
    ok: bool
    detail: str
    elapsed_ms: float = 0.0


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """All checks from one ``Ledger.verify`` run; ``ok`` only if every check passed."""

    checks: tuple[Check, ...] = field(default_factory=tuple)
    full: bool = True

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def check(self, name: str) -> Check:
        """The check with this name (KeyError if it did not run)."""
        for check in self.checks:
            if check.name == name:
                return check
        raise KeyError(name)

    def lines(self) -> list[str]:
        """Plain lines for the CLI and the reflection log: one check per line."""
        return [
            f"{'ok  ' if c.ok else 'FAIL'} {c.name}: {c.detail} ({c.elapsed_ms:.1f} ms)"
            for c in self.checks
        ]
