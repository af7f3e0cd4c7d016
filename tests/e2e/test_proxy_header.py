"""Behind a proxy with the PROXY protocol: the game sees each client's own address.

The real all-in-one server trusts 127.0.0.1 (``proxy_from``); a socket from there writes
the header a proxy would, then SSH runs on it. The refusals (a trusted address without a
header, a header from an untrusted address) are shown with raw sockets."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import asyncssh
import pytest

from game.app import Server
from game.fronts.ssh.accept import NO_HEADER, UNTRUSTED_HEADER
from tests.e2e.conftest import Reader, e2e_settings
from tests.game.fronts.test_proxy import SSH_HELLO, v2_header, v2_local


@contextlib.asynccontextmanager
async def proxied_server(data_dir: Path, **overrides: object) -> AsyncIterator[Server]:
    """The real server, trusting 127.0.0.1 (where the proxy connects from) as its proxy."""
    srv = Server(e2e_settings(data_dir, proxy_from=("127.0.0.1",), **overrides))
    await srv.start()
    try:
        yield srv
    finally:
        await srv.stop()


@pytest.fixture
async def proxied(tmp_path: Path) -> AsyncIterator[Server]:
    async with proxied_server(tmp_path / "var") as srv:
        yield srv


async def connect_from(
    source: str, port: int, user: str, key: asyncssh.SSHKey
) -> asyncssh.SSHClientConnection:
    return await asyncssh.connect(
        "127.0.0.1",
        port,
        local_addr=(source, 0),
        username=user,
        client_keys=[key],
        known_hosts=None,
        agent_path=None,
        preferred_auth="publickey",
    )


async def first_words(source: str, port: int, send: bytes) -> bytes:
    """What the server says to a raw TCP client from ``source`` that sends ``send``."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    try:
        writer.write(send)
        async with asyncio.timeout(2):
            return await reader.read()  # to EOF
    finally:
        writer.close()


async def test_a_direct_connection_from_the_trusted_proxy_needs_a_header(
    proxied: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    said = await first_words("127.0.0.1", proxied.ssh_port, SSH_HELLO)
    assert said == NO_HEADER.encode() + b"\r\n"
    with pytest.raises(asyncssh.ConnectionLost):  # a real client, straight to the server
        await connect_from("127.0.0.1", proxied.ssh_port, "ana", keys["ana"])
    assert proxied.game.metrics.refused["proxy"] == 2
    assert proxied.gate.startups == 0  # never admitted: nothing to give back


async def test_a_header_from_an_untrusted_address_is_refused(proxied: Server) -> None:
    said = await first_words("127.0.0.7", proxied.ssh_port, v2_header(("198.51.100.4", 1)))
    assert said == UNTRUSTED_HEADER.encode() + b"\r\n"
    said = await first_words("127.0.0.7", proxied.ssh_port, b"PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n")
    assert said == UNTRUSTED_HEADER.encode() + b"\r\n"
    assert proxied.game.metrics.refused["proxy"] == 2
    assert proxied.gate.startups == 0  # its login slot was given back


async def test_a_trusted_header_names_the_player_and_local_names_the_proxy(
    proxied: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    """Without haproxy: a socket from 127.0.0.1 writes the header, then SSH runs on it."""
    seen = {}
    for user, header in (("ana", v2_header(("198.51.100.4", 40000))), ("bob", v2_local())):
        sock = socket.create_connection(("127.0.0.1", proxied.ssh_port))
        sock.sendall(header)
        async with await asyncssh.connect(
            sock=sock,
            username=user,
            client_keys=[keys[user]],
            known_hosts=None,
            agent_path=None,
            preferred_auth="publickey",
        ) as conn:
            reader = Reader(await conn.create_process(encoding=None))
            await reader.until("You see a notice board.")
            session = proxied.game.sessions.get(user)
            assert session is not None
            seen[user] = session.address
    assert seen == {"ana": "198.51.100.4", "bob": "127.0.0.1"}


async def test_a_plain_client_is_served_as_before(
    proxied: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    """An address not in proxy_from connects as always; its first bytes are only peeked at."""
    async with await connect_from("127.0.0.8", proxied.ssh_port, "ana", keys["ana"]) as conn:
        reader = Reader(await conn.create_process(encoding=None))
        await reader.until("You see a notice board.")
        session = proxied.game.sessions.get("ana")
        assert session is not None
        assert session.address == "127.0.0.8"
