"""The PROXY protocol (v1 and v2): the real client address a TCP proxy puts before the stream.

Behind HAProxy in TCP mode every connection comes from the proxy, so bans, the login
throttle and the per-address limits would all see one address. With ``send-proxy-v2`` the
proxy first sends a header naming the client; this module reads it (the specification is
HAProxy's ``doc/proxy-protocol.txt``).

* :class:`HeaderParser` is the sans-IO core: fed bytes, it says how many more certainly
  belong to the header, so the reader never takes a byte of what follows (the SSH
  handshake, which must stay in the socket for asyncssh).
* :func:`read_header` reads one header from an accepted non-blocking socket with
  ``loop.sock_recv``, bounded in bytes and in time: a peer that sends half a header is
  dropped after :data:`HEADER_TIMEOUT_S`, not held forever.
* :func:`starts_with_signature` peeks (``MSG_PEEK``, nothing consumed) at the first bytes of
  a connection from anyone else, so a header from an untrusted peer can be refused.
* :class:`TrustedProxies` is the ``proxy_from`` setting: which peers must send a header.

Only a trusted peer's header is ever believed: anyone could write one.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass

from game.core.config import ConfigError

V2_SIGNATURE = b"\r\n\r\n\x00\r\nQUIT\n"
V1_PREFIX = b"PROXY "
V2_FIXED = 16  # signature, version/command, family/protocol, 2-byte length
V1_MIN = len(b"PROXY UNKNOWN\r\n")  # the shortest v1 header; shorter than any v2 one
V1_MAX = 107  # the specification's longest v1 line, CRLF included
V2_MAX_LENGTH = 4096
"""Longest v2 address block (addresses and TLVs) accepted. HAProxy's own TLVs (ALPN, SNI,
unique id, SSL details) fit in a few hundred bytes; the 16-bit field allows 64 KiB."""
HEADER_TIMEOUT_S = 5.0
"""A proxy sends its header at once; a peer still short of one after this is dropped."""
PEEK_WAIT_S = 0.2
"""How long an untrusted connection's first bytes are waited for, to see whether they are a
PROXY header. SSH clients send their version string as soon as they connect, so they are
not delayed; one that waits for the server's first is delayed this much, once."""

_V2_COMMANDS = {0x0: "LOCAL", 0x1: "PROXY"}
_AF_UNSPEC, _AF_INET, _AF_INET6, _AF_UNIX = 0x0, 0x1, 0x2, 0x3
_STREAM = 0x1
_ADDRESS_LENGTHS = {_AF_UNSPEC: 0, _AF_INET: 12, _AF_INET6: 36, _AF_UNIX: 216}


class ProxyError(ValueError):
    """A PROXY header that is missing, malformed, too long or too slow; the message is a
    sentence for the log."""


class PeerGone(ProxyError):
    """The peer closed before sending a byte: no header was ever attempted (a port probe,
    or a client that gave up before the proxy reached the server)."""


@dataclass(frozen=True)
class ProxyHeader:
    """One parsed header. ``source`` is None when the header names no usable address (v2
    LOCAL, which HAProxy's health checks send; v1 UNKNOWN; a UNIX or UDP family): the
    connection's own peer stands for the client then."""

    version: int
    source: tuple[str, int] | None
    destination: tuple[str, int] | None
    length: int  # bytes the header took on the wire


class HeaderParser:
    """Sans-IO: :meth:`feed` bytes while :meth:`wanted` is above zero, then :meth:`header`.

    ``wanted`` is always a count of bytes that certainly belong to the header (for v1, whose
    length is known only at its CRLF, that is 1 or 2), so reading exactly that many never
    takes a byte of the stream after it. It raises :class:`ProxyError` as soon as the bytes
    seen cannot begin a valid header."""

    def __init__(self, max_v2_length: int = V2_MAX_LENGTH) -> None:
        self.max_v2_length = max_v2_length
        self.buf = bytearray()

    def feed(self, data: bytes) -> None:
        self.buf += data

    def wanted(self) -> int:
        buf = bytes(self.buf)
        if not _could_begin(buf):
            raise ProxyError(f"the connection did not begin with a PROXY header ({buf[:16]!r})")
        if buf.startswith(V2_SIGNATURE):
            if len(buf) < V2_FIXED:
                return V2_FIXED - len(buf)
            if buf[12] >> 4 != 2:
                raise ProxyError(f"the PROXY header has version {buf[12] >> 4}, not 2")
            length = int.from_bytes(buf[14:16], "big")
            if length > self.max_v2_length:
                raise ProxyError(
                    f"the PROXY v2 header announces {length} bytes of addresses, "
                    f"more than the {self.max_v2_length} accepted"
                )
            return max(0, V2_FIXED + length - len(buf))
        if buf.startswith(V1_PREFIX):
            if b"\r\n" in buf:
                return 0
            if len(buf) >= V1_MAX:
                raise ProxyError(f"the PROXY v1 line has no CRLF within {V1_MAX} bytes")
            return max(1 if buf.endswith(b"\r") else 2, V1_MIN - len(buf))
        return V1_MIN - len(buf)  # not yet known which version: both are at least this long

    def header(self) -> ProxyHeader:
        """The header, once :meth:`wanted` is zero."""
        if self.wanted():
            raise ProxyError("the PROXY header is not complete yet")
        buf = bytes(self.buf)
        if buf.startswith(V2_SIGNATURE):
            return parse_v2(buf)
        return parse_v1(buf)

    def rest(self) -> bytes:
        """Bytes fed beyond the header (none when fed only what :meth:`wanted` asked)."""
        return bytes(self.buf[self.header().length :])


def _could_begin(buf: bytes) -> bool:
    """Whether ``buf`` is the start of a v1 or v2 header (as far as it goes)."""
    return any(buf[: len(sig)] == sig[: len(buf)] for sig in (V2_SIGNATURE, V1_PREFIX))


def looks_like_header(first: bytes) -> bool:
    """Whether a connection's first bytes (at least one) begin a PROXY header. An SSH
    client's first byte is the ``S`` of ``SSH-``, so one byte is enough to tell."""
    return bool(first) and _could_begin(first)


def parse_v2(buf: bytes) -> ProxyHeader:
    """A whole v2 header (``buf`` may run past it; only the announced length is read)."""
    version, command = buf[12] >> 4, buf[12] & 0x0F
    family, protocol = buf[13] >> 4, buf[13] & 0x0F
    (length,) = struct.unpack_from("!H", buf, 14)
    total = V2_FIXED + length
    if len(buf) < total:
        raise ProxyError(f"the PROXY v2 header is cut short ({len(buf)} of {total} bytes)")
    if version != 2:
        raise ProxyError(f"the PROXY header has version {version}, not 2")
    if command not in _V2_COMMANDS:
        raise ProxyError(f"the PROXY v2 header has an unknown command {command:#x}")
    if family not in _ADDRESS_LENGTHS or protocol > 0x2:
        raise ProxyError(f"the PROXY v2 header has an unknown family/protocol {buf[13]:#04x}")
    if _V2_COMMANDS[command] == "LOCAL":  # the proxy's own connection (a health check)
        return ProxyHeader(2, None, None, total)
    if length < _ADDRESS_LENGTHS[family]:
        raise ProxyError(f"the PROXY v2 address block is {length} bytes, too short for its family")
    if family not in (_AF_INET, _AF_INET6) or protocol != _STREAM:
        return ProxyHeader(2, None, None, total)  # UNSPEC, UNIX or UDP: no client address
    size = 4 if family == _AF_INET else 16
    block = buf[V2_FIXED:total]  # TLVs after the addresses are skipped
    src = _ip(block[:size])
    dst = _ip(block[size : 2 * size])
    src_port, dst_port = struct.unpack_from("!HH", block, 2 * size)
    return ProxyHeader(2, (src, src_port), (dst, dst_port), total)


def _ip(packed: bytes) -> str:
    return str(ipaddress.ip_address(packed))


def parse_v1(buf: bytes) -> ProxyHeader:
    """A whole v1 line: ``PROXY TCP4|TCP6 src dst sport dport`` or ``PROXY UNKNOWN ...``."""
    end = buf.find(b"\r\n")
    if not buf.startswith(V1_PREFIX) or end < 0 or end + 2 > V1_MAX:
        raise ProxyError("the PROXY v1 line is malformed or has no CRLF")
    try:
        words = buf[:end].decode("ascii").split(" ")
    except UnicodeDecodeError as exc:
        raise ProxyError("the PROXY v1 line is not ASCII") from exc
    if len(words) >= 2 and words[1] == "UNKNOWN":
        return ProxyHeader(1, None, None, end + 2)
    if len(words) != 6 or words[1] not in ("TCP4", "TCP6"):
        raise ProxyError(f"the PROXY v1 line is malformed: {buf[:end]!r}")
    kind = ipaddress.IPv4Address if words[1] == "TCP4" else ipaddress.IPv6Address
    try:
        src, dst = kind(words[2]), kind(words[3])
        ports = [_port(word) for word in words[4:]]
    except ValueError as exc:
        raise ProxyError(f"the PROXY v1 line is malformed: {buf[:end]!r}") from exc
    return ProxyHeader(1, (str(src), ports[0]), (str(dst), ports[1]), end + 2)


def _port(word: str) -> int:
    if not word.isdigit() or (len(word) > 1 and word[0] == "0") or int(word) > 65535:
        raise ValueError(f"bad port {word!r}")
    return int(word)


async def read_header(
    sock: socket.socket,
    timeout_s: float = HEADER_TIMEOUT_S,
    max_v2_length: int = V2_MAX_LENGTH,
) -> ProxyHeader:
    """Read one header from an accepted non-blocking socket, not one byte past it.

    Raises :class:`ProxyError` when the bytes are not a header, the peer closes first, or
    the whole header has not arrived within ``timeout_s``."""
    loop = asyncio.get_running_loop()
    parser = HeaderParser(max_v2_length)
    try:
        async with asyncio.timeout(timeout_s):
            while (want := parser.wanted()) > 0:
                data = await loop.sock_recv(sock, want)
                if not data and not parser.buf:
                    raise PeerGone("the peer closed before sending anything")
                if not data:
                    raise ProxyError(
                        f"the peer closed after {len(parser.buf)} bytes of a PROXY header"
                    )
                parser.feed(data)
    except TimeoutError:
        raise ProxyError(
            f"no complete PROXY header within {timeout_s:g} s ({len(parser.buf)} bytes came)"
        ) from None
    return parser.header()


async def starts_with_signature(sock: socket.socket, wait_s: float = PEEK_WAIT_S) -> bool:
    """Whether the connection's first bytes begin a PROXY header, consuming nothing.

    Waits at most ``wait_s`` for the first bytes; none by then counts as no header (the
    stream is left exactly as it was for whoever reads it next)."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()

    def readable() -> None:
        if not ready.done():
            ready.set_result(None)

    fd = sock.fileno()
    loop.add_reader(fd, readable)
    try:
        async with asyncio.timeout(wait_s):
            await ready
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
    try:
        first = sock.recv(len(V2_SIGNATURE), socket.MSG_PEEK)
    except (BlockingIOError, InterruptedError):
        return False
    except OSError:
        return False  # reset already: whoever reads next finds out
    return looks_like_header(first)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class TrustedProxies:
    """The peers (addresses or CIDR networks, IPv4 or IPv6) whose connections must begin
    with a PROXY header: the ``proxy_from`` setting, checked once at start-up."""

    def __init__(self, entries: Iterable[str] = ()) -> None:
        networks: list[Network] = []
        for entry in entries:
            try:
                networks.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError as exc:
                raise ConfigError(
                    f"setting 'proxy_from': {entry!r} is not an IP address "
                    "or a network like 10.0.0.0/8"
                ) from exc
        self.networks = tuple(networks)

    def __bool__(self) -> bool:
        return bool(self.networks)

    def __contains__(self, address: object) -> bool:
        if not self.networks or not isinstance(address, str):
            return False
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])  # fe80::1%eth0: no zone
        except ValueError:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped  # a dual-stack socket shows IPv4 peers as ::ffff:a.b.c.d
        return any(ip in network for network in self.networks)
