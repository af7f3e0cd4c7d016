"""Content benchmark: load and validate 10,000 generated rooms; reload the starter world
while 50 players are connected over real SSH.

Targets (issue 4): loading and checking 10k rooms <= 1 s; a reload <= 300 ms; 0
disconnects. The generated world is 10 areas of 1,000 rooms (a 40 x 25 grid with exits
both ways, coordinates, briefs, an item every 10 rooms, an NPC every 50), written once to
``bench/scratch/content``. "Load" is ``check_content`` with every check and warning, the
same work as ``sshrealm content check``. The reload is the in-game ``reload`` path
(``ContentWatcher.reload``) on a real server with N line-mode SSH players, each of whom must still
be connected and answer ``look`` afterwards.

Run: ``python -m bench --only content`` (``--quick``: 1 timing run, 10 players).
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import asyncssh

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = ROOT / "bench" / "scratch" / "content"
TARGETS = {"load_10k_s": 1.0, "reload_ms": 300.0, "disconnects": 0}
AREAS, WIDTH, HEIGHT = 10, 40, 25


def generate(root: Path) -> int:
    """Write the 10k-room world; return the number of rooms."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    (root / "economy.yaml").write_text("skills:\n  foraging: {label: Foraging, verb: forage}\n")
    for a in range(AREAS):
        folder = root / f"area{a}"
        folder.mkdir()
        (folder / "area.yaml").write_text(f"title: Area {a}\nstart: r0-0\n")
        (folder / "items.yaml").write_text(
            "- id: stone\n  name: a smooth stone\n  description: A grey stone.\n"
        )
        (folder / "npcs.yaml").write_text(
            "- id: hare\n  name: a brown hare\n  description: A hare.\n"
            "  topics: {grass: It nibbles the grass.}\n"
        )
        rows = []
        for y in range(HEIGHT):
            for x in range(WIDTH):
                exits = []
                if x > 0:
                    exits.append(f"west: r{x - 1}-{y}")
                if x < WIDTH - 1:
                    exits.append(f"east: r{x + 1}-{y}")
                if y > 0:
                    exits.append(f"south: r{x}-{y - 1}")
                if y < HEIGHT - 1:
                    exits.append(f"north: r{x}-{y + 1}")
                if (x, y) == (0, 0):
                    exits.append(f"down: area{(a + 1) % AREAS}:r0-0")
                    exits.append(f"up: area{(a - 1) % AREAS}:r0-0")
                extra = "  items: [stone]\n" if (x + y) % 10 == 0 else ""
                extra += "  npcs: [hare]\n" if (x, y) == (1, 1) else ""
                rows.append(
                    f"- id: r{x}-{y}\n  title: Field {x} {y}\n  brief: A field.\n"
                    f"  coordinates: [{x}, {y}]\n"
                    "  description: >\n    Long grass waves in the wind across an open field,"
                    " with low stone walls on every side.\n"
                    f"  exits:\n    {chr(10).join('    ' + e for e in exits).strip()}\n{extra}"
                )
        (folder / "rooms.yaml").write_text("\n".join(rows))
    return AREAS * WIDTH * HEIGHT


def time_load(root: Path, runs: int) -> dict[str, Any]:
    from game.world.loader import check_content

    times, cpu, problems, rooms = [], [], 0, 0
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        world, found = check_content(root)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        assert world is not None, found[:5]
        problems, rooms = len(found), len(world.rooms)
    return {
        "rooms": rooms,
        "runs_s": [round(t, 3) for t in times],
        "cpu_s": [round(t, 3) for t in cpu],  # this process's CPU: less sensitive to load
        "problems": problems,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


async def reload_with_players(players: int) -> dict[str, Any]:
    from game.app import Server
    from tests.e2e.conftest import Reader, connect, e2e_settings

    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(ROOT / "content", content)
        settings = dataclasses.replace(
            e2e_settings(Path(tmp) / "var"),
            content_dir=content,
            conn_per_minute=100_000,  # all bots come from 127.0.0.1
        )
        server = Server(settings)
        await server.start()
        try:
            conns, readers = [], []
            for i in range(players):
                key = asyncssh.generate_private_key("ssh-ed25519")  # a key is one identity
                conn = await connect(server.ssh_port, f"bench{i:03d}", key)
                reader = Reader(await conn.create_process(encoding=None))
                await reader.until("You see a notice board.")
                conns.append(conn)
                readers.append(reader)
            rooms = content / "town" / "rooms.yaml"
            rooms.write_text(rooms.read_text().replace("dry stone", "dry marble"))
            durations = []
            watcher = server.game.content_watcher
            for _ in range(5):  # the in-game path: checked in a worker thread, then swapped
                assert server.game.content_watcher.reload("bench").pending
                assert watcher.running is not None
                result = await watcher.running
                assert result.ok, result.summary()
                durations.append(result.duration_ms)
            for reader in readers:
                reader.send("look")
            for reader in readers:
                await reader.until("dry marble")
            connected = sum(1 for s in server.game.sessions if not s.closed)
            for conn in conns:
                conn.close()
            return {
                "players": players,
                "reload_ms": [round(d, 1) for d in durations],
                "reload_ms_median": round(statistics.median(durations), 1),
                "disconnects": players - connected,
            }
        finally:
            await server.stop()


def run(quick: bool) -> dict[str, Any]:
    rooms = generate(SCRATCH)
    load = time_load(SCRATCH, 1 if quick else 3)
    reload = asyncio.run(reload_with_players(10 if quick else 50))
    result = {
        "generated_rooms": rooms,
        "load": load,
        "load_10k_s_best": min(load["runs_s"]),
        "reload": reload,
        "targets": TARGETS,
        "met": {
            "load_10k_s": min(load["runs_s"]) <= TARGETS["load_10k_s"],
            "reload_ms": max(reload["reload_ms"]) <= TARGETS["reload_ms"],
            "disconnects": reload["disconnects"] == TARGETS["disconnects"],
        },
    }
    return result


if __name__ == "__main__":  # the same as: python -m bench --only content [--quick]
    from bench.__main__ import main

    sys.exit(main(["--only", "content", *sys.argv[1:]]))
