"""``sshrealm backup`` while the server is writing: the copy is one consistent snapshot
that passes the ledger's full verify, and restoring it brings the world back."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from click.testing import CliRunner

from economy import Reason
from game.app import Server
from game.cli.main import main
from tests.e2e.conftest import e2e_settings


async def test_backup_under_load_restores_and_verifies(tmp_path: Path) -> None:
    server = Server(e2e_settings(tmp_path / "var"))
    await server.start()
    wallet = server.game.wallet
    for name in ("ana", "bob"):
        server.game.ensure_account(name)
    stop, warm = asyncio.Event(), asyncio.Event()
    writes = 0

    async def load() -> None:
        nonlocal writes
        while not stop.is_set():
            wallet.credit("ana", 3, Reason.ADMIN_GRANT, wallet.new_key("t"), "load")
            wallet.pay("ana", "bob", 1, wallet.new_key("p"), "load")
            writes += 2
            if writes >= 200:
                warm.set()
            await asyncio.sleep(0)

    writer = asyncio.create_task(load())
    copy = tmp_path / "backups" / "snap.db"
    try:
        await warm.wait()
        before = writes
        result = await asyncio.to_thread(
            CliRunner().invoke,
            main,
            ["backup", str(copy), "--data-dir", str(server.settings.data_dir)],
        )
        assert writes > before, "the server kept writing during the backup"
    finally:
        stop.set()
        await writer
        await server.stop()
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Backed up {server.settings.db_path} to {copy}")
    assert "FAIL" not in result.output
    assert "ok   sqlite integrity: ok" in result.output
    # Restore, as docs/operations.md says: stop, copy the file into a data dir, verify.
    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copy(copy, restored / "sshrealm.db")
    check = CliRunner().invoke(main, ["admin", "check-db", str(restored / "sshrealm.db")])
    assert check.exit_code == 0, check.output
    verified = CliRunner().invoke(main, ["ledger", "verify", "--data-dir", str(restored)])
    assert verified.exit_code == 0, verified.output
    assert verified.output.endswith("The ledger is consistent.\n")
    again = Server(e2e_settings(restored))
    try:
        ana, bob = again.game.wallet.balance("ana"), again.game.wallet.balance("bob")
        assert ana > 0
        assert bob > 0
        assert ana + bob == again.game.ledger.supply()
        assert again.game.ledger.verify(full=True).ok
    finally:
        again.conn.close()


def test_backup_refuses_to_overwrite(tmp_path: Path) -> None:
    data = tmp_path / "var"
    Server(e2e_settings(data)).conn.close()
    (tmp_path / "taken.db").write_text("x")
    result = CliRunner().invoke(
        main, ["backup", str(tmp_path / "taken.db"), "--data-dir", str(data)]
    )
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert (tmp_path / "taken.db").read_text() == "x"


def test_check_db_fails_on_a_broken_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    result = CliRunner().invoke(main, ["admin", "check-db", str(bad)])
    assert result.exit_code == 1
    assert result.output.startswith("FAIL sqlite:")
