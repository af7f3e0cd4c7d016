"""Bridge benchmark, end to end through the real server: SSH ``say`` -> WebSocket client.

Run from the repository root: ``PYTHONPATH=. python -m bench.bridge_bench [--quick]``.
Results land in ``bench/results/bridge.json``.

* ``say_to_ws``: a player connected over real SSH (line mode) types ``say m<i>``; a client
  of the built-in ``http`` plugin, subscribed to ``player-said`` on ``/events``, receives
  it. Measured from writing the line on the SSH channel to the frame arriving, one say at a
  time, over loopback, in one process (so client work is counted too). Target p95 <= 50 ms.
* ``look_rtt``: the same player's ``look`` round trip over SSH, for scale.
* ``universal``: ``GET /universal`` with ``players`` accounts (the StateView's cost).
* ``grant``: ``POST /bridge`` token grant to the line reaching the player over SSH.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import asyncssh

from game.app import Server
from game.core.config import Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"say_to_ws_p95_ms": 50.0}
CLIENT_CAPS = ["tokens.grant", "state.balances", "message"]


def _settings(data_dir: Path) -> Settings:
    bridge = {
        "enabled": ["http"],
        "plugin": {
            "http": {
                "capabilities": ["message", "tokens.grant"],
                "rate": 10_000.0,
                "burst": 10_000,
                "settings": {},
            }
        },
    }
    return load_settings(
        environ={},
        data_dir=data_dir,
        content_dir=ROOT / "content",
        ssh_host="127.0.0.1",
        ssh_port=0,
        http_port=-1,
        bridge_port=0,
        bridge=bridge,
        commands_per_second=0,  # measure the path, not the per-session limit
    )


def _summary(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)

    def pct(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)

    return {
        "n": len(ms),
        "p50_ms": pct(0.5),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": round(ordered[-1], 3),
        "mean_ms": round(statistics.fmean(ms), 3),
    }


class _Channel:
    """Reads an SSH line-mode channel until a marker, like tests/e2e's Reader."""

    def __init__(self, process: asyncssh.SSHClientProcess[bytes]) -> None:
        self.process, self.seen, self.pos = process, b"", 0

    async def until(self, text: str) -> None:
        wanted = text.encode()
        async with asyncio.timeout(10):
            while (found := self.seen.find(wanted, self.pos)) < 0:
                chunk = await self.process.stdout.read(65536)
                if not chunk:
                    raise EOFError(text)
                self.seen += chunk
        self.pos = found + len(wanted)

    def send(self, line: str) -> None:
        self.process.stdin.write((line + "\r").encode())


async def _timed(n: int, one: Callable[[int], Awaitable[None]]) -> list[float]:
    out = []
    for i in range(n):
        began = time.perf_counter()
        await one(i)
        out.append((time.perf_counter() - began) * 1000)
    return out


async def _measure(data_dir: Path, says: int, players: int) -> dict[str, Any]:
    server = Server(_settings(data_dir))
    for i in range(players):
        server.game.ensure_account(f"p{i:04d}")
    await server.start()
    try:
        plugin = server.bridge.http
        assert plugin is not None, server.bridge.status()
        key = asyncssh.generate_private_key("ssh-ed25519")
        async with (
            aiohttp.ClientSession(plugin.url) as http,
            asyncssh.connect(
                "127.0.0.1",
                server.ssh_port,
                username="ana",
                client_keys=[key],
                known_hosts=None,
                agent_path=None,
            ) as conn,
        ):
            code = plugin.add("bench", CLIENT_CAPS)
            body = {"name": "bench", "language": "py", "code": code}
            async with http.post("/register", json=body) as r:
                token = (await r.json())["token"]
            auth = {"Authorization": f"Bearer {token}"}
            ssh = _Channel(await conn.create_process(encoding=None))
            await ssh.until("Exits:")
            async with http.ws_connect("/events?types=player-said", headers=auth) as ws:

                async def say(i: int) -> None:
                    ssh.send(f"say m{i}")
                    while True:
                        event = json.loads((await ws.receive(10)).data)
                        if event["data"]["text"] == f"m{i}":
                            return

                for i in range(10):  # warm up
                    await say(-1 - i)
                say_ms = await _timed(says, say)

            async def look(i: int) -> None:
                ssh.send("look")
                await ssh.until("Exits:")

            async def universal(i: int) -> None:
                async with http.get("/universal", headers=auth) as r:
                    await r.read()

            async def grant(i: int) -> None:
                body = {
                    "target": "tokens",
                    "action": "grant",
                    "data": {"player": "ana", "amount": 1, "reason": f"g{i}"},
                }
                async with http.post("/bridge", json=body, headers=auth) as r:
                    await r.read()
                await ssh.until(f"(g{i})")

            return {
                "say_to_ws": _summary(say_ms),
                "look_rtt": _summary(await _timed(says, look)),
                "universal": {"players": players + 1, **_summary(await _timed(50, universal))},
                "grant": _summary(await _timed(says, grant)),
            }
    finally:
        await server.stop()


def run(quick: bool) -> dict[str, Any]:
    """Run every measurement; ``quick`` shrinks sizes for a smoke run (a few seconds)."""
    with tempfile.TemporaryDirectory() as tmp:
        figures = asyncio.run(_measure(Path(tmp), 50 if quick else 200, 50 if quick else 500))
    results = {
        "quick": quick,
        **figures,
        "targets": TARGETS,
        "met": {"say_to_ws_p95_ms": figures["say_to_ws"]["p95_ms"] <= TARGETS["say_to_ws_p95_ms"]},
    }
    return results


if __name__ == "__main__":  # the same as: python -m bench --only bridge [--quick]
    from bench.__main__ import main

    sys.exit(main(["--only", "bridge", *sys.argv[1:]]))
