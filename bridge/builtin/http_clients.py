"""Who may use the HTTP API: admin-issued registration codes, approval and bearer tokens.

Every client name lives in a small SQLite file (the plugin's ``store`` setting), so tokens
survive restarts and the ``sshrealm bridge`` shell commands, the admin console and the
running plugin all see one list. Only SHA-256 digests of secrets are kept.

How a client gets a token:

* **Issued by an admin** (the normal way): ``sshrealm bridge add-client NAME --capabilities
  ...`` (or ``@bridge add`` in the console) stores the name with its grants and prints a
  one-time registration ``code``. The client sends ``POST /register`` with its name and that
  code and gets its token. ``rotate`` invalidates the token and prints a new code;
  ``revoke`` forgets the name.
* **Asked for by the client** (only with ``allow_pending``): an unknown name gets ``202`` and
  a one-time ``claim``. Once an admin ``approve``s the name, the claimant repeats
  ``POST /register`` with its claim and gets a token. Pending names expire after
  ``pending_ttl`` seconds and each address may hold only ``max_pending_per_address`` of
  them, so an anonymous caller cannot fill the queue for everyone.

A name that holds a token cannot register again (``409``) until an admin rotates or
revokes it, so a second process cannot take over a client's identity.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from bridge.requests import REQUEST_CAPABILITIES

#: Read scopes that only mean something to clients outside the process.
READ_SCOPES = frozenset({"state.balances", "events.private"})
CLIENT_CAPABILITIES = REQUEST_CAPABILITIES | READ_SCOPES
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{1,31}")
CODE_TTL_MS = 24 * 3600 * 1000

CLIENT_MIGRATIONS = Migrations("bridge-clients")
"""The client store's schema history (its own file, so its own set; see game/migrations)."""


@CLIENT_MIGRATIONS(name="0001_clients")
def _clients_table(db: Database) -> None:
    db.execute(
        """CREATE TABLE clients (
            key TEXT PRIMARY KEY,                   -- the name in lower case
            name TEXT NOT NULL,
            language TEXT NOT NULL DEFAULT '',
            capabilities TEXT NOT NULL DEFAULT '',  -- space-separated
            approved INTEGER NOT NULL,
            token_hash TEXT UNIQUE,
            code_hash TEXT,
            code_expires_ms INTEGER,
            claim_hash TEXT,
            address TEXT NOT NULL DEFAULT '',
            created_ms INTEGER NOT NULL
        )"""
    )


class RegistrationError(Exception):
    """A refused registration, with the HTTP status and error code to send."""

    def __init__(self, status: int, error: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail = status, error, detail


@dataclass(frozen=True)
class Client:
    """One known client, as stored (never with its secrets)."""

    name: str
    language: str
    capabilities: frozenset[str]
    approved: bool
    has_token: bool
    created_ms: int


@dataclass(frozen=True)
class Registration:
    """The answer to ``POST /register``: a token, or a pending claim."""

    status: str  # "approved" or "pending"
    client: Client
    token: str | None = None
    claim: str | None = None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_client_caps(where: str, caps: object) -> frozenset[str]:
    """Validate a capability list from settings or a command; unknown names are an error."""
    if not isinstance(caps, list | tuple | frozenset | set) or not all(
        isinstance(c, str) for c in caps
    ):
        raise ValueError(f"{where} must be a list of strings")
    unknown = sorted(set(caps) - CLIENT_CAPABILITIES)
    if unknown:
        raise ValueError(f"{where}: unknown {unknown}; known: {sorted(CLIENT_CAPABILITIES)}")
    return frozenset(caps)


def _row_client(row: sqlite3.Row) -> Client:
    caps = frozenset(str(row["capabilities"]).split())
    return Client(
        str(row["name"]),
        str(row["language"]),
        caps,
        bool(row["approved"]),
        row["token_hash"] is not None,
        int(row["created_ms"]),
    )


def open_store(path: str | Path) -> sqlite3.Connection:
    """Open (creating if needed) the client store at ``path`` (``":memory:"`` for tests)."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 5000")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
    CLIENT_MIGRATIONS.apply(Database(conn))
    return conn


class ClientRegistry:
    """The clients in one store; used by the plugin, the shell commands and the console."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        default_capabilities: Collection[str] = (),
        allow_pending: bool = False,
        max_pending: int = 50,
        max_pending_per_address: int = 3,
        pending_ttl_s: float = 3600.0,
        now_ms: Callable[[], int] = lambda: int(time.time() * 1000),
        secret: Callable[[], str] = lambda: secrets.token_urlsafe(32),
    ) -> None:
        self._conn = conn
        self._default = frozenset(default_capabilities)
        self._allow_pending = allow_pending
        self._max_pending = max_pending
        self._per_address = max_pending_per_address
        self._pending_ttl_ms = int(pending_ttl_s * 1000)
        self._now = now_ms
        self._secret = secret

    @classmethod
    def open(cls, path: str | Path, **options: Any) -> ClientRegistry:
        """A registry over the store file at ``path``."""
        return cls(open_store(path), **options)

    def close(self) -> None:
        self._conn.close()

    def _row(self, name: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._conn.execute(
            "SELECT * FROM clients WHERE key = ?", (name.lower(),)
        ).fetchone()
        return row

    # -- POST /register -------------------------------------------------------------------

    def register(
        self,
        name: str,
        language: str,
        *,
        claim: str | None = None,
        code: str | None = None,
        address: str = "",
    ) -> Registration:
        """Register ``name`` (see the module docstring); raises ``RegistrationError``."""
        if not NAME.fullmatch(name):
            raise RegistrationError(400, "invalid-body", f"bad client name {name!r}")
        self._expire_pending()
        row = self._row(name)
        if row is not None and row["token_hash"] is not None:
            raise RegistrationError(
                409, "already-registered", f"{name!r} holds a token; an admin can rotate it"
            )
        if code is not None:
            return self._redeem_code(row, name, language, code)
        if row is None:
            return self._new_pending(name, language, address)
        if row["claim_hash"] is None:
            raise RegistrationError(
                403,
                "code-required",
                f"{name!r} was added by an admin: send the registration code you were given",
            )
        if claim is None or not secrets.compare_digest(_digest(claim), str(row["claim_hash"])):
            raise RegistrationError(409, "name-pending", f"{name!r} is claimed by another")
        self._conn.execute("UPDATE clients SET language = ? WHERE key = ?", (language, row["key"]))
        if not row["approved"]:
            return Registration("pending", self._client(name))
        return self._token_for(name)

    def _redeem_code(
        self, row: sqlite3.Row | None, name: str, language: str, code: str
    ) -> Registration:
        valid = (
            row is not None
            and row["code_hash"] is not None
            and int(row["code_expires_ms"] or 0) > self._now()
            and secrets.compare_digest(_digest(code), str(row["code_hash"]))
        )
        if not valid:
            raise RegistrationError(
                403, "bad-code", "unknown, used or expired registration code for this name"
            )
        self._conn.execute(
            "UPDATE clients SET language = ? WHERE key = ?", (language, name.lower())
        )
        return self._token_for(name)

    def _token_for(self, name: str) -> Registration:
        token = self._secret()
        self._conn.execute(
            "UPDATE clients SET token_hash = ?, code_hash = NULL, code_expires_ms = NULL,"
            " claim_hash = NULL WHERE key = ?",
            (_digest(token), name.lower()),
        )
        return Registration("approved", self._client(name), token=token)

    def _expire_pending(self) -> None:
        self._conn.execute(
            "DELETE FROM clients WHERE approved = 0 AND created_ms < ?",
            (self._now() - self._pending_ttl_ms,),
        )

    def _new_pending(self, name: str, language: str, address: str) -> Registration:
        if not self._allow_pending:
            raise RegistrationError(
                403,
                "registration-closed",
                f"{name!r} is unknown: ask the server admin for a registration code",
            )
        (from_here,) = self._conn.execute(
            "SELECT count(*) FROM clients WHERE approved = 0 AND address = ?", (address,)
        ).fetchone()
        if from_here >= self._per_address:
            raise RegistrationError(
                429,
                "too-many-pending",
                f"{from_here} names from your address already wait for approval",
            )
        if len(self.pending()) >= self._max_pending:
            raise RegistrationError(429, "too-many-pending", "ask an admin to approve or revoke")
        claim = self._secret()
        self._conn.execute(
            "INSERT INTO clients (key, name, language, approved, claim_hash, address, created_ms)"
            " VALUES (?, ?, ?, 0, ?, ?, ?)",
            (name.lower(), name, language, _digest(claim), address, self._now()),
        )
        return Registration("pending", self._client(name), claim=claim)

    # -- admin ----------------------------------------------------------------------------

    def add(self, name: str, capabilities: Collection[str] | None = None) -> str:
        """Admin: store ``name`` with its grants and return a one-time registration code.

        An existing name keeps its grants unless new ones are given; its token stops
        working (this is also how a token is rotated)."""
        if not NAME.fullmatch(name):
            raise ValueError(f"bad client name {name!r}: a letter, then 1-31 of A-Z a-z 0-9 _ . -")
        row = self._row(name)
        if capabilities is not None:
            caps = parse_client_caps("capabilities", list(capabilities))
        elif row is not None and row["approved"]:
            caps = frozenset(str(row["capabilities"]).split())
        else:
            caps = self._default
        code = self._secret()
        self._conn.execute(
            "INSERT INTO clients (key, name, capabilities, approved, code_hash, code_expires_ms,"
            " created_ms) VALUES (?, ?, ?, 1, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET"
            " capabilities = excluded.capabilities, approved = 1, token_hash = NULL,"
            " code_hash = excluded.code_hash, code_expires_ms = excluded.code_expires_ms,"
            " claim_hash = NULL",
            (
                name.lower(),
                name,
                " ".join(sorted(caps)),
                _digest(code),
                self._now() + CODE_TTL_MS,
                self._now(),
            ),
        )
        return code

    def approve(self, name: str, capabilities: Collection[str] | None = None) -> bool:
        """Admin: let the pending claimant of ``name`` have a token; ``False`` if no such
        name waits."""
        self._expire_pending()
        caps = self._default if capabilities is None else frozenset(capabilities)
        parse_client_caps("capabilities", list(caps))
        done = self._conn.execute(
            "UPDATE clients SET approved = 1, capabilities = ? WHERE key = ? AND approved = 0",
            (" ".join(sorted(caps)), name.lower()),
        )
        return done.rowcount > 0

    def revoke(self, name: str) -> bool:
        """Admin: forget ``name``; its token stops working at once."""
        return self._conn.execute("DELETE FROM clients WHERE key = ?", (name.lower(),)).rowcount > 0

    def pending(self) -> list[str]:
        """Names waiting for approval, for the admin console."""
        self._expire_pending()
        rows = self._conn.execute("SELECT name FROM clients WHERE approved = 0 ORDER BY key")
        return [str(r["name"]) for r in rows]

    def clients(self) -> list[Client]:
        """Every known client (never its secrets)."""
        self._expire_pending()
        return [_row_client(r) for r in self._conn.execute("SELECT * FROM clients ORDER BY key")]

    def _client(self, name: str) -> Client:
        row = self._row(name)
        assert row is not None
        return _row_client(row)

    def authenticate(self, token: str) -> Client | None:
        """The client holding ``token``, or ``None``."""
        row = self._conn.execute(
            "SELECT * FROM clients WHERE token_hash = ?", (_digest(token),)
        ).fetchone()
        return _row_client(row) if row is not None else None
