"""The one ordered history of the database schema: economy, game and reflection tables.

Every schema change is a migration here, applied in order by sqlite-utils' ``Migrations``
(each in a transaction with its record in ``_sqlite_migrations``). The server applies what
is pending when it opens the database, after copying the file to ``backups/`` beside it;
``sshrealm db status`` and ``sshrealm db migrate`` do the same from the shell.

``0001_baseline`` is the schema of the last release before migrations, frozen as SQL. The
economy and reflection packages keep their own idempotent bootstraps for use on their own
(they import nothing of the game); a test holds them equal to this history, so the two
never drift apart.

To change the schema, add a function below decorated with ``@MIGRATIONS(name="000N_...")``
that alters the tables through the ``sqlite_utils.Database`` it is given, and a test on
``tests/fixtures/release_db`` that the upgrade keeps every balance, item and quest.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("sshrealm")


def _statements(script: str) -> list[str]:
    """Split a SQL script into whole statements (a trigger body holds semicolons)."""
    out, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement: {buffer[:60]!r}")
    return out


@MIGRATIONS(name="0001_baseline")
def baseline(db: Database) -> None:
    """The release's schema (cb14a39): a no-op on its databases, everything on a new one."""
    script = resources.files(__package__).joinpath("0001_baseline.sql").read_text("utf-8")
    for statement in _statements(script):
        db.execute(statement)


COMMUNITY = """
CREATE TABLE player_ignores (
    player TEXT NOT NULL COLLATE NOCASE,
    target TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (player, target)
) STRICT;
CREATE TABLE player_friends (
    player TEXT NOT NULL COLLATE NOCASE,
    friend TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (player, friend)
) STRICT;
CREATE TABLE player_aliases (
    player    TEXT NOT NULL COLLATE NOCASE,
    name      TEXT NOT NULL COLLATE NOCASE,
    expansion TEXT NOT NULL,
    PRIMARY KEY (player, name)
) STRICT;
CREATE TABLE player_prefs (
    player TEXT NOT NULL COLLATE NOCASE,
    key    TEXT NOT NULL,
    value  TEXT NOT NULL,
    PRIMARY KEY (player, key)
) STRICT;
CREATE TABLE player_channels (
    player  TEXT NOT NULL COLLATE NOCASE,
    channel TEXT NOT NULL,
    state   TEXT NOT NULL CHECK (state IN ('joined', 'muted', 'left')),
    PRIMARY KEY (player, channel)
) STRICT;
CREATE TABLE player_rooms (
    player   TEXT NOT NULL COLLATE NOCASE,
    room     TEXT NOT NULL,
    first_ms INTEGER NOT NULL,
    PRIMARY KEY (player, room)
) STRICT;
CREATE TABLE channel_silences (
    channel  TEXT NOT NULL,
    player   TEXT NOT NULL COLLATE NOCASE,
    by       TEXT NOT NULL,
    reason   TEXT NOT NULL,
    until_ms INTEGER,
    PRIMARY KEY (channel, player)
) STRICT;
"""


@MIGRATIONS(name="0002_community")
def community(db: Database) -> None:
    """Per-player lists and settings (ignores, friends, aliases, prompt, channel choices,
    the rooms each has explored) and admins' channel silences (issue #19)."""
    for statement in _statements(COMMUNITY):
        db.execute(statement)


@MIGRATIONS(name="0003_mail_feedback")
def mail_feedback(db: Database) -> None:
    """Mail between accounts (with tokens held in the ledger's escrow) and the players'
    feedback queue (bug, idea, typo). ``tokens_state`` says where a mail's tokens are:
    ``none`` (no tokens), ``held`` (in ``system:escrow``), ``taken`` (the recipient's) or
    ``returned`` (the sender's again); a hold is resolved once, by a guarded UPDATE."""
    for statement in (
        """CREATE TABLE mail (
            id           INTEGER PRIMARY KEY,
            sender       TEXT    NOT NULL,
            recipient    TEXT    NOT NULL COLLATE NOCASE,
            subject      TEXT    NOT NULL,
            body         TEXT    NOT NULL,
            tokens       INTEGER NOT NULL DEFAULT 0 CHECK (tokens >= 0),
            tokens_state TEXT    NOT NULL DEFAULT 'none'
                CHECK (tokens_state IN ('none', 'held', 'taken', 'returned')),
            sent_ms      INTEGER NOT NULL,
            read_ms      INTEGER,
            settled_ms   INTEGER,
            deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
        ) STRICT""",
        "CREATE INDEX mail_box ON mail(recipient, deleted, id)",
        "CREATE INDEX mail_held ON mail(sent_ms) WHERE tokens_state = 'held'",
        """CREATE TABLE feedback (
            id          INTEGER PRIMARY KEY,
            ts_ms       INTEGER NOT NULL,
            player      TEXT    NOT NULL COLLATE NOCASE,
            kind        TEXT    NOT NULL CHECK (kind IN ('bug', 'idea', 'typo')),
            room        TEXT    NOT NULL DEFAULT '',
            text        TEXT    NOT NULL,
            status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
            answer      TEXT    NOT NULL DEFAULT '',
            answered_by TEXT    NOT NULL DEFAULT '',
            answered_ms INTEGER,
            closed_ms   INTEGER
        ) STRICT""",
        "CREATE INDEX feedback_open ON feedback(status, id)",
        "CREATE INDEX feedback_player ON feedback(player, ts_ms)",
    ):
        db.execute(statement)


@MIGRATIONS(name="0004_combat")
def combat(db: Database) -> None:
    """Combat and equipment (issue #20): each player's health and stamina (so logging out
    never heals), what they wear and wield (one item per slot, out of the pack), and what
    lies in containers. A container is its ``holder``: ``room:<room>:<item>`` for a fixed
    one, ``pack:<player>:<item>`` for a bag someone carries."""
    for statement in (
        """CREATE TABLE player_vitals (
            player  TEXT    NOT NULL PRIMARY KEY COLLATE NOCASE,
            health  INTEGER NOT NULL CHECK (health >= 0),
            stamina INTEGER NOT NULL CHECK (stamina >= 0)
        ) STRICT""",
        """CREATE TABLE player_equipment (
            player TEXT NOT NULL COLLATE NOCASE,
            slot   TEXT NOT NULL,
            item   TEXT NOT NULL,
            PRIMARY KEY (player, slot)
        ) STRICT""",
        """CREATE TABLE container_items (
            holder TEXT    NOT NULL,
            item   TEXT    NOT NULL,
            count  INTEGER NOT NULL CHECK (count > 0),
            PRIMARY KEY (holder, item)
        ) STRICT""",
        """CREATE TABLE container_seeded (
            holder TEXT NOT NULL PRIMARY KEY
        ) STRICT""",
    ):
        db.execute(statement)


@MIGRATIONS(name="0005_triggers")
def triggers(db: Database) -> None:
    """When each NPC trigger last fired for each player (``player`` is '' for a clock
    trigger, which has none), so ``once: true`` and ``cooldown`` hold across restarts
    (game/services/triggers.py). A row per (player, npc, trigger), updated in place."""
    db.execute(
        """CREATE TABLE trigger_state (
            player   TEXT    NOT NULL COLLATE NOCASE,
            npc      TEXT    NOT NULL,
            trigger  TEXT    NOT NULL,
            fired_ms INTEGER NOT NULL,
            times    INTEGER NOT NULL DEFAULT 1 CHECK (times >= 1),
            PRIMARY KEY (player, npc, trigger)
        ) STRICT"""
    )


@MIGRATIONS(name="0006_web")
def web(db: Database) -> None:
    """The web front (issue #17): signed-in browser sessions (only a hash of the cookie's
    token is kept, with its CSRF token and expiry) and the one-time codes ``web login``
    gives a player to sign in on the web."""
    for statement in (
        """CREATE TABLE web_sessions (
            token_hash TEXT    NOT NULL PRIMARY KEY,
            player     TEXT    NOT NULL COLLATE NOCASE,
            csrf       TEXT    NOT NULL,
            created_ms INTEGER NOT NULL,
            expires_ms INTEGER NOT NULL
        ) STRICT""",
        "CREATE INDEX web_sessions_player ON web_sessions(player)",
        """CREATE TABLE web_codes (
            player     TEXT    NOT NULL PRIMARY KEY COLLATE NOCASE,
            code_hash  TEXT    NOT NULL,
            expires_ms INTEGER NOT NULL
        ) STRICT""",
    ):
        db.execute(statement)


@dataclass(frozen=True)
class Status:
    """What ``sshrealm db status`` prints."""

    applied: tuple[tuple[str, str], ...]  # (name, applied at)
    pending: tuple[str, ...]


def status(conn: sqlite3.Connection) -> Status:
    """Which migrations this database has, and which it still needs (reads only)."""
    db = Database(conn)
    applied = tuple((m.name, m.applied_at) for m in MIGRATIONS.applied(db))
    return Status(applied, tuple(m.name for m in MIGRATIONS.pending(db)))


def backup(conn: sqlite3.Connection, folder: Path, label: str) -> Path:
    """Copy the live database to ``folder`` with SQLite's online backup; returns the path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    target = folder / f"sshrealm-{stamp}-before-{label}.db"
    copy = sqlite3.connect(target)
    try:
        conn.backup(copy)
    finally:
        copy.close()
    return target


def migrate(conn: sqlite3.Connection, backups: Path | None) -> tuple[list[str], Path | None]:
    """Apply every pending migration; returns their names and the backup made first.

    A database with tables gets a backup in ``backups`` first (None: no backup, for tests
    and fresh files); a new, empty database needs none. A migration that fails is rolled
    back whole and raises: the server then refuses to start on a half-known schema.
    """
    db = Database(conn)
    pending = [m.name for m in MIGRATIONS.pending(db)]
    if not pending:
        return [], None
    has_tables = bool(db.table_names())
    saved = backup(conn, backups, pending[0]) if backups is not None and has_tables else None
    MIGRATIONS.apply(db)
    return pending, saved
