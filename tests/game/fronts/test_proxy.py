"""The PROXY protocol reader: v1 and v2 headers, parsed exactly, over real sockets.

The headers are written here byte by byte from the specification (HAProxy's
doc/proxy-protocol.txt), so the parser is checked against the format, not against itself."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import struct
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.core.config import ConfigError, load_settings
from game.fronts.proxy import (
    V2_SIGNATURE,
    HeaderParser,
    PeerGone,
    ProxyError,
    ProxyHeader,
    TrustedProxies,
    looks_like_header,
    read_header,
    starts_with_signature,
)

SSH_HELLO = b"SSH-2.0-OpenSSH_9.2\r\n"


def v2_header(
    src: tuple[str, int] = ("203.0.113.7", 51000),
    dst: tuple[str, int] = ("10.0.0.2", 2222),
    *,
    command: int = 0x1,
    tlvs: bytes = b"",
) -> bytes:
    """A v2 header as HAProxy's send-proxy-v2 writes it (TCP over IPv4 or IPv6)."""
    ip_src, ip_dst = ipaddress.ip_address(src[0]), ipaddress.ip_address(dst[0])
    family = 0x1 if ip_src.version == 4 else 0x2
    block = ip_src.packed + ip_dst.packed + struct.pack("!HH", src[1], dst[1]) + tlvs
    return (
        V2_SIGNATURE
        + bytes([0x20 | command, family << 4 | 0x1])
        + struct.pack("!H", len(block))
        + block
    )


def v2_local() -> bytes:
    """What HAProxy's health checks send: LOCAL, family UNSPEC, no addresses."""
    return V2_SIGNATURE + bytes([0x20, 0x00]) + b"\x00\x00"


def parse_all(data: bytes) -> ProxyHeader:
    parser = HeaderParser()
    parser.feed(data)
    return parser.header()


def feed_as_reader(data: bytes) -> tuple[ProxyHeader, int]:
    """Feed ``data`` the way the socket reader does (only what is wanted, one read at a time);
    the header and how many bytes were taken."""
    parser = HeaderParser()
    taken = 0
    while (want := parser.wanted()) > 0:
        parser.feed(data[taken : taken + want])
        taken += want
    return parser.header(), taken


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    """(server side, non-blocking as the acceptor's are; client side)."""
    server, client = socket.socketpair()
    server.setblocking(False)
    yield server, client
    server.close()
    client.close()


# -- the sans-IO core ------------------------------------------------------------------------
def test_v2_tcp4_gives_the_source_address() -> None:
    header = parse_all(v2_header(("203.0.113.7", 51000), ("10.0.0.2", 2222)))
    assert header == ProxyHeader(2, ("203.0.113.7", 51000), ("10.0.0.2", 2222), 28)


def test_v2_tcp6_gives_the_source_address() -> None:
    header = parse_all(v2_header(("2001:db8::1", 40000), ("2001:db8::2", 2222)))
    assert header.source == ("2001:db8::1", 40000)
    assert header.destination == ("2001:db8::2", 2222)
    assert header.length == 16 + 36


def test_v2_local_names_no_address() -> None:
    header = parse_all(v2_local())
    assert header.source is None
    assert header.length == 16


def test_v2_tlvs_are_skipped_and_counted_in_the_length() -> None:
    tlvs = b"\x01\x00\x02h2" + b"\x05\x00\x04abcd"  # ALPN, UNIQUE_ID
    data = v2_header(tlvs=tlvs) + SSH_HELLO
    header, taken = feed_as_reader(data)
    assert header.source == ("203.0.113.7", 51000)
    assert taken == header.length == 28 + len(tlvs)
    assert data[taken:] == SSH_HELLO


def test_v1_tcp4_tcp6_and_unknown() -> None:
    tcp4 = parse_all(b"PROXY TCP4 198.51.100.9 10.0.0.2 40123 2222\r\n")
    assert tcp4.source == ("198.51.100.9", 40123)
    assert tcp4.version == 1
    tcp6 = parse_all(b"PROXY TCP6 2001:db8::9 2001:db8::2 40123 2222\r\n")
    assert tcp6.source == ("2001:db8::9", 40123)
    unknown = parse_all(b"PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n")
    assert unknown.source is None
    assert parse_all(b"PROXY UNKNOWN\r\n").length == 15


def test_v1_is_read_to_its_crlf_and_not_one_byte_more() -> None:
    line = b"PROXY TCP4 198.51.100.9 10.0.0.2 40123 2222\r\n"
    header, taken = feed_as_reader(line + SSH_HELLO)
    assert taken == len(line) == header.length
    assert header.source == ("198.51.100.9", 40123)


@pytest.mark.parametrize(
    "data",
    [
        SSH_HELLO,  # a plain SSH client
        b"\r\n\r\n\x00\r\nQUIX\n" + b"\x21\x11\x00\x0c",  # a signature one byte off
        b"GET / HTTP/1.1\r\n",
    ],
)
def test_a_stream_without_a_signature_is_refused(data: bytes) -> None:
    parser = HeaderParser()
    parser.feed(data)
    with pytest.raises(ProxyError, match="did not begin with a PROXY header"):
        parser.wanted()


@pytest.mark.parametrize(
    "data",
    [
        b"PROXY TCP4 198.51.100.9 10.0.0.2 40123\r\n",  # a port missing
        b"PROXY TCP4 2001:db8::9 10.0.0.2 40123 2222\r\n",  # IPv6 in a TCP4 line
        b"PROXY TCP4 198.51.100.9 10.0.0.2 40123 70000\r\n",  # port out of range
        b"PROXY TCP4 198.51.100.9 10.0.0.2 040123 2222\r\n",  # leading zero
        b"PROXY UDP4 198.51.100.9 10.0.0.2 40123 2222\r\n",
    ],
)
def test_malformed_v1_lines_are_refused(data: bytes) -> None:
    with pytest.raises(ProxyError, match="malformed"):
        parse_all(data)


def test_a_v1_line_without_crlf_is_refused_at_107_bytes() -> None:
    parser = HeaderParser()
    parser.feed(b"PROXY TCP6 " + b"a" * 96)
    with pytest.raises(ProxyError, match="no CRLF within 107"):
        parser.wanted()


def test_bad_v2_version_command_and_family_are_refused() -> None:
    good = bytearray(v2_header())
    for offset, value, words in [
        (12, 0x11, "version 1"),
        (12, 0x2F, "unknown command"),
        (13, 0x41, "family/protocol"),
    ]:
        bad = bytearray(good)
        bad[offset] = value
        with pytest.raises(ProxyError, match=words):
            parse_all(bytes(bad))


def test_a_v2_address_block_too_short_for_its_family_is_refused() -> None:
    data = V2_SIGNATURE + bytes([0x21, 0x21]) + struct.pack("!H", 12) + b"\x00" * 12
    with pytest.raises(ProxyError, match="too short"):
        parse_all(data)


def test_an_oversized_v2_length_is_refused_before_reading_it() -> None:
    parser = HeaderParser(max_v2_length=4096)
    parser.feed(V2_SIGNATURE + bytes([0x21, 0x11]) + struct.pack("!H", 60000))
    with pytest.raises(ProxyError, match="60000 bytes"):
        parser.wanted()


def test_a_truncated_header_is_not_complete() -> None:
    parser = HeaderParser()
    parser.feed(v2_header()[:20])
    assert parser.wanted() == 8
    with pytest.raises(ProxyError, match="not complete"):
        parser.header()


def test_looks_like_header_needs_one_byte() -> None:
    assert looks_like_header(b"\r")
    assert looks_like_header(b"PROX")
    assert looks_like_header(v2_header())
    assert not looks_like_header(b"S")
    assert not looks_like_header(b"")


# -- reading from a socket -------------------------------------------------------------------
async def test_read_header_leaves_the_ssh_handshake_in_the_socket(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    server, client = pair
    client.sendall(v2_header(("192.0.2.44", 1234)) + SSH_HELLO)
    header = await read_header(server)
    assert header.source == ("192.0.2.44", 1234)
    assert server.recv(100) == SSH_HELLO


async def test_read_header_waits_for_a_header_sent_in_pieces(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    server, client = pair
    line = b"PROXY TCP4 198.51.100.9 10.0.0.2 40123 2222\r\n"
    reading = asyncio.create_task(read_header(server))
    for piece in (line[:3], line[3:20], line[20:]):
        client.sendall(piece)
        await asyncio.sleep(0)
    client.sendall(SSH_HELLO)
    assert (await reading).source == ("198.51.100.9", 40123)
    assert server.recv(100) == SSH_HELLO


async def test_a_half_header_is_dropped_after_the_timeout(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    server, client = pair
    client.sendall(v2_header()[:10])
    started = time.monotonic()
    with pytest.raises(ProxyError, match=r"within 0.05 s \(10 bytes came\)"):
        await read_header(server, timeout_s=0.05)
    assert time.monotonic() - started < 1


async def test_a_peer_that_closes_mid_header_is_refused(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    server, client = pair
    client.sendall(b"PROXY TCP4 1.2")
    client.close()
    with pytest.raises(ProxyError, match="closed after 14 bytes"):
        await read_header(server)


async def test_plain_ssh_to_a_header_reader_is_refused(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    server, client = pair
    client.sendall(SSH_HELLO)
    with pytest.raises(ProxyError, match="did not begin"):
        await read_header(server)


async def test_a_peer_that_closes_before_any_byte_is_gone_not_malformed(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    server, client = pair
    client.close()
    with pytest.raises(PeerGone):
        await read_header(server)


async def test_peeking_consumes_nothing(pair: tuple[socket.socket, socket.socket]) -> None:
    server, client = pair
    client.sendall(SSH_HELLO)
    assert not await starts_with_signature(server)
    assert server.recv(100) == SSH_HELLO
    client.sendall(v2_header())
    assert await starts_with_signature(server)
    assert server.recv(100) == v2_header()


async def test_peeking_a_silent_client_waits_only_briefly(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    server, _ = pair
    started = time.monotonic()
    assert not await starts_with_signature(server, wait_s=0.05)
    assert time.monotonic() - started < 0.5


# -- proxy_from -------------------------------------------------------------------------------
def test_trusted_proxies_match_addresses_and_networks() -> None:
    trusted = TrustedProxies(("127.0.0.1", "10.1.0.0/16", "fd00::/8"))
    assert "127.0.0.1" in trusted
    assert "::ffff:127.0.0.1" in trusted  # an IPv4 peer on a dual-stack socket
    assert "10.1.200.3" in trusted
    assert "fd12::1" in trusted
    assert "127.0.0.2" not in trusted
    assert "fe80::1%eth0" not in trusted
    assert "" not in trusted
    assert not TrustedProxies()
    assert "127.0.0.1" not in TrustedProxies()


def test_a_bad_proxy_from_entry_is_a_config_error_with_a_sentence() -> None:
    with pytest.raises(ConfigError, match=r"'haproxy\.local' is not an IP address"):
        TrustedProxies(("haproxy.local",))


def test_proxy_from_comes_from_toml_or_the_environment(tmp_path: Path) -> None:
    toml = tmp_path / "sshrealm.toml"
    toml.write_text('proxy_from = ["10.0.0.5", "fd00::/8"]\n')
    assert load_settings(toml, environ={}).proxy_from == ("10.0.0.5", "fd00::/8")
    env = {"SSHREALM_PROXY_FROM": "127.0.0.1, 10.1.0.0/16"}
    assert load_settings(toml, environ=env).proxy_from == ("127.0.0.1", "10.1.0.0/16")
    assert load_settings(environ={}).proxy_from == ()
