"""A full fight over real SSH in line mode: equip from the locked chest, consider, win
(loot and tokens through the ledger), flee, die and wake at the area's start. Rounds run on
the server's injected clock: the test moves it and ticks the combat component."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import asyncssh
import pytest

from economy import Reason, verify
from game.app import Server
from tests.conftest import FakeClock
from tests.e2e.conftest import Reader, connect, e2e_settings


@pytest.fixture
async def timed(tmp_path: Path) -> AsyncIterator[tuple[Server, FakeClock]]:
    clock = FakeClock()
    srv = Server(e2e_settings(tmp_path / "var"), clock=clock)
    await srv.start()
    yield srv, clock
    await srv.stop()


def rounds(server: Server, clock: FakeClock, n: int = 1) -> None:
    for _ in range(n):
        clock.tick(server.game.world.content.combat.round * 1000)
        server.game.combat.tick()


def toughen(server: Server, npc_ref: str, **stats: int) -> None:
    """Change an NPC's fighting stats for this test (the content is a frozen dataclass)."""
    content = server.game.world.content
    npc = content.npcs[npc_ref]
    assert npc.combat is not None
    npcs = {
        **content.npcs,
        npc.id: dataclasses.replace(npc, combat=dataclasses.replace(npc.combat, **stats)),
    }
    server.game.world.content = dataclasses.replace(content, npcs=npcs)


def rat(server: Server, **stats: int) -> None:
    toughen(server, "wood:rat", **stats)


def fight_out(server: Server, clock: FakeClock, name: str, limit: int = 40) -> None:
    """Play rounds until ``name`` is no longer fighting (won, lost or fled)."""
    for _ in range(limit):
        if not server.game.combat.fighting(name):
            return
        rounds(server, clock)


async def test_a_whole_fight_over_ssh_line_mode(
    timed: tuple[Server, FakeClock], keys: dict[str, asyncssh.SSHKey]
) -> None:
    server, clock = timed
    game = server.game
    async with await connect(server.ssh_port, "ana", keys["ana"]) as conn:
        r = Reader(await conn.create_process(encoding=None))
        await r.until("You see a notice board.")
        game.world.move(game.world.online["ana"], "wood:camp")  # a walk away; not the point
        for line, answer in [
            ("look", "Charcoal Camp"),
            ("get key", "You pick up a small brass key."),
            ("east", "Oak Path"),
            ("east", "Mushroom Clearing"),
            ("down", "Root Hollow"),
            ("unlock chest", "You unlock an iron-bound chest."),
            ("open chest", "Inside: a wooden practice sword, a leather cap."),
            ("get sword from chest", "You take a wooden practice sword"),
            ("wield sword", "You wield a wooden practice sword."),
            ("brief on", "Brief combat is on"),
            ("consider rat", "A hollow rat looks an easy fight"),
        ]:
            r.send(line)
            await r.until(answer)
        before = game.wallet.balance("ana")
        r.send("attack rat")
        await r.until("[you ")
        fight_out(server, clock, "ana")
        text = await r.until("A hollow rat is defeated!")
        assert "+2 tokens for defeating a hollow rat." in text[-400:] + await r.until("tokens")
        assert game.wallet.balance("ana") == before + 2
        assert "\x1b" not in text
        # Flee from a rat too tough to beat.
        clock.tick(120_000)
        game.combat.tick()
        rounds(server, clock, game.world.content.combat.stamina)  # rested: enough to flee
        rat(server, health=500, damage=1)
        r.send("attack rat")
        await r.until("[you ")
        r.send("flee")
        await r.until("You flee up!")
        await r.until("Mushroom Clearing")
        assert game.combat.fighting("ana") is None
        # Die to a deadly one and wake in the square.
        rat(server, health=500, attack=20, damage=60)
        r.send("down")
        await r.until("Root Hollow")
        r.send("attack rat")
        await r.until("[you ")
        fight_out(server, clock, "ana")
        await r.until("You have been defeated.")
        await r.until("Edge of Thornwood")
        assert game.world.find_online("ana") is not None
        assert game.world.find_online("ana").room == "wood:edge"  # type: ignore[union-attr]
        r.send("score")
        r.send("quit")
    minted = game.conn.execute(
        "SELECT sum(amount) FROM transfers WHERE code = ?", (int(Reason.COMBAT_REWARD),)
    ).fetchone()[0]
    assert minted == 2
    assert verify.run(game.conn, full=True).ok
