"""Bridge client credentials on the real server: issued from the shell (``sshrealm bridge``)
and from the admin console (``@bridge`` over SSH), redeemed over HTTP, rotated and revoked
while the server runs, and still valid after a restart."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import aiohttp
import asyncssh
from click.testing import CliRunner

from game.cli.main import main
from game.core.config import load_settings
from tests.e2e.conftest import connect
from tests.game.engine.bridging.harness import bridged_server, bridged_settings, http_plugin

CODE = re.compile(r"^  (\S+)$", re.MULTILINE)


def shell(data_dir: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["bridge", *args, "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    return result.output


async def register(url: str, name: str, code: str | None = None) -> tuple[int, dict[str, str]]:
    body = {"name": name, "language": "py", **({"code": code} if code else {})}
    async with aiohttp.ClientSession(url) as http, http.post("/register", json=body) as r:
        return r.status, await r.json()


async def universal(url: str, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(url) as http, http.get("/universal", headers=headers) as r:
        return r.status


async def test_shell_issues_rotates_and_revokes(tmp_path: Path) -> None:
    out = shell(tmp_path, "add-client", "contest-bot", "--capabilities", "tokens.grant,message")
    (code,) = CODE.findall(out)
    settings = bridged_settings(tmp_path)
    async with bridged_server(settings) as server:
        url = http_plugin(server).url
        assert (await register(url, "contest-bot"))[0] == 403  # the squatter's way
        status, body = await register(url, "contest-bot", code)
        assert status == 200
        assert body["capabilities"] == ["message", "tokens.grant"]
        token = body["token"]
        assert await universal(url, token) == 200
        assert "contest-bot: has a token; message, tokens.grant" in shell(tmp_path, "list")
    async with bridged_server(settings) as server:  # a restart: the token still works
        url = http_plugin(server).url
        assert await universal(url, token) == 200
        (new_code,) = CODE.findall(shell(tmp_path, "rotate", "contest-bot"))
        assert await universal(url, token) == 401  # rotated from the shell, server running
        status, body = await register(url, "contest-bot", new_code)
        assert status == 200
        assert "revoked" in shell(tmp_path, "revoke", "contest-bot")
        assert await universal(url, body["token"]) == 401
    bad = CliRunner().invoke(
        main,
        [
            "bridge",
            "add-client",
            "x",
            "--capabilities",
            "tokens.steal",
            "--data-dir",
            str(tmp_path / "x"),
        ],
    )
    assert bad.exit_code != 0
    assert "unknown tokens.steal" in bad.output
    assert not (tmp_path / "x").exists()  # refused before anything was written


async def test_admin_console_manages_clients(
    tmp_path: Path, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with bridged_server(bridged_settings(tmp_path)) as server:
        port, url = server.ssh_port, http_plugin(server).url
        async with await connect(port, "bob", keys["bob"]) as conn:
            refused = await conn.run("@bridge add spy tokens.grant")
            assert "Permission denied: @bridge is for admins." in str(refused.stderr)
        async with await connect(port, "ana", keys["ana"]) as conn:
            await conn.run("look")
        server.game.store.set_role("ana", "admin")
        async with await connect(port, "ana", keys["ana"]) as conn:
            added = str((await conn.run("@bridge add scoreboard state.balances")).stdout)
            code = added.split("valid 24 hours): ")[1].split()[0]
            status, body = await register(url, "scoreboard", code)
            assert status == 200
            assert body["capabilities"] == ["state.balances"]
            listing = str((await conn.run("@bridge")).stdout)
            assert "scoreboard: has a token; state.balances." in listing
            revoked = str((await conn.run("@bridge revoke scoreboard")).stdout)
            assert "scoreboard is revoked" in revoked
            assert await universal(url, body["token"]) == 401
            wrong = str((await conn.run("@bridge add x tokens.steal")).stderr)
            assert "Unknown capability tokens.steal" in wrong
        actions = server.conn.execute(
            "SELECT actor, action, target FROM audit_log WHERE action LIKE 'bridge-%'"
        ).fetchall()
        assert actions == [
            ("ana", "bridge-add", "scoreboard"),
            ("ana", "bridge-revoke", "scoreboard"),
        ]


async def test_shell_approve_gives_the_servers_default_grants(tmp_path: Path) -> None:
    """Security review (low): the shell's approve ignored default_capabilities, which the
    console used, so the same approval granted different things."""
    config = tmp_path / "sshrealm.toml"
    config.write_text(
        '[bridge.plugin.http.settings]\nallow_pending = true\ndefault_capabilities = ["message"]\n'
    )
    settings = bridged_settings(tmp_path)
    http = {
        **settings.bridge["plugin"]["http"],
        "settings": load_settings(config).bridge["plugin"]["http"]["settings"],
    }
    table = {**settings.bridge, "plugin": {**settings.bridge["plugin"], "http": http}}
    async with bridged_server(dataclasses.replace(settings, bridge=table)) as srv:
        url = http_plugin(srv).url
        status, body = await register(url, "asker")
        assert status == 202
        result = CliRunner().invoke(
            main,
            [
                "bridge",
                "approve",
                "asker",
                "--config",
                str(config),
                "--data-dir",
                str(tmp_path),
            ],
        )
        assert result.exit_code == 0, result.output
        answer = {"name": "asker", "language": "py", "claim": body["claim"]}
        async with (
            aiohttp.ClientSession(url) as http_client,
            http_client.post("/register", json=answer) as r,
        ):
            assert (r.status, (await r.json())["capabilities"]) == (200, ["message"])


def test_adding_a_client_says_what_would_stop_it(tmp_path: Path) -> None:
    """A walkthrough: a code was issued while the bridge was off, and a client granted
    'message' was refused because the http plugin itself lacked it. Both are said now."""
    off = shell(tmp_path, "add-client", "bot", "--capabilities", "message")
    assert "Note: the HTTP bridge is off." in off
    config = tmp_path / "sshrealm.toml"
    config.write_text(
        '[bridge]\nenabled = ["http"]\n[bridge.plugin.http]\ncapabilities = ["post"]\n'
    )
    grants = "message,post,state.balances"
    args = ["add-client", "bot2", "--capabilities", grants, "--config", str(config)]
    result = CliRunner().invoke(main, ["bridge", *args, "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "the HTTP bridge is off" not in result.output
    assert "the http plugin itself is not granted message:" in result.output
