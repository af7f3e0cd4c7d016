"""Behind HAProxy with the PROXY protocol: the game sees each client's own address.

The real all-in-one server trusts 127.0.0.1 (``proxy_from``); a real ``haproxy`` on a free
port sends it PROXY v2 headers; real asyncssh clients connect through it from distinct
loopback addresses (127.0.0.5, 127.0.0.6). Bans, sessions and limits see those addresses.
The refusals, which need no haproxy, are in test_proxy_header.py."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import asyncssh
import pytest

from game.app import Server
from game.ops.haproxy import HaproxyProcess, find_haproxy, render_config
from tests.e2e.conftest import Reader
from tests.e2e.test_proxy_header import connect_from, proxied_server

needs_haproxy = pytest.mark.skipif(
    find_haproxy() is None,
    reason="needs haproxy on PATH (Debian package haproxy; `make system-tools` installs it)",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def haproxy_before(server: Server) -> AsyncIterator[int]:
    """haproxy on a free port in front of ``server``; yields the port players dial."""
    port = free_port()
    config = render_config(("127.0.0.1", port), [("127.0.0.1", server.ssh_port)])
    async with HaproxyProcess(config, port):
        yield port


@pytest.fixture
async def front(tmp_path: Path) -> AsyncIterator[tuple[Server, int]]:
    """The server trusting 127.0.0.1, and the haproxy port in front of it."""
    async with proxied_server(tmp_path / "var") as srv, haproxy_before(srv) as port:
        yield srv, port


class BannerClient(asyncssh.SSHClient):
    def __init__(self) -> None:
        self.banner = ""

    def auth_banner_received(self, msg: str, lang: str) -> None:
        self.banner += msg


async def refusal_from(source: str, port: int, user: str, key: asyncssh.SSHKey) -> str:
    """Log in from ``source`` expecting a refusal; the banner that said why."""
    client = BannerClient()
    with pytest.raises((asyncssh.PermissionDenied, asyncssh.ConnectionLost)):
        await asyncssh.connect(
            "127.0.0.1",
            port,
            local_addr=(source, 0),
            username=user,
            client_keys=[key],
            known_hosts=None,
            agent_path=None,
            preferred_auth="publickey",
            client_factory=lambda: client,
        )
    return client.banner


@needs_haproxy
async def test_through_haproxy_the_session_has_the_clients_address(
    front: tuple[Server, int], keys: dict[str, asyncssh.SSHKey]
) -> None:
    proxied, haproxy = front
    async with (
        await connect_from("127.0.0.5", haproxy, "ana", keys["ana"]) as a,
        await connect_from("127.0.0.6", haproxy, "bob", keys["bob"]) as b,
    ):
        ra = Reader(await a.create_process(encoding=None))
        rb = Reader(await b.create_process(encoding=None))
        await ra.until("You see a notice board.")
        await rb.until("You see a notice board.")
        sessions = {s.player.name: s.address for s in proxied.game.sessions}
        assert sessions == {"ana": "127.0.0.5", "bob": "127.0.0.6"}
    assert proxied.game.metrics.refused["proxy"] == 0


@needs_haproxy
async def test_an_address_ban_holds_through_haproxy(
    front: tuple[Server, int], keys: dict[str, asyncssh.SSHKey]
) -> None:
    proxied, haproxy = front
    async with await connect_from("127.0.0.6", haproxy, "ana", keys["ana"]) as a:
        await a.run("look")
    proxied.game.store.set_role("ana", "admin")
    async with (
        await connect_from("127.0.0.6", haproxy, "ana", keys["ana"]) as a,
        await connect_from("127.0.0.5", haproxy, "bob", keys["bob"]) as b,
    ):
        ra = Reader(await a.create_process(encoding=None))
        rb = Reader(await b.create_process(encoding=None))
        await ra.until("You see a notice board.")
        await rb.until("You see a notice board.")
        ra.send("@ban address 127.0.0.5 1h flooding the square")
        await ra.until("Banned address 127.0.0.5. Disconnected: bob.")  # by its real address
        await rb.until("You have been banned by an admin.")
    banner = await refusal_from("127.0.0.5", haproxy, "bob", keys["bob"])
    assert "You are banned from sshrealm. Reason: flooding the square" in banner
    banner = await refusal_from("127.0.0.5", haproxy, "cyra", keys["cyra"])  # any account
    assert "You are banned" in banner
    async with await connect_from("127.0.0.6", haproxy, "cyra", keys["cyra"]) as c:
        assert (await c.run("look")).exit_status == 0
    assert proxied.game.metrics.refused["banned"] == 2


@needs_haproxy
async def test_the_connection_rate_counts_each_client_not_the_proxy(
    tmp_path: Path, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with (
        proxied_server(tmp_path / "var", conn_per_minute=2) as srv,
        haproxy_before(srv) as port,
    ):
        for _ in range(2):
            async with await connect_from("127.0.0.5", port, "ana", keys["ana"]) as a:
                await a.run("look")
        with pytest.raises((asyncssh.ConnectionLost, asyncssh.ProtocolError)):
            await connect_from("127.0.0.5", port, "ana", keys["ana"])
        assert srv.game.metrics.refused["rate"] == 1
        async with await connect_from("127.0.0.6", port, "bob", keys["bob"]) as b:
            assert (await b.run("look")).exit_status == 0
