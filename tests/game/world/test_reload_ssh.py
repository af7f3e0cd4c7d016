"""Live reload over real SSH: broken content changes nothing; good content swaps in place."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import asyncssh
import pytest

from game.app import Server
from tests.conftest import ROOT
from tests.e2e.conftest import Reader, connect, e2e_settings


@pytest.fixture
async def world_server(tmp_path: Path) -> AsyncIterator[tuple[Server, Path]]:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    settings = dataclasses.replace(e2e_settings(tmp_path / "var"), content_dir=content)
    srv = Server(settings)
    await srv.start()
    yield srv, content
    await srv.stop()


async def test_reload_over_ssh_refuses_broken_content_then_applies_good(
    world_server: tuple[Server, Path],
) -> None:
    server, content = world_server
    admin_key = asyncssh.generate_private_key("ssh-ed25519")
    bob_key = asyncssh.generate_private_key("ssh-ed25519")
    async with await connect(server.ssh_port, "ana", admin_key) as conn:
        assert (await conn.run("look")).exit_status == 0
    server.game.store.set_role("ana", "admin")
    rooms = content / "town" / "rooms.yaml"
    good = rooms.read_text()
    async with (
        await connect(server.ssh_port, "ana", admin_key) as a,
        await connect(server.ssh_port, "bob", bob_key) as b,
    ):
        ra = Reader(await a.create_process(encoding=None))
        rb = Reader(await b.create_process(encoding=None))
        await ra.until("You see a notice board.")
        await rb.until("You see a notice board.")
        rb.send("north")
        await rb.until("The Old Hall")
        rb.send("up")
        await rb.until("Bell Loft")
        before = server.game.world.content

        rooms.write_text(good.replace("- id: hall\n", "- id: hall\n  title: [oops\n", 1))
        ra.send("reload")
        await ra.until("Reload refused:")
        await ra.until("content/town/rooms.yaml:")
        assert server.game.world.content is before
        rb.send("look")
        await rb.until("Bell Loft")

        start, end = good.index("- id: loft"), good.index("- id: kitchen")
        rooms.write_text((good[:start] + good[end:]).replace("    up: loft\n", ""))
        ra.send("reload")
        await ra.until("Reloaded in")
        await ra.until("Removed: room town:loft.")
        await rb.until("The world shifts around you")
        rb.send("look")
        await rb.until("Town Square")
        assert server.game.world.content is not before
        assert {s.player.name for s in server.game.sessions} == {"ana", "bob"}
        outcomes = server.conn.execute(
            "SELECT actor, action, detail FROM audit_log WHERE action = 'reload' ORDER BY id"
        ).fetchall()
        assert [(a, b) for a, b, _ in outcomes] == [("ana", "reload"), ("ana", "reload")]
        assert outcomes[0][2].startswith("Reload refused")  # the outcome, not "checking..."
        assert outcomes[1][2].startswith("Reloaded in")
