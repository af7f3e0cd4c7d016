"""Linking a second SSH key with a one-time code, over real SSH."""

from __future__ import annotations

import re

import asyncssh
import pytest

from game.app import Server
from tests.e2e.conftest import connect


class CodeTyper(asyncssh.SSHClient):
    """A client that answers the keyboard-interactive prompt with a link code."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.prompts: list[str] = []

    def kbdint_auth_requested(self) -> str:
        return ""

    def kbdint_challenge_received(
        self, name: str, instructions: str, lang: str, prompts: object
    ) -> list[str]:
        self.prompts += [p for p, _ in prompts]  # type: ignore[attr-defined]
        return [self.code]


async def _with_code(port: int, key: asyncssh.SSHKey, code: str) -> asyncssh.SSHClientConnection:
    return await asyncssh.connect(
        "127.0.0.1",
        port,
        username="ana",
        client_keys=[key],
        known_hosts=None,
        agent_path=None,
        client_factory=lambda: CodeTyper(code),
    )


async def test_second_key_linked_with_code_then_first_revoked(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    old, new = keys["ana"], keys["eve"]
    async with await connect(server.ssh_port, "ana", old) as conn:
        out = (await conn.run("keys link")).stdout
    found = re.search(r"code is ([a-z0-9]{4}-[a-z0-9]{4})", str(out))
    assert found, out
    code = found.group(1)
    with pytest.raises((asyncssh.PermissionDenied, asyncssh.ConnectionLost)):
        await _with_code(server.ssh_port, new, "wrong-code")
    async with await _with_code(server.ssh_port, new, code) as conn:
        assert (await conn.run("look")).exit_status == 0
    async with await connect(server.ssh_port, "ana", new) as conn:  # the key alone now
        listed = str((await conn.run("keys")).stdout)
        assert listed.startswith("2 keys can log in as you:")
        assert "can no longer log in" in str((await conn.run("keys revoke 1")).stdout)
    with pytest.raises((asyncssh.PermissionDenied, asyncssh.ConnectionLost)):
        await connect(server.ssh_port, "ana", old)
    with pytest.raises((asyncssh.PermissionDenied, asyncssh.ConnectionLost)):
        await _with_code(server.ssh_port, old, code)  # a spent code links nothing
