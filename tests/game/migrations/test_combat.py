"""0004_combat: the release database upgrades with everything kept and gains the vitals,
equipment and container tables, which take rows at once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from economy import verify
from game.migrations import migrate, status
from tests.game.migrations.test_migrations import EXPECTED, facts, released


def test_release_database_gains_combat_tables_and_keeps_everything(tmp_path: Path) -> None:
    data = released(tmp_path)
    conn = sqlite3.connect(data / "sshrealm.db", isolation_level=None)
    try:
        applied, saved = migrate(conn, data / "backups")
        assert "0004_combat" in applied
        assert applied.index("0004_combat") > applied.index("0003_mail_feedback")
        assert saved is not None
        assert status(conn).pending == ()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"player_vitals", "player_equipment", "container_items", "container_seeded"} <= (
            tables
        )
        conn.execute("INSERT INTO player_vitals VALUES ('ana', 20, 10)")
        conn.execute("INSERT INTO player_equipment VALUES ('ana', 'weapon', 'town:sword')")
        conn.execute("INSERT INTO container_items VALUES ('room:town:cellar:town:chest', 'x', 2)")
        with pytest.raises(sqlite3.IntegrityError):  # one item per slot
            conn.execute("INSERT INTO player_equipment VALUES ('ANA', 'weapon', 'town:axe')")
        with pytest.raises(sqlite3.IntegrityError):  # no empty stacks
            conn.execute("INSERT INTO container_items VALUES ('h', 'y', 0)")
        assert verify.run(conn, full=True).ok
    finally:
        conn.close()
    assert facts(data / "sshrealm.db") == EXPECTED
