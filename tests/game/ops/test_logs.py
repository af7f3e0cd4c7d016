"""Logs carry player and session ids and never a password, a hash or key material."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import asyncssh
import pytest
import structlog

from game.app import Server
from tests.e2e.conftest import e2e_settings

SECRET = "correct horse battery"


async def test_password_login_logs_ids_but_no_secrets(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server = Server(e2e_settings(tmp_path / "var"))
    await server.start()
    server.game.ensure_account("cyra", password_hash=server.ssh.hasher.hash(SECRET))
    options: dict[str, Any] = {
        "known_hosts": None,
        "agent_path": None,
        "client_keys": None,
        "preferred_auth": "keyboard-interactive",
    }
    try:
        with structlog.testing.capture_logs() as events:
            async with asyncssh.connect(
                "127.0.0.1", server.ssh_port, username="cyra", password=SECRET, **options
            ) as conn:
                shell = await conn.create_process()
                shell.stdin.write("say my password is safe\nquit\n")
                await shell.wait_closed()
            with pytest.raises(asyncssh.PermissionDenied):
                await asyncssh.connect(
                    "127.0.0.1",
                    server.ssh_port,
                    username="cyra",
                    password="x" + SECRET,
                    **options,
                )
    finally:
        stored = server.game.store.account("cyra")
        await server.stop()
    assert stored is not None
    assert stored.password_hash
    seen = {e["event"]: e for e in events}
    assert seen["session_started"]["player"] == "cyra"
    assert seen["session_started"]["session"]
    assert seen["password_refused"]["player"] == "cyra"
    everything = json.dumps(events, default=str) + caplog.text
    for secret in (SECRET, stored.password_hash, stored.password_hash.split("$")[-1]):
        assert secret not in everything


async def test_session_logs_carry_player_and_session(
    tmp_path: Path, keys: dict[str, asyncssh.SSHKey]
) -> None:
    server = Server(e2e_settings(tmp_path / "var"))
    await server.start()
    try:
        with structlog.testing.capture_logs() as events:
            async with asyncssh.connect(
                "127.0.0.1",
                server.ssh_port,
                username="ana",
                client_keys=[keys["ana"]],
                known_hosts=None,
                agent_path=None,
            ) as conn:
                proc = await conn.create_process()
                proc.stdin.write("quit\n")
                await proc.wait_closed()
    finally:
        await server.stop()
    started = next(e for e in events if e["event"] == "session_started")
    assert started["player"] == "ana"
    assert len(started["session"]) == 8
    ended = next(e for e in events if e["event"] == "session_ended")
    assert ended["session"] == started["session"]
