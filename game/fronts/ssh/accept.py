"""The TCP acceptor in front of asyncssh: refuse over-limit addresses before key exchange.

``asyncssh.create_server`` accepts a socket and starts the SSH handshake at once, so a
refused address still cost a key exchange (a large Diffie-Hellman group is ~20 ms of CPU)
before the server could tell it no. Here the listening sockets are our own: each accepted
socket is first shown to ``admit(address)``; a refusal gets one plain text line (``ssh -v``
shows it; the SSH version string is never sent) and the socket is closed. An admitted socket
is handed to ``asyncssh.run_server`` (its documented way to serve a socket accepted
elsewhere), which runs until the connection has logged in or gone.

Behind a TCP proxy (``proxy_from``, game/fronts/proxy.py) a connection from a trusted proxy
must first send a PROXY header; the client address it names is the one admitted, counted,
and given to the login (``make_server(address)``), so limits, bans and the password lockout
see the player, not the proxy. The header is read before ``admit`` (it decides the address
admitted), bounded by :data:`~game.fronts.proxy.HEADER_TIMEOUT_S`. A connection from anyone
else that begins with a PROXY header is refused after ``admit``: its header is never
believed, and the line says why (a proxy left out of ``proxy_from`` is the usual cause).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable, Coroutine

import asyncssh
import structlog

from game.fronts.proxy import (
    HEADER_TIMEOUT_S,
    PEEK_WAIT_S,
    PeerGone,
    ProxyError,
    TrustedProxies,
    read_header,
    starts_with_signature,
)

log = structlog.get_logger("sshrealm.ssh")

Admit = Callable[[str], str | None]
"""Why ``address`` may not connect (a sentence for the client), or None."""
MakeServer = Callable[[str], asyncssh.SSHServer]
"""The login object for one connection from a client at ``address``."""

NO_HEADER = "Connections from this address must begin with a PROXY protocol header."
UNTRUSTED_HEADER = "PROXY protocol headers are accepted only from the server's own proxies."

BACKLOG = 128


def bind(host: str, port: int) -> socket.socket:
    """A listening, non-blocking TCP socket on ``host``:``port`` (``""``/``::``: every
    address, IPv4 and IPv6 where the system can)."""
    if host in ("", "::") and socket.has_dualstack_ipv6():
        sock = socket.create_server(
            ("::", port), family=socket.AF_INET6, dualstack_ipv6=True, backlog=BACKLOG
        )
    else:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.create_server((host or "0.0.0.0", port), family=family, backlog=BACKLOG)
    sock.setblocking(False)
    return sock


class Acceptor:
    """Accepts connections on one socket; admitted ones run SSH with ``options``."""

    def __init__(
        self,
        sock: socket.socket,
        options: asyncssh.SSHServerConnectionOptions,
        admit: Admit,
        done: Callable[[str], None],
        *,
        make_server: MakeServer | None = None,
        trusted: TrustedProxies | None = None,
        refused: Callable[[str], None] | None = None,
        header_timeout_s: float = HEADER_TIMEOUT_S,
        peek_wait_s: float = PEEK_WAIT_S,
    ) -> None:
        """``done`` is called once for every admitted connection when it has logged in or
        ended without logging in (the pre-authentication slot is free again). ``refused``
        counts the acceptor's own refusals (``"proxy"``); ``admit`` counts its own."""
        self.sock = sock
        self.options = options
        self.admit = admit
        self.done = done
        self.make_server = make_server
        self.trusted = trusted if trusted is not None else TrustedProxies()
        self.refused = refused
        self.header_timeout_s = header_timeout_s
        self.peek_wait_s = peek_wait_s
        self.handshakes: set[asyncio.Task[None]] = set()
        self._task: asyncio.Task[None] | None = None

    def get_port(self) -> int:
        return int(self.sock.getsockname()[1])

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._accept_loop())

    async def _accept_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                conn, peer = await loop.sock_accept(self.sock)
            except OSError as exc:  # out of file descriptors, or similar: keep listening
                log.warning("ssh_accept_failed", error=str(exc))
                await asyncio.sleep(0.1)
                continue
            self._accepted(conn, str(peer[0]) if peer else "")

    def _accepted(self, conn: socket.socket, peer: str) -> None:
        if peer in self.trusted:
            self._track(self._proxied(conn, peer))
            return
        why = self.admit(peer)
        if why is not None:  # refused at once, without a task: cheap under a flood
            refuse(conn, why)
            return
        self._track(self._serve(conn, peer, peek=True))

    def _track(self, work: Coroutine[object, object, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self.handshakes.add(task)
        task.add_done_callback(self.handshakes.discard)

    async def _proxied(self, conn: socket.socket, peer: str) -> None:
        """A trusted proxy's connection: its header says whom to admit (LOCAL, a health
        check, names nobody: the proxy itself is admitted then)."""
        try:
            header = await read_header(conn, self.header_timeout_s)
        except asyncio.CancelledError:  # the server is closing
            conn.close()
            raise
        except PeerGone:  # nothing to refuse: it left
            conn.close()
            return
        except (ProxyError, OSError) as exc:
            log.warning("proxy_header_refused", peer=peer, error=str(exc))
            self._refuse_proxy(conn, NO_HEADER)
            return
        address = header.source[0] if header.source is not None else peer
        why = self.admit(address)
        if why is not None:
            refuse(conn, why)
            return
        await self._serve(conn, address, peek=False)

    async def _serve(self, conn: socket.socket, address: str, *, peek: bool) -> None:
        try:
            if peek and await self._peek(conn):
                log.warning(
                    "proxy_header_untrusted",
                    peer=address,
                    hint="if this is your proxy, add its address to proxy_from",
                )
                self._refuse_proxy(conn, UNTRUSTED_HEADER)
                return
            make_server = self.make_server
            if make_server is None:
                await asyncssh.run_server(conn, options=self.options)
            else:  # options are copied per connection anyway: only the factory differs
                await asyncssh.run_server(
                    conn, options=self.options, server_factory=lambda: make_server(address)
                )
        except (OSError, asyncssh.Error):  # TimeoutError is an OSError
            pass  # refused logins, the login timeout, clients that left: logged by asyncssh
        except Exception:
            log.exception("ssh_handshake_failed")
        finally:
            self.done(address)

    async def _peek(self, conn: socket.socket) -> bool:
        """Whether an untrusted connection begins with a PROXY header (nothing consumed)."""
        try:
            return await starts_with_signature(conn, self.peek_wait_s)
        except asyncio.CancelledError:  # the server is closing; asyncssh never had it
            conn.close()
            raise

    def _refuse_proxy(self, conn: socket.socket, why: str) -> None:
        if self.refused is not None:
            self.refused("proxy")
        refuse(conn, why)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self.sock.close()
        for task in list(self.handshakes):
            task.cancel()
        if self.handshakes:
            await asyncio.gather(*self.handshakes, return_exceptions=True)


def refuse(conn: socket.socket, why: str) -> None:
    """Say ``why`` in one line and close, before any SSH byte is exchanged."""
    with contextlib.suppress(OSError):
        conn.send(f"{why}\r\n".encode())
        conn.shutdown(socket.SHUT_WR)
    conn.close()
