"""The standard SSH load benchmark: bots over real SSH against ``sshrealm serve``.

Workload (the one we also run against other MUD servers): N players in one room, each
sends ``look`` every 2 s and ``say <token>`` every 10 s, for 60 s, at N = 1, 10, 50, 100;
once with PTY sessions (the Textual UI, 100x30), once in line mode, and once over telnet
(bench/telnet_bots.py: a MUD client asking for EOR and GMCP, password login; the same
line-mode text plus prompts and GMCP, so it should cost no more than SSH line mode). Each
bot's schedule
starts at a random offset (seeded RNG) so the load is spread, not in lock-step.

The server runs in its own process (fresh for every front end and N, on a free port, with a
temporary data folder) so its CPU (``cpu_times`` delta / wall time, in % of one core) and
memory (RSS) are its alone; the bots run on one event loop in this process, whose own CPU
is reported too (``bench_cpu_pct``: near 100 means the client, not the server, set the
pace), and so is the time the server's event loop was ready to run but waited for a CPU
(``server_runq_wait_pct``, from /proc schedstat: CPU taken by other work on the machine).
Figures per front end and N:

* ``look`` latency: send ``look\\r`` -> the last line of that reply on the bot's screen;
* say-to-all latency: send ``say <token>`` -> the last of the other N-1 bots has it (at
  N=1: the sender's own echo);
* connect-to-first-screen: TCP connect -> title and prompt drawn; N=1 also times 3 lone
  connects, N=100 connects in bursts of 10 at once;
* memory per player: (RSS with N connected - RSS at 0) / N, where "0" is after one
  session has come and gone (Textual imported, caches warm);
* idle CPU with the largest N still connected and silent.

``BENCH_CONTENT_DIR`` points the server at another world folder (default: content/).
Run with ``python -m bench --only ssh`` (``--quick``: N = 1, 10 for 10 s).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import asyncssh
import psutil

from bench.bots import Bot, Tracker
from bench.telnet_bots import TelnetBot

ROOT = Path(__file__).resolve().parents[1]
LOOK_EVERY = 2.0
SAY_EVERY = 10.0
BURST = 10
GRACE = 5.0  # seconds after the workload for says still in flight to arrive
TARGETS = {
    "line": {"look_p95_ms": 50.0, "say_all_p95_ms": 75.0},
    "tui": {"say_all_p95_ms": 300.0, "kb_per_player": 1.5 * 1024},
    "idle_cpu_pct": 2.0,
}
EVENNIA_N100 = {
    "server": "Evennia 6.1, telnet, line mode, this machine",
    "look_p95_ms": 114.0,
    "say_all_p95_ms": 148.0,
    "cpu_pct": 56.0,
    "kb_per_player": 230.0,
}


def _pct(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """``sshrealm serve`` in a child process, configured through SSHREALM_* variables."""

    def __init__(self, data_dir: Path, content_dir: Path) -> None:
        self.port = _free_port()
        self.telnet_port = _free_port()
        self.log_path = data_dir / f"server-{self.port}.log"
        env = dict(os.environ)
        env.update(
            SSHREALM_SSH_HOST="127.0.0.1",
            SSHREALM_SSH_PORT=str(self.port),
            SSHREALM_TELNET_HOST="127.0.0.1",
            SSHREALM_TELNET_PORT=str(self.telnet_port),
            SSHREALM_DATA_DIR=str(data_dir),
            SSHREALM_CONTENT_DIR=str(content_dir),
            SSHREALM_HTTP_PORT="-1",
            COLORTERM="truecolor",
            # The server runs the very code the bench was started from.
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        )
        self._log = self.log_path.open("wb")
        self.popen = subprocess.Popen(
            [sys.executable, "-c", "from game.cli.main import main; main()", "serve"],
            cwd=data_dir,  # no stray sshrealm.toml
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.ps = psutil.Process(self.popen.pid)

    async def ready(self, within: float = 30.0) -> None:
        """Wait until both the SSH and the telnet listener accept connections (the server
        opens them one after the other)."""
        deadline = time.monotonic() + within
        waiting = [self.port, self.telnet_port]
        while waiting and time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", waiting[0])
            except OSError:
                await asyncio.sleep(0.1)
                continue
            writer.close()
            waiting.pop(0)
        if waiting:
            raise TimeoutError(f"server not listening on {waiting[0]}")

    def cpu_s(self) -> float:
        times = self.ps.cpu_times()
        return float(times.user + times.system)

    def runq_wait_s(self) -> float:
        """Seconds the event-loop thread spent runnable but waiting for a CPU (Linux
        schedstat; 0 elsewhere): on a shared machine, CPU taken by other processes."""
        try:
            fields = Path(f"/proc/{self.popen.pid}/schedstat").read_text().split()
        except OSError:
            return 0.0
        return int(fields[1]) / 1e9

    def rss(self) -> int:
        return int(self.ps.memory_info().rss)

    def stop(self) -> None:
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(15)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        self._log.close()


async def _connect_all(bots: Sequence[Bot], port: int | Sequence[int]) -> list[float]:
    """Connect in bursts of BURST; with several ports (gateways) bot i takes port i mod n."""
    ports = [port] if isinstance(port, int) else list(port)
    times: list[float] = []
    for start in range(0, len(bots), BURST):
        batch = bots[start : start + BURST]
        times += await asyncio.gather(*(b.connect(ports[b.n % len(ports)]) for b in batch))
    return times


def _bot(front: str, n: int, keys: Sequence[asyncssh.SSHKey], tracker: Tracker) -> Bot:
    if front == "telnet":
        return TelnetBot(n, tracker)
    return Bot(n, keys[n], front == "tui", tracker)


async def _create_accounts(
    fronts: Sequence[str], keys: Sequence[asyncssh.SSHKey], data: Path, content: Path
) -> None:
    """Log every bot in once so the runs measure players, not sign-ups (SSH bots bind their
    key; telnet bots choose their password)."""
    server = ServerProcess(data, content)
    kinds = ["telnet"] * ("telnet" in fronts) + ["line"] * any(f != "telnet" for f in fronts)
    try:
        await server.ready()
        for kind in kinds:
            port = server.telnet_port if kind == "telnet" else server.port
            for start in range(0, len(keys), BURST):
                stop = min(start + BURST, len(keys))
                bots = [_bot(kind, n, keys, Tracker()) for n in range(start, stop)]
                await asyncio.gather(*(bot.connect(port) for bot in bots))
                await asyncio.gather(*(bot.close() for bot in bots))
    finally:
        server.stop()


async def _drive(bot: Bot, until: float, rng: random.Random, others: set[str]) -> None:
    loop = asyncio.get_running_loop()
    next_look = loop.time() + rng.uniform(0, LOOK_EVERY)
    next_say = loop.time() + rng.uniform(0, SAY_EVERY)
    while True:
        at = min(next_look, next_say)
        if at >= until:
            return
        await asyncio.sleep(max(0.0, at - loop.time()))
        if at == next_look:
            bot.look()
            next_look += LOOK_EVERY
        else:
            token = "zq" + "".join(rng.choice("0123456789abcdefghij") for _ in range(10)) + "qz"
            bot.tracker.said(token.encode(), bot.name, others, time.perf_counter())
            bot.send(f"say {token}")
            next_say += SAY_EVERY


async def _scenario(
    front: str,
    n: int,
    keys: Sequence[asyncssh.SSHKey],
    data: Path,
    content: Path,
    duration: float,
    idle_s: float,
    seed: int,
    server: Any = None,
) -> dict[str, Any]:
    """``server``: what to start instead of ``sshrealm serve`` (bench/split_bench.py's
    cluster); its ``port`` may then be a list (bot i takes port i mod n)."""
    server = (server or ServerProcess)(data, content)
    tracker = Tracker()
    bots = [_bot(front, i, keys, tracker) for i in range(n)]
    port = server.telnet_port if front == "telnet" else server.port
    me = psutil.Process()
    try:
        await server.ready()
        singles = []
        for _ in range(3 if n == 1 else 1):  # one session comes and goes: imports, caches
            warm = _bot(front, len(keys) - 1, keys, Tracker())
            singles.append(await warm.connect(port if isinstance(port, int) else port[0]))
            await warm.close()
        await asyncio.sleep(1.0)  # the server tears the session down
        rss0 = server.rss()
        connect_ms = await _connect_all(bots, port)
        await asyncio.sleep(1.0)  # arrivals announced and drawn
        rss_n = server.rss()

        loop = asyncio.get_running_loop()
        rng = random.Random(seed * 1000 + n + (1 if front == "tui" else 0))
        names = {bot.name for bot in bots}
        received0 = sum(bot.received for bot in bots)
        cpu0, mine0, wall0 = server.cpu_s(), me.cpu_times(), time.perf_counter()
        wait0 = server.runq_wait_s()
        tracker.recording = True
        until = loop.time() + duration
        await asyncio.gather(
            *(_drive(bot, until, random.Random(rng.random()), names - {bot.name}) for bot in bots)
        )
        wall = time.perf_counter() - wall0
        cpu = server.cpu_s() - cpu0
        waited = server.runq_wait_s() - wait0
        load = os.getloadavg()[0]
        mine1 = me.cpu_times()
        received = sum(bot.received for bot in bots) - received0
        if tracker.unfinished():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(tracker.settled.wait(), GRACE)
        tracker.recording = False

        idle = None
        if idle_s > 0:
            await asyncio.sleep(2.0)  # let the last frames go out
            cpu_i, wall_i = server.cpu_s(), time.perf_counter()
            await asyncio.sleep(idle_s)
            idle = round(100 * (server.cpu_s() - cpu_i) / (time.perf_counter() - wall_i), 2)
        mine = (mine1.user + mine1.system - mine0.user - mine0.system) / wall
        return {
            "n": n,
            "look_p50_ms": _pct(tracker.look_ms, 0.5),
            "look_p95_ms": _pct(tracker.look_ms, 0.95),
            "looks": len(tracker.look_ms),
            "looks_lost": tracker.looks_lost,
            "say_all_p50_ms": _pct(tracker.say_all_ms, 0.5),
            "say_all_p95_ms": _pct(tracker.say_all_ms, 0.95),
            "says": len(tracker.says),
            "says_unfinished": tracker.unfinished(),
            "server_cpu_pct": round(100 * cpu / wall, 1),
            "server_runq_wait_pct": round(100 * waited / wall, 1),
            "load_avg_1m": round(load, 2),
            "bench_cpu_pct": round(100 * mine, 1),
            "rss_mb_at_0": round(rss0 / 2**20, 1),
            "rss_mb_at_n": round(rss_n / 2**20, 1),
            "kb_per_player": round((rss_n - rss0) / n / 1024, 1),
            "kb_per_s_to_each_player": round(received / wall / n / 1024, 1),
            "connect_single_ms": round(statistics.median(singles), 1),
            "connect_p50_ms": _pct(connect_ms, 0.5),
            "connect_p95_ms": _pct(connect_ms, 0.95),
            "connect_max_ms": _pct(connect_ms, 1.0),
            "idle_cpu_pct": idle,
        }
    finally:
        await asyncio.gather(*(bot.close() for bot in bots), return_exceptions=True)
        server.stop()


async def _measure(
    fronts: Sequence[str], ns: Sequence[int], duration: float, idle_s: float, seed: int
) -> dict[str, Any]:
    content = Path(os.environ.get("BENCH_CONTENT_DIR", ROOT / "content"))
    keys = [asyncssh.generate_private_key("ssh-ed25519") for _ in range(max(ns) + 1)]
    out: dict[str, Any] = {
        "workload": {
            "look_every_s": LOOK_EVERY,
            "say_every_s": SAY_EVERY,
            "duration_s": duration,
            "tui_size": "100x30 xterm-256color",
            "connect_burst": BURST,
            "bots": "one asyncio loop in the bench process, asyncssh (telnet: plain TCP)",
        },
        "targets": TARGETS,
        "reference_n100": EVENNIA_N100,
    }
    with tempfile.TemporaryDirectory(prefix="sshrealm-bench-") as tmp:
        data = Path(tmp)
        await _create_accounts(fronts, keys, data, content)
        for front in fronts:
            out[front] = {}
            for n in ns:
                idle = idle_s if n == max(ns) else 0.0
                result = await _scenario(front, n, keys, data, content, duration, idle, seed)
                out[front][str(n)] = result
                print(f"ssh bench {front} N={n}: {result}", file=sys.stderr, flush=True)
    return out


def measure(
    fronts: Sequence[str] = ("line", "telnet", "tui"),
    ns: Sequence[int] = (1, 10, 50, 100),
    duration: float = 60.0,
    idle_s: float = 10.0,
    seed: int = 1,
) -> dict[str, Any]:
    """Run the workload for each front end and N; see the module docstring for the figures."""
    return asyncio.run(_measure(fronts, ns, duration, idle_s, seed))


def run(quick: bool) -> dict[str, Any]:
    """The standard run (quick: N = 1, 10 for 10 s, 3 s idle)."""
    if quick:
        return measure(ns=(1, 10), duration=10.0, idle_s=3.0)
    return measure()
