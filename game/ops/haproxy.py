"""HAProxy in front of SSH gateways: its configuration, and a process that runs it.

SSH is encrypted, so the proxy can only route TCP: ``mode tcp``, ``balance source`` with
consistent hashing (one client address keeps one gateway, and a gateway going down moves
only its own clients), and ``send-proxy-v2`` so each gateway reads the client's real address
from a PROXY header (game/fronts/proxy.py; the gateways list this proxy in ``proxy_from``).
A gateway is healthy when it answers a connection with ``SSH-2.0``; those checks send a
PROXY header with the LOCAL command, which the gateway treats as the proxy's own connection.

Timeouts suit long-lived sessions: an idle SSH session is kept for an hour by the proxy
(the server's own keepalives, every 60 s, keep a live one busier than that), a gateway
that does not answer a connection within 5 s is given up on.

:class:`HaproxyProcess` runs ``haproxy -db`` on a rendered configuration for
``sshrealm cluster`` and the tests; deploy/haproxy.cfg is the same topology written out.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

Address = tuple[str, int]

CHECK_INTERVAL_S = 5
"""Seconds between health checks of one gateway. Each check is a connection from the proxy's
address, counted like any other against ``conn_per_minute`` (default 30): 12 a minute."""


class HaproxyError(RuntimeError):
    """HAProxy is missing, refused its configuration, or did not start listening."""


def find_haproxy(name: str = "haproxy") -> str | None:
    """The HAProxy binary: on PATH, or in the sbin directories Debian installs it in (not on
    an ordinary user's PATH there)."""
    return shutil.which(name) or shutil.which(name, path="/usr/local/sbin:/usr/sbin:/sbin")


def render_config(
    listen: Address,
    gateways: Sequence[Address],
    *,
    check_interval_s: int = CHECK_INTERVAL_S,
    maxconn: int = 4096,
    log: str | None = None,
) -> str:
    """An HAProxy configuration: ``listen`` (host ``""``: every IPv4 address) in front of
    ``gateways`` (named gw1, gw2, ... in order). ``log`` is a ``log`` target such as
    ``/dev/log local0``; None logs nothing (alerts still go to stderr with ``-db``)."""
    if not gateways:
        raise ValueError("HAProxy needs at least one gateway to send connections to")
    host, port = listen
    lines = ["global", f"    maxconn {maxconn}"]
    if log is not None:
        lines.append(f"    log {log}")
    lines += [
        "",
        "defaults",
        "    mode tcp",
        *(["    log global", "    option tcplog"] if log is not None else []),
        "    timeout connect 5s",
        "    retries 2",
        "    option redispatch",
        "    timeout client 1h",
        "    timeout server 1h",
        "    timeout tunnel 1h",
        "    timeout check 3s",
        "",
        "frontend ssh",
        f"    bind {_host(host)}:{port}",
        "    default_backend gateways",
        "",
        "backend gateways",
        "    balance source",
        "    hash-type consistent",
        "    option tcp-check",
        "    tcp-check expect string SSH-2.0",
        f"    default-server check inter {check_interval_s}s fall 2 rise 2 send-proxy-v2",
    ]
    lines += [
        f"    server gw{n} {_host(gw_host)}:{gw_port}"
        for n, (gw_host, gw_port) in enumerate(gateways, 1)
    ]
    return "\n".join(lines) + "\n"


def _host(host: str) -> str:
    """``[::1]`` for an IPv6 address, so its colons are not read as the port's."""
    return f"[{host}]" if ":" in host else host


class HaproxyProcess:
    """``haproxy -db -f <config>`` as a child process, its config and log in a temp dir.

    ``start`` returns once the frontend (``host``:``port``) accepts connections; ``stop``
    terminates it, then kills it if it lingers. Usable as an async context manager."""

    def __init__(
        self, config: str, port: int, host: str = "127.0.0.1", binary: str = "haproxy"
    ) -> None:
        self.config = config
        self.host = host
        self.port = port
        self.binary = binary
        self.process: asyncio.subprocess.Process | None = None
        self._dir: tempfile.TemporaryDirectory[str] | None = None

    @property
    def log_path(self) -> Path | None:
        """HAProxy's stderr (alerts, warnings, servers going up and down) while it runs."""
        return Path(self._dir.name) / "haproxy.log" if self._dir is not None else None

    def log_text(self) -> str:
        path = self.log_path
        return path.read_text(errors="replace") if path is not None and path.exists() else ""

    async def start(self, timeout_s: float = 5.0) -> None:
        binary = find_haproxy(self.binary)
        if binary is None:
            raise HaproxyError(f"{self.binary!r} is not on PATH (Debian: apt install haproxy)")
        self._dir = tempfile.TemporaryDirectory(prefix="sshrealm-haproxy-")
        cfg = Path(self._dir.name) / "haproxy.cfg"
        cfg.write_text(self.config)
        log_path = self.log_path
        assert log_path is not None
        with log_path.open("wb") as log:  # the child keeps its own copy of the descriptor
            self.process = await asyncio.create_subprocess_exec(
                binary,
                "-db",
                "-f",
                str(cfg),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        try:
            await self._wait_listening(timeout_s)
        except BaseException:
            await self.stop()
            raise

    async def _wait_listening(self, timeout_s: float) -> None:
        """Poll the frontend with plain connects (closed at once) until one succeeds."""
        assert self.process is not None
        try:
            async with asyncio.timeout(timeout_s):
                while True:
                    if self.process.returncode is not None:
                        raise HaproxyError(
                            f"haproxy exited with status {self.process.returncode}: "
                            f"{self.log_text().strip()}"
                        )
                    try:
                        _, writer = await asyncio.open_connection(self.host, self.port)
                    except OSError:
                        await asyncio.sleep(0.02)
                        continue
                    writer.close()
                    with contextlib.suppress(OSError):
                        await writer.wait_closed()
                    return
        except TimeoutError:
            raise HaproxyError(
                f"haproxy did not listen on {self.host}:{self.port} within {timeout_s:g} s: "
                f"{self.log_text().strip()}"
            ) from None

    async def stop(self, timeout_s: float = 5.0) -> None:
        """Terminate (HAProxy stops at once on SIGTERM), kill after ``timeout_s``."""
        process, self.process = self.process, None
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            try:
                await asyncio.wait_for(process.wait(), timeout_s)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    async def __aenter__(self) -> HaproxyProcess:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()
