"""Browser TUI players against SSH TUI players: what one costs the server, on the standard workload.

The same workload as the SSH benchmark (bench/ssh_bench.py: N players in one room, ``look``
every 2 s, ``say <token>`` every 10 s, seeded random offsets), run twice against a fresh
``sshrealm serve`` each: once with N SSH PTY sessions (bench/bots.py, the Textual UI at
100x30), once with N browser sessions of the same UI. A browser bot is what xterm.js does,
without a browser: it signs in over HTTP (an account with a password, made before the runs),
opens ``/play/terminal.ws?cols=100&rows=30``, reads the terminal bytes from binary frames
and sends what it types as ``{"i": "..."}``. Its screen is judged exactly like an SSH TUI
bot's, since the bytes are the same Textual frames.

Figures per front end: server CPU (% of one core, and per player), memory per player
((RSS with N connected - RSS after one session came and went) / N), ``look`` and say-to-all
latency; then the browser's figures over SSH's (``web_over_ssh``): the issue's target is
CPU and memory per player within 10% of SSH (a ratio of at most 1.10).

Run with ``python -m bench --only web`` (``--quick``: N = 10 for 10 s). Each bot has its own
loopback address, so the per-address limits see N players, not one flood.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import aiohttp
import asyncssh

from bench.bots import TITLE, TUI_READY, Bot, Tracker, bot_address
from bench.ssh_bench import (
    BURST,
    GRACE,
    LOOK_EVERY,
    ROOT,
    SAY_EVERY,
    ServerProcess,
    _connect_all,
    _drive,
    _free_port,
    _pct,
)

PASSWORD = "bench-password"
TARGET_RATIO = 1.10
CSRF_MARK = 'name="csrf" value="'


class WebBot(Bot):
    """One browser tab playing full-screen: HTTP sign-in, then the terminal WebSocket."""

    def __init__(self, n: int, tracker: Tracker) -> None:
        super().__init__(n, None, True, tracker)
        self.name = f"wbot{n:03d}"
        self.http: aiohttp.ClientSession | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self._sends: set[asyncio.Task[None]] = set()

    def _session(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(local_addr=(bot_address(self.n), 0))
        jar = aiohttp.CookieJar(unsafe=True)  # cookies from 127.0.0.1
        return aiohttp.ClientSession(connector=connector, cookie_jar=jar)

    async def sign_in(self, base: str, *, create: bool) -> None:
        """Sign in with the bot's password (``create``: make the account first)."""
        if self.http is None:
            self.http = self._session()
        path = "/signup" if create else "/signin"
        async with self.http.get(base + path) as resp:
            page = await resp.text()
        csrf = page.split(CSRF_MARK, 1)[1].split('"', 1)[0]
        form = {"csrf": csrf, "name": self.name}
        if create:
            form |= {"password": PASSWORD, "repeat": PASSWORD}
        else:
            form |= {"secret": PASSWORD, "how": "password"}
        async with self.http.post(
            base + path, data=form, headers={"Origin": base}, allow_redirects=False
        ) as resp:
            if resp.status != 303:
                raise RuntimeError(f"{self.name}: {path} answered {resp.status}")

    async def connect(self, port: int, within: float = 60.0) -> float:
        """Sign in and wait for the first full screen; returns milliseconds taken."""
        start = time.perf_counter()
        base = f"http://127.0.0.1:{port}"
        await self.sign_in(base, create=False)
        assert self.http is not None
        self.ws = await self.http.ws_connect(
            base.replace("http", "ws", 1) + "/play/terminal.ws?cols=100&rows=30",
            headers={"Origin": base},
        )
        seen = b""
        async with asyncio.timeout(within):
            while not (TITLE.encode() in seen and TUI_READY in seen.split(TITLE.encode(), 1)[1]):
                msg = await self.ws.receive()
                if msg.type is not aiohttp.WSMsgType.BINARY:
                    raise EOFError(f"{self.name}: closed before the first screen: {seen[-300:]!r}")
                seen += msg.data
        self.first_screen_ms = (time.perf_counter() - start) * 1000
        self._tail = seen[-256:]
        self._pump = asyncio.get_running_loop().create_task(self.pump())
        return self.first_screen_ms

    async def pump(self) -> None:
        assert self.ws is not None
        async for msg in self.ws:
            if msg.type is aiohttp.WSMsgType.BINARY:
                self.received += len(msg.data)
                self.scan(msg.data, time.perf_counter())

    def send(self, line: str) -> None:
        assert self.ws is not None
        task = asyncio.get_running_loop().create_task(
            self.ws.send_str(json.dumps({"i": line + "\r"}))
        )
        self._sends.add(task)
        task.add_done_callback(self._sends.discard)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.http is not None:
            await self.http.close()
        if self._pump is not None:
            await asyncio.gather(self._pump, return_exceptions=True)


@contextlib.contextmanager
def web_port_env(port: int) -> Iterator[None]:
    """ServerProcess passes this process's environment on: turn the web front on for it."""
    saved = {k: os.environ.get(k) for k in ("SSHREALM_WEB_PORT", "SSHREALM_WEB_HOST")}
    os.environ.update(SSHREALM_WEB_PORT=str(port), SSHREALM_WEB_HOST="127.0.0.1")
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


async def _listening(port: int, server: ServerProcess, within: float = 30.0) -> None:
    async with asyncio.timeout(within):
        while True:
            if server.popen.poll() is not None:
                raise RuntimeError(f"server exited: {server.log_path.read_text()[-2000:]}")
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.1)
                continue
            writer.close()
            return


async def _start(data: Path, content: Path) -> tuple[ServerProcess, int]:
    web_port = _free_port()
    with web_port_env(web_port):
        server = ServerProcess(data, content)
    await server.ready()
    await _listening(web_port, server)
    return server, web_port


async def _create_accounts(keys: Sequence[asyncssh.SSHKey], data: Path, content: Path) -> None:
    """Every bot logs in once before the runs, so they measure players, not sign-ups: SSH
    bots bind their key, browser bots sign up with a password (argon2)."""
    server, port = await _start(data, content)
    base = f"http://127.0.0.1:{port}"
    try:
        for start in range(0, len(keys), BURST):
            stop = min(len(keys), start + BURST)
            ssh = [Bot(n, keys[n], False, Tracker()) for n in range(start, stop)]
            web = [WebBot(n, Tracker()) for n in range(start, stop)]
            await asyncio.gather(*(bot.connect(server.port) for bot in ssh))
            await asyncio.gather(*(bot.sign_in(base, create=True) for bot in web))
            await asyncio.gather(*(bot.close() for bot in [*ssh, *web]))
    finally:
        server.stop()


async def _scenario(
    front: str,
    n: int,
    keys: Sequence[asyncssh.SSHKey],
    data: Path,
    content: Path,
    duration: float,
    seed: int,
) -> dict[str, Any]:
    server, web_port = await _start(data, content)
    tracker = Tracker()

    def bot(i: int, into: Tracker) -> Bot:
        return WebBot(i, into) if front == "web" else Bot(i, keys[i], True, into)

    bots = [bot(i, tracker) for i in range(n)]
    port = web_port if front == "web" else server.port
    try:
        warm = bot(n, Tracker())  # one session comes and goes: imports, caches
        await warm.connect(port)
        await warm.close()
        await asyncio.sleep(1.0)  # the server tears that session down
        rss0 = server.rss()
        await _connect_all(bots, port)
        await asyncio.sleep(1.0)  # arrivals announced and drawn
        rss_n = server.rss()
        rng = random.Random(seed * 1000 + n)
        names = {b.name for b in bots}
        cpu0, wall0 = server.cpu_s(), time.perf_counter()
        tracker.recording = True
        until = asyncio.get_running_loop().time() + duration
        await asyncio.gather(
            *(_drive(b, until, random.Random(rng.random()), names - {b.name}) for b in bots)
        )
        wall = time.perf_counter() - wall0
        cpu = server.cpu_s() - cpu0
        if tracker.unfinished():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(tracker.settled.wait(), GRACE)
        tracker.recording = False
        return {
            "n": n,
            "server_cpu_pct": round(100 * cpu / wall, 1),
            "cpu_pct_per_player": round(100 * cpu / wall / n, 3),
            "kb_per_player": round((rss_n - rss0) / n / 1024, 1),
            "rss_mb_at_n": round(rss_n / 2**20, 1),
            "look_p95_ms": _pct(tracker.look_ms, 0.95),
            "looks": len(tracker.look_ms),
            "say_all_p50_ms": _pct(tracker.say_all_ms, 0.5),
            "say_all_p95_ms": _pct(tracker.say_all_ms, 0.95),
            "says_unfinished": tracker.unfinished(),
        }
    finally:
        await asyncio.gather(*(b.close() for b in bots), return_exceptions=True)
        server.stop()


def _ratio(web: float, ssh: float) -> float | None:
    return round(web / ssh, 2) if ssh > 0 else None


async def _measure(n: int, duration: float, seed: int) -> dict[str, Any]:
    content = Path(os.environ.get("BENCH_CONTENT_DIR", ROOT / "content"))
    keys = [asyncssh.generate_private_key("ssh-ed25519") for _ in range(n + 1)]
    out: dict[str, Any] = {
        "workload": {
            "look_every_s": LOOK_EVERY,
            "say_every_s": SAY_EVERY,
            "duration_s": duration,
            "tui_size": "100x30",
            "n": n,
            "bots": "one asyncio loop in the bench process; SSH: asyncssh PTY; web: aiohttp",
        },
        "target": f"web CPU and memory per player at most {TARGET_RATIO:g}x SSH's",
    }
    with tempfile.TemporaryDirectory(prefix="sshrealm-web-bench-") as tmp:
        data = Path(tmp)
        await _create_accounts(keys, data, content)
        for front in ("tui", "web"):
            out[front] = await _scenario(front, n, keys, data, content, duration, seed)
            print(f"web bench {front} N={n}: {out[front]}", file=sys.stderr, flush=True)
    ssh, web = out["tui"], out["web"]
    cpu = _ratio(web["cpu_pct_per_player"], ssh["cpu_pct_per_player"])
    mem = _ratio(web["kb_per_player"], ssh["kb_per_player"])
    out["web_over_ssh"] = {
        "cpu_per_player": cpu,
        "kb_per_player": mem,
        "within_target": cpu is not None
        and mem is not None
        and cpu <= TARGET_RATIO
        and mem <= TARGET_RATIO,
    }
    return out


def measure(n: int = 50, duration: float = 60.0, seed: int = 1) -> dict[str, Any]:
    """N SSH TUI players, then N browser TUI players; see the module docstring."""
    return asyncio.run(_measure(n, duration, seed))


def run(quick: bool) -> dict[str, Any]:
    """The standard run: 50 and 50 for 60 s (quick: 10 for 10 s)."""
    return measure(n=10, duration=10.0) if quick else measure()
