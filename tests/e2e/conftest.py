"""End-to-end fixtures: the real server on port 0, driven by a real asyncssh client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import asyncssh
import pytest

from game.app import Server
from game.core.config import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]


def e2e_settings(data_dir: Path, **overrides: object) -> Settings:
    return load_settings(
        environ={},
        data_dir=data_dir,
        content_dir=ROOT / "content",
        ssh_host="127.0.0.1",
        ssh_port=0,
        http_port=-1,
        **overrides,
    )


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Server]:
    srv = Server(e2e_settings(tmp_path / "var"))
    await srv.start()
    yield srv
    await srv.stop()


@pytest.fixture(scope="session")
def keys() -> dict[str, asyncssh.SSHKey]:
    """One ed25519 key per test player name, made once per run."""
    return {
        name: asyncssh.generate_private_key("ssh-ed25519") for name in ("ana", "bob", "cyra", "eve")
    }


async def connect(
    port: int, user: str, key: asyncssh.SSHKey | None
) -> asyncssh.SSHClientConnection:
    return await asyncssh.connect(
        "127.0.0.1",
        port,
        username=user,
        client_keys=[key] if key is not None else None,
        known_hosts=None,
        agent_path=None,
        preferred_auth="publickey" if key is not None else "keyboard-interactive",
    )


class Reader:
    """Reads a channel's output in order: each ``until`` waits for text after the last match."""

    def __init__(self, process: asyncssh.SSHClientProcess[bytes]) -> None:
        self.process = process
        self.seen = b""
        self.pos = 0

    async def until(self, text: str, within: float = 10.0) -> str:
        wanted = text.encode()
        async with asyncio.timeout(within):
            while (found := self.seen.find(wanted, self.pos)) < 0:
                chunk = await self.process.stdout.read(65536)
                if not chunk:
                    raise EOFError(f"channel closed before {text!r}; got {self.seen[-500:]!r}")
                self.seen += chunk
        self.pos = found + len(wanted)
        return self.seen.decode(errors="replace")

    def send(self, line: str) -> None:
        self.process.stdin.write((line + "\r").encode())


# The scaled-out roles' fixtures (a session-wide redis-server, a world with two gateways).
from tests.e2e.cluster import cluster, redis_url  # noqa: E402, F401
