"""Commit, then publish (issue 14): what a command says and does leaves only when its step
commits. A priced command that fails after it moved its player, spoke to the room, paid a
reward and was charged leaves nothing: no line to anyone, no event, no moved body, no token
moved. And what a step says reaches its player in the order it happened, the command's own
reply first."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import asyncssh

from bridge.events import Event, TokensCharged, TokensCredited
from economy import Reason
from game.app import Server
from game.commands.base import CommandSpec, Context, Result
from game.core.reply import Kind, Reply
from tests.e2e.conftest import Reader, connect, e2e_settings


def doomed(ctx: Context, args: str) -> Result:
    """Walk north, boast, get paid, then fail (a fault planted for this test).

    Usage:
      doomed
    """
    game, player = ctx.game, ctx.player
    ctx.to_room(player.room, Reply(Kind.MOVE, f"{player.name} strides north."), exclude=[player])
    game.world.move(player, "town:hall")
    game.refresh_room("town:hall")
    game.wallet.credit(player.name, 50, Reason.ADMIN_GRANT, "doomed-gift", "a gift")
    game.world.grant(player, "town:bread", 1)
    raise RuntimeError("the step fails after all of that")


async def test_a_failed_priced_command_leaves_nothing(tmp_path: Path) -> None:
    server = Server(e2e_settings(tmp_path / "var"))
    game = server.game
    game.registry.add(CommandSpec("doomed", (), doomed))
    economy = game.world.content.economy
    prices = {**economy.prices, "doomed": 2}
    game.world.content = dataclasses.replace(
        game.world.content, economy=dataclasses.replace(economy, prices=prices)
    )
    await server.start()
    seen: list[Event] = []
    try:
        keys = {n: asyncssh.generate_private_key("ssh-ed25519") for n in ("ana", "bob")}
        async with (
            await connect(server.ssh_port, "ana", keys["ana"]) as a,
            await connect(server.ssh_port, "bob", keys["bob"]) as b,
        ):
            ra = Reader(await a.create_process(encoding=None))
            rb = Reader(await b.create_process(encoding=None))
            await ra.until("You see a notice board.")
            await rb.until("You see a notice board.")
            ana = game.world.find_online("ana")
            assert ana is not None
            balance, inventory = game.wallet.balance("ana"), dict(ana.inventory)
            transfers = game.conn.execute("SELECT COUNT(*) FROM transfers").fetchone()[0]
            game.listeners.append(seen.append)
            ra.send("doomed")
            await ra.until("Sorry, that command failed on our side.")
            rb.send("look")
            after = await rb.until("You see a notice board.")
            assert "strides north" not in after
            assert "ana" in after.rsplit("Town Square", 1)[1]  # still standing here
            assert ana.room == "town:square"
            assert dict(ana.inventory) == inventory
            assert game.store.inventory("ana") == inventory
            assert game.wallet.balance("ana") == balance
            count = game.conn.execute("SELECT COUNT(*) FROM transfers").fetchone()[0]
            assert count == transfers
            assert not [e for e in seen if isinstance(e, TokensCredited | TokensCharged)]
            assert [e.name for e in seen] == ["command-run", "command-run"]  # doomed, look
    finally:
        await server.stop()
