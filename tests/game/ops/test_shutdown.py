"""SIGTERM on a real ``sshrealm serve`` process with a player connected: the player is
warned and told goodbye, the process exits 0 within 10 s, and a restart brings the
player's state back."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import time
from pathlib import Path

import asyncssh

from game.app import Server
from game.ops.shutdown import graceful_stop
from tests.e2e.conftest import ROOT, Reader, connect, e2e_settings

SSHREALM = Path(sys.executable).with_name("sshrealm")


async def start_process(data_dir: Path) -> tuple[asyncio.subprocess.Process, int]:
    env = {
        **os.environ,
        "SSHREALM_SSH_HOST": "127.0.0.1",
        "SSHREALM_HTTP_PORT": "-1",
        "SSHREALM_SHUTDOWN_GRACE_S": "1",
    }
    proc = await asyncio.create_subprocess_exec(
        str(SSHREALM),
        "serve",
        "--port",
        "0",
        "--data-dir",
        str(data_dir),
        "--content-dir",
        str(ROOT / "content"),
        "--json-logs",
        stderr=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.DEVNULL,
        env=env,
    )
    assert proc.stderr is not None
    async with asyncio.timeout(30):
        while True:
            line = (await proc.stderr.readline()).decode()
            assert line, "server exited before it was ready"
            if match := re.search(r"ssh -p (\d+) ", line):
                return proc, int(match.group(1))


async def test_sigterm_warns_players_and_restart_restores_state(
    tmp_path: Path, keys: dict[str, asyncssh.SSHKey]
) -> None:
    data = tmp_path / "var"
    proc, port = await start_process(data)
    try:
        async with await connect(port, "ana", keys["ana"]) as conn:
            shell = await conn.create_process(encoding=None)
            reader = Reader(shell)
            await reader.until("You see a notice board.")
            reader.send("north")
            await reader.until("The Old Hall")
            reader.send("look")
            await reader.until("The Old Hall")
            sent = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            await reader.until("The server is restarting in 1 second.")
            await reader.until("The server is restarting now. Your progress is saved.")
            async with asyncio.timeout(10):
                assert await proc.wait() == 0
            assert time.monotonic() - sent < 10
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    restarted = Server(e2e_settings(data))
    await restarted.start()
    try:
        async with await connect(restarted.ssh_port, "ana", keys["ana"]) as conn:
            result = await conn.run("look")
        assert str(result.stdout).startswith("The Old Hall")
        assert restarted.game.ledger.verify().ok
    finally:
        await restarted.stop()


async def test_graceful_stop_refuses_logins_first(
    tmp_path: Path, keys: dict[str, asyncssh.SSHKey]
) -> None:
    server = Server(e2e_settings(tmp_path / "var", shutdown_grace_s=0))
    await server.start()
    async with await connect(server.ssh_port, "bob", keys["bob"]) as conn:
        shell = await conn.create_process(encoding=None)
        reader = Reader(shell)
        await reader.until("You see a notice board.")
        took = await graceful_stop(server)
        await reader.until("The server is restarting in a moment.")
        await reader.until("The server is restarting now.")
    assert not server.ssh.accepting
    assert took < 10
