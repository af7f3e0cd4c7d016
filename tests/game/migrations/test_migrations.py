"""Schema migrations: a database made by the last release upgrades with everything intact,
through the shell commands and through the server's own start; a new database gets the
same schema; the economy's and reflection's own bootstraps never drift from the history."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import asyncssh
import pytest
from click.testing import CliRunner
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from economy import system_clock, verify
from economy.schema import ensure_schema
from game.app import Server
from game.cli.main import main
from game.migrations import MIGRATIONS, baseline, migrate, status
from reflection import schema as reflection_schema
from tests.e2e.conftest import connect, e2e_settings
from tests.fixtures.release_db.make import facts as release_facts

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "release_db"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text())
HISTORY = [m.name for m in MIGRATIONS.pending(Database(sqlite3.connect(":memory:")))]
"""Every migration's name, in order (all are pending on an empty database)."""


def released(tmp_path: Path) -> Path:
    """A copy of the release's database in a fresh data folder (the fixture stays as is)."""
    data = tmp_path / "var"
    data.mkdir()
    shutil.copy(FIXTURE / "sshrealm.db", data / "sshrealm.db")
    return data


def facts(path: Path) -> dict[str, Any]:
    conn = sqlite3.connect(path)
    try:
        return release_facts(conn)
    finally:
        conn.close()


def schema_of(conn: sqlite3.Connection, tables: set[str] | None = None) -> dict[str, str]:
    rows = conn.execute(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL"
        " AND name NOT LIKE 'sqlite_%' AND tbl_name <> '_sqlite_migrations'"
    )
    return {
        name: " ".join(sql.replace("IF NOT EXISTS ", "").split())
        for name, table, sql in rows
        if tables is None or table in tables
    }


def test_release_database_upgrades_from_the_shell_with_everything_intact(tmp_path: Path) -> None:
    data = released(tmp_path)
    shell = CliRunner()
    before = shell.invoke(main, ["db", "status", "--data-dir", str(data)])
    assert before.exit_code == 0, before.output
    assert "pending  0001_baseline" in before.output
    assert f"{len(HISTORY)} pending: run sshrealm db migrate" in before.output
    done = shell.invoke(main, ["db", "migrate", "--data-dir", str(data)])
    assert done.exit_code == 0, done.output
    assert "Applied 0001_baseline." in done.output
    backups = list((data / "backups").glob("sshrealm-*-before-0001_baseline.db"))
    assert len(backups) == 1, done.output
    assert facts(backups[0]) == EXPECTED  # the backup is the database as it was
    assert facts(data / "sshrealm.db") == EXPECTED
    conn = sqlite3.connect(data / "sshrealm.db")
    try:
        report = verify.run(conn, full=True)
        assert report.ok, report
    finally:
        conn.close()
    again = shell.invoke(main, ["db", "migrate", "--data-dir", str(data)])
    assert again.output == "Up to date: nothing to do.\n"
    assert "Up to date." in shell.invoke(main, ["db", "status", "--data-dir", str(data)]).output
    missing = shell.invoke(main, ["db", "status", "--data-dir", str(tmp_path / "none")])
    assert missing.exit_code == 1
    assert "No database at" in missing.output


async def test_server_upgrades_a_release_database_when_it_starts(tmp_path: Path) -> None:
    data = released(tmp_path)
    server = Server(e2e_settings(data))
    await server.start()
    try:
        assert list((data / "backups").glob("*-before-0001_baseline.db"))
        assert status(server.conn).pending == ()
        balances = EXPECTED["balances"]
        assert server.game.wallet.balance("ana") == balances["player:ana"]
        assert server.game.store.inventory("ana") == {"town:bread": 2}
        key = asyncssh.generate_private_key("ssh-ed25519")
        async with await connect(server.ssh_port, "dan", key) as conn:
            result = await conn.run("quests")
            assert result.exit_status == 0
    finally:
        await server.stop()
    after = facts(data / "sshrealm.db")
    assert after["quests"] == EXPECTED["quests"]
    assert after["premium"] == EXPECTED["premium"]
    assert EXPECTED["keys"][0] in after["keys"]  # and dan has his new one


def test_a_new_database_gets_the_release_schema(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "new.db", isolation_level=None)
    applied, saved = migrate(conn, tmp_path / "backups")
    assert applied[0] == "0001_baseline"
    assert saved is None  # nothing to back up in an empty file
    release = sqlite3.connect(FIXTURE / "sshrealm.db")
    try:
        released_tables = {r[0] for r in release.execute("SELECT name FROM sqlite_master")}
        assert schema_of(conn, released_tables) == schema_of(release)
    finally:
        release.close()
        conn.close()


def test_the_packages_own_bootstraps_match_the_history(tmp_path: Path) -> None:
    """economy and reflection create their tables themselves when used on their own (they
    import nothing of the game): the same tables, to the letter, as the migrations make."""
    migrated = sqlite3.connect(tmp_path / "migrated.db", isolation_level=None)
    migrate(migrated, None)
    alone = sqlite3.connect(tmp_path / "alone.db", isolation_level=None)
    ensure_schema(alone, system_clock)
    reflection_schema.ensure(alone)
    tables = {r[0] for r in alone.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert schema_of(alone, tables) == schema_of(migrated, tables)
    migrated.close()
    alone.close()


def test_a_failing_migration_changes_nothing(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    history = Migrations("sshrealm")
    history(name="0001_baseline")(baseline)

    @history(name="0002_broken")
    def broken(db: Database) -> None:
        db.execute("ALTER TABLE players ADD COLUMN nickname TEXT")
        db.execute("SELECT no_such_function()")

    with pytest.raises(sqlite3.OperationalError):
        history.apply(Database(conn))
    columns = [r[1] for r in conn.execute("PRAGMA table_info(players)")]
    assert "nickname" not in columns
    assert [m.name for m in history.applied(Database(conn))] == ["0001_baseline"]
    assert [m.name for m in MIGRATIONS.pending(Database(conn))] == HISTORY[1:]
    conn.close()
