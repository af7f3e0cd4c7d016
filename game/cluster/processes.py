"""Local processes of a cluster, for ``sshrealm cluster``, the tests and the benchmarks.

A ``redis-server`` on a free port (Debian's, which ``make test`` installs; no persistence,
bound to loopback; started and stopped like :class:`game.ops.haproxy.HaproxyProcess`),
and the wait for a role's ``/readyz``.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def find_redis() -> str | None:
    return shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )


class RedisProcess:
    """``redis-server`` on 127.0.0.1:``port`` (a free one by default) until :meth:`stop`."""

    def __init__(self, port: int = 0) -> None:
        self.port = port or free_port()
        self.dir = tempfile.TemporaryDirectory(prefix="sshrealm-redis-")
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout_s: float = 10.0) -> RedisProcess:
        binary = find_redis()
        if binary is None:
            raise RuntimeError("redis-server is not installed (Debian package redis-server)")
        args = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "no", "--dir", self.dir.name, "--daemonize", "no"]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                raise RuntimeError(f"redis-server exited: {err.strip()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        self.dir.cleanup()


async def wait_ready(http_port: int, alive: Callable[[], bool], within_s: float = 60.0) -> None:
    """Wait until the role serving ``http_port`` answers ``/readyz`` with 200; RuntimeError
    when it exits first (``alive`` says False), TimeoutError after ``within_s``."""
    import aiohttp

    loop = asyncio.get_running_loop()
    deadline = loop.time() + within_s
    async with aiohttp.ClientSession() as http:
        while loop.time() < deadline:
            if not alive():
                raise RuntimeError("the process exited before it was ready")
            try:
                async with http.get(f"http://127.0.0.1:{http_port}/readyz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise TimeoutError(f"not ready on port {http_port} within {within_s:.0f} s")
