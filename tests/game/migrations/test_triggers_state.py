"""0005_triggers: the release database upgrades with everything kept and gains
trigger_state, where once-per-player and cooldown marks live."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from economy import verify
from game.migrations import migrate, status
from tests.game.migrations.test_migrations import EXPECTED, facts, released


def test_release_database_gains_trigger_state_and_keeps_everything(tmp_path: Path) -> None:
    data = released(tmp_path)
    conn = sqlite3.connect(data / "sshrealm.db", isolation_level=None)
    try:
        applied, saved = migrate(conn, data / "backups")
        assert "0005_triggers" in applied
        assert saved is not None
        assert status(conn).pending == ()
        conn.execute(
            "INSERT INTO trigger_state(player, npc, trigger, fired_ms) VALUES (?,?,?,?)",
            ("Ana", "town:crier", "town:crier#1", 5),
        )
        with pytest.raises(sqlite3.IntegrityError):  # one row per player, npc and trigger
            conn.execute(
                "INSERT INTO trigger_state(player, npc, trigger, fired_ms) VALUES (?,?,?,?)",
                ("ana", "town:crier", "town:crier#1", 6),
            )
        assert conn.execute("SELECT times FROM trigger_state").fetchone() == (1,)
        assert verify.run(conn, full=True).ok
    finally:
        conn.close()
    assert facts(data / "sshrealm.db") == EXPECTED
