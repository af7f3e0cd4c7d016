"""0003_mail_feedback: the release database upgrades with everything kept and gains the
mail and feedback tables, which take rows at once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from economy import verify
from game.migrations import migrate, status
from tests.game.migrations.test_migrations import EXPECTED, facts, released


def test_release_database_gains_mail_and_feedback_and_keeps_everything(tmp_path: Path) -> None:
    data = released(tmp_path)
    conn = sqlite3.connect(data / "sshrealm.db", isolation_level=None)
    try:
        applied, saved = migrate(conn, data / "backups")
        assert "0003_mail_feedback" in applied
        assert saved is not None
        assert status(conn).pending == ()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"mail", "feedback"} <= tables
        conn.execute(
            "INSERT INTO mail(sender, recipient, subject, body, sent_ms) VALUES (?,?,?,?,?)",
            ("ana", "bob", "hi", "hello", 1),
        )
        conn.execute(
            "INSERT INTO feedback(ts_ms, player, kind, room, text) VALUES (?,?,?,?,?)",
            (1, "ana", "idea", "town:square", "more fish"),
        )
        assert conn.execute("SELECT tokens_state, deleted FROM mail").fetchone() == ("none", 0)
        assert conn.execute("SELECT status FROM feedback").fetchone() == ("open",)
        assert verify.run(conn, full=True).ok
    finally:
        conn.close()
    assert facts(data / "sshrealm.db") == EXPECTED
