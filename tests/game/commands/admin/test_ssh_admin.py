"""Admin actions over real SSH: the first admin is made from the shell while the server
runs, then acts in line mode; every action leaves an audit row; players are refused."""

from __future__ import annotations

import asyncssh
from click.testing import CliRunner

from game.app import Server
from game.cli.main import main
from tests.e2e.conftest import Reader, connect


def audit(server: Server) -> list[tuple[str, str, str, str]]:
    return server.conn.execute(
        "SELECT actor, action, target, reason FROM audit_log ORDER BY id"
    ).fetchall()


async def test_admin_actions_over_ssh_are_audited(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    port = server.ssh_port
    async with await connect(port, "ana", keys["ana"]) as conn:
        await conn.run("look")  # creates ana's account, bound to her key
    data_dir = str(server.settings.data_dir)
    result = CliRunner().invoke(
        main, ["admin", "grant-role", "ana", "admin", "--data-dir", data_dir]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ana is now an admin.")
    async with (
        await connect(port, "ana", keys["ana"]) as a,
        await connect(port, "bob", keys["bob"]) as b,
    ):
        pa = await a.create_process(encoding=None)
        pb = await b.create_process(encoding=None)
        ra, rb = Reader(pa), Reader(pb)
        await ra.until("You see a notice board.")
        await rb.until("You see a notice board.")
        rb.send("@kick ana")
        await rb.until("Permission denied: @kick is for admins.")
        ra.send("@grant bob 25 welcome gift")
        await ra.until("Granted 25 tokens to bob")
        await rb.until("An admin granted you 25 tokens: welcome gift")
        ra.send("@who")
        await ra.until("2 sessions:")
        await ra.until("from 127.0.0.1, line, player")
        ra.send("@kick bob too loud")
        await ra.until("Kicked bob.")
        await rb.until("You have been disconnected by an admin. Reason: too loud")
        ra.send("@audit")
        await ra.until("ana kick bob: too loud")
    assert audit(server) == [
        (f"shell:{__import__('getpass').getuser()}", "role", "ana", ""),
        ("ana", "grant", "bob", "welcome gift"),
        ("ana", "kick", "bob", "too loud"),
    ]
    async with await connect(port, "bob", keys["bob"]) as conn:
        denied = await conn.run("@ban account ana nope")
    assert denied.exit_status == 1
    assert denied.stderr == "Permission denied: @ban is for admins.\r\n"
    assert len(audit(server)) == 3
    assert server.game.moderation.banned("account", "ana") is None


async def test_exec_admin_command(server: Server, keys: dict[str, asyncssh.SSHKey]) -> None:
    async with await connect(server.ssh_port, "cyra", keys["cyra"]) as conn:
        await conn.run("look")
        server.game.store.set_role("cyra", "admin")
        result = await conn.run("@ban account cyra2 x")
    assert result.exit_status == 1
    assert "There is no account named 'cyra2'" in str(result.stderr)


def test_grant_role_unknown_account(tmp_path: object) -> None:
    from pathlib import Path

    from game.world.store import connect as db

    data = Path(str(tmp_path)) / "var"
    db(data / "sshrealm.db").close()
    result = CliRunner().invoke(
        main, ["admin", "grant-role", "nobody", "admin", "--data-dir", str(data)]
    )
    assert result.exit_code == 1
    assert "No account named 'nobody'" in result.output
    result = CliRunner().invoke(
        main, ["admin", "grant-role", "x", "wizard", "--data-dir", str(data)]
    )
    assert result.exit_code == 2


async def test_admin_numbers_are_ascii_digits_only(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    """Security review, item 9: admin commands used isdigit()/\\d, so ``²`` crashed them and
    ``٣h`` muted for three hours (or, once refused as a duration, for ever)."""
    async with await connect(server.ssh_port, "eve", keys["eve"]) as conn:
        await conn.run("look")
        server.game.store.set_role("eve", "admin")
        server.game.ensure_account("bob")
        before = server.game.wallet.balance("bob")
        for line, said in (
            ("@grant bob ² gift", "'²' is not a number here: type the amount with the digits"),
            ("@grant bob ٣ gift", "'٣' is not a number here"),
            ("@audit eve ²", "'²' is not a number here: type the count"),
            ("@tier bob premium ² promo", "Give the days as a whole number from 1 to 3650."),
            ("@mute bob ٣h spam", "'٣h' is not a duration here: type it with the digits 0-9"),
            ("@ban account bob ²d spam", "'²d' is not a duration here"),
        ):
            result = await conn.run(line)
            assert result.exit_status == 1, line
            assert said in str(result.stderr), (line, result.stderr)
            assert "Traceback" not in str(result.stdout) + str(result.stderr)
    assert server.game.wallet.balance("bob") == before
    assert not server.game.moderation.muted("bob")
    assert server.game.moderation.banned("account", "bob") is None
    assert server.game.wallet.tier("bob") == "free"
