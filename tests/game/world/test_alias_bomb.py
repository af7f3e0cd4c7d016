"""YAML alias bombs and reloads that never stall the game (security issue #12, item 6).

A "billion laughs" file used to make ``sshrealm content check`` grow to several GB and die
with a traceback, freeze the game for 22 s on reload, and eat 3.8 GB in the watcher
without a word to anyone. Now: a located error within the alias budget, the check runs
in a worker thread, and a failed watched reload is logged and told to builders and admins.
"""

from __future__ import annotations

import dataclasses
import os
import resource
import shutil
import subprocess
import sys
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import asyncssh
import pytest
import structlog

import game.services.reload
from game.app import Server
from game.world.loader import check_content
from game.world.source import ALIAS_BUDGET, MAX_DEPTH
from tests.conftest import ROOT
from tests.e2e.conftest import Reader, connect, e2e_settings


def bomb(levels: int, width: int = 9) -> str:
    """A billion-laughs document: each level lists the previous one ``width`` times."""
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def copy_content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    return root


def _limit_memory() -> None:  # pragma: no cover - runs in the child process
    one_gb = 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (one_gb, one_gb))


def test_content_check_refuses_a_billion_laughs_with_a_located_error(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    (root / "town" / "npcs.yaml").write_text(bomb(10))  # 9**10 values if expanded
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "sshrealm"), "content", "check", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_memory,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert (
        "content/town/npcs.yaml:4:5: error: aliases repeat the value anchored here into more"
        f" than {ALIAS_BUDGET:,} values" in proc.stdout
    ), proc.stdout


def test_aliases_to_a_long_text_count_by_its_length(tmp_path: Path) -> None:
    """Security review: aliases to one 100 KB string were charged one value each, so a
    223 KB file built 2 GB of keywords and passed the check."""
    root = copy_content(tmp_path)
    big = "lol " * 25_000
    keywords = ", ".join(["*big"] * 20_000)
    (root / "town" / "npcs.yaml").write_text(
        f"- id: crier\n  name: the town crier\n  description: &big {big}\n"
        f"  keywords: [{keywords}]\n"
    )
    content, problems = check_content(root)
    assert content is None
    assert any(
        "aliases repeat the value anchored here" in p.message and p.where.line == 3
        for p in problems
    ), [str(p) for p in problems][:3]


def test_small_anchors_and_aliases_still_work(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    rooms = root / "moor" / "rooms.yaml"
    text = rooms.read_text().replace("- id: ford\n", "- id: ford\n  features: &cosy [hearth]\n", 1)
    text = text.replace("- id: mill\n", "- id: mill\n  features: *cosy\n", 1)
    rooms.write_text(text)
    content, problems = check_content(root)
    assert content is not None, problems
    assert content.rooms["moor:mill"].features == ("hearth",)
    assert content.rooms["moor:ford"].features == ("hearth",)


def test_deep_nesting_is_a_located_error_not_a_recursion_error(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    depth = 400
    (root / "town" / "quests.yaml").write_text("x: " + "[" * depth + "]" * depth + "\n")
    content, problems = check_content(root)
    assert content is None
    assert [str(p) for p in problems if "nested" in p.message] == [
        f"content/town/quests.yaml:1:{3 + MAX_DEPTH}: error: lists and mappings nested more"
        f" than {MAX_DEPTH} deep"
    ]


@pytest.fixture(scope="module")
def keys() -> dict[str, asyncssh.SSHKey]:
    return {name: asyncssh.generate_private_key("ssh-ed25519") for name in ("ana", "bob", "cyra")}


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[tuple[Server, Path]]:
    content = copy_content(tmp_path)
    settings = dataclasses.replace(e2e_settings(tmp_path / "var"), content_dir=content)
    srv = Server(settings)
    await srv.start()
    yield srv, content
    await srv.stop()


async def _make(server: Server, name: str, key: asyncssh.SSHKey, role: str) -> None:
    async with await connect(server.ssh_port, name, key) as conn:
        assert (await conn.run("look")).exit_status == 0  # the key makes the account
    server.game.store.set_role(name, role)


async def _line(server: Server, name: str, key: asyncssh.SSHKey) -> tuple[object, Reader]:
    conn = await connect(server.ssh_port, name, key)
    reader = Reader(await conn.create_process(encoding=None))
    await reader.until("You see a notice board.")
    return conn, reader


async def test_reload_checks_off_the_event_loop_so_others_keep_playing(
    world: tuple[Server, Path], keys: dict[str, asyncssh.SSHKey], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, _ = world
    await _make(server, "ana", keys["ana"], "admin")
    entered, release = threading.Event(), threading.Event()
    real_check = game.services.reload.check_content

    def slow_check(root: Path, *, warnings: bool = True) -> object:
        entered.set()
        release.wait(timeout=20)  # a huge world: the check takes as long as the test says
        return real_check(root, warnings=warnings)

    monkeypatch.setattr(game.services.reload, "check_content", slow_check)
    a, ra = await _line(server, "ana", keys["ana"])
    b, rb = await _line(server, "bob", keys["bob"])
    async with a, b:  # type: ignore[attr-defined]
        ra.send("reload")
        await ra.until("Checking the content files in the background")
        assert entered.wait(timeout=10)
        rb.send("say still here")
        await rb.until('You say, "still here"')  # answered while the check is still running
        ra.send("reload")
        await ra.until("A reload is already running")
        release.set()
        await ra.until("Reloaded in")


async def test_reload_of_a_bomb_is_refused_fast_with_the_place(
    world: tuple[Server, Path], keys: dict[str, asyncssh.SSHKey]
) -> None:
    server, content = world
    await _make(server, "ana", keys["ana"], "admin")
    before = server.game.world.content
    (content / "town" / "npcs.yaml").write_text(bomb(7))  # 9**7 values if expanded
    a, ra = await _line(server, "ana", keys["ana"])
    async with a:  # type: ignore[attr-defined]
        ra.send("reload")
        await ra.until("Reload refused:")
        await ra.until("content/town/npcs.yaml:4:5: error: aliases repeat the value anchored")
    assert server.game.world.content is before


async def test_failed_watched_reload_is_logged_and_told_to_builders_and_admins(
    world: tuple[Server, Path], keys: dict[str, asyncssh.SSHKey]
) -> None:
    server, content = world
    await _make(server, "ana", keys["ana"], "admin")
    await _make(server, "cyra", keys["cyra"], "builder")
    a, ra = await _line(server, "ana", keys["ana"])
    b, rb = await _line(server, "bob", keys["bob"])
    c, rc = await _line(server, "cyra", keys["cyra"])
    async with a, b, c:  # type: ignore[attr-defined]
        ra.send("reload watch on")
        await ra.until("Watching content files")
        (content / "town" / "npcs.yaml").write_text(bomb(7))
        with structlog.testing.capture_logs() as logs:
            result = await server.game.content_watcher.check()  # one poll, no timer
        assert result is not None
        assert not result.ok
        for reader in (ra, rc):
            await reader.until("Content watcher: Reload refused:")
            await reader.until("content/town/npcs.yaml:4:5: error: aliases repeat")
        rb.send("say done")
        await rb.until('You say, "done"')
    assert b"Content watcher" not in rb.seen
    [entry] = [e for e in logs if e["event"] == "watched_reload_failed"]
    assert entry["log_level"] == "warning"
    assert "content/town/npcs.yaml:4:5" in entry["first"]
