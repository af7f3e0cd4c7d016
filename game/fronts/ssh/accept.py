"""The TCP acceptor in front of asyncssh: refuse over-limit addresses before key exchange.

``asyncssh.create_server`` accepts a socket and starts the SSH handshake at once, so a
refused address still cost a key exchange (a large Diffie-Hellman group is ~20 ms of CPU)
before the server could tell it no. Here the listening sockets are our own: each accepted
socket is first shown to ``admit(address)``; a refusal gets one plain text line (``ssh -v``
shows it; the SSH version string is never sent) and the socket is closed. An admitted socket
is handed to ``asyncssh.run_server`` (its documented way to serve a socket accepted
elsewhere), which runs until the connection has logged in or gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable

import asyncssh
import structlog

log = structlog.get_logger("sshrealm.ssh")

Admit = Callable[[str], str | None]
"""Why ``address`` may not connect (a sentence for the client), or None."""

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
    ) -> None:
        """``done`` is called once for every admitted connection when it has logged in or
        ended without logging in (the pre-authentication slot is free again)."""
        self.sock = sock
        self.options = options
        self.admit = admit
        self.done = done
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

    def _accepted(self, conn: socket.socket, address: str) -> None:
        why = self.admit(address)
        if why is not None:
            refuse(conn, why)
            return
        task = asyncio.get_running_loop().create_task(self._serve(conn, address))
        self.handshakes.add(task)
        task.add_done_callback(self.handshakes.discard)

    async def _serve(self, conn: socket.socket, address: str) -> None:
        try:
            await asyncssh.run_server(conn, options=self.options)
        except (OSError, asyncssh.Error):  # TimeoutError is an OSError
            pass  # refused logins, the login timeout, clients that left: logged by asyncssh
        except Exception:
            log.exception("ssh_handshake_failed")
        finally:
            self.done(address)

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
