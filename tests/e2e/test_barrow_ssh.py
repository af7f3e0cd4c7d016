"""The Old Barrow over real SSH, in line mode: the spirit's quest, told by triggers
(on_say starts it, the shrine's on_say hands the candle over, on_enter greets the bearer),
delivered and rewarded, then the king answers the first blow (on_attack from combat)."""

from __future__ import annotations

import asyncssh

from game.app import Server
from tests.e2e.conftest import Reader, connect


async def test_the_spirits_quest_and_the_kings_welcome_in_line_mode(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(server.ssh_port, "ana", keys["ana"]) as conn:
        ana = Reader(await conn.create_process(encoding=None))
        await ana.until("You see a notice board.")
        body = server.game.world.find_online("ana")
        assert body is not None
        server.game.world.move(body, "barrow:well")
        ana.send("say rest")
        await ana.until("Kneel at the shrine, ana, and pray.")
        await ana.until("New quest: Laid to Rest.")
        for step in ("east", "east"):
            ana.send(step)
        await ana.until("The Cold Shrine")
        ana.send("say pray")
        await ana.until("The stone lady gives you a grave candle.")
        for step in ("west", "west"):
            ana.send(step)
        await ana.until('A restless spirit says, "The light! Give it to me, ana."')
        ana.send("give candle to spirit")
        await ana.until("You hand over a grave candle to a restless spirit.")
        for step in ("east", "south", "south", "talk wenna"):
            ana.send(step)
        await ana.until("Then she sleeps at last.")
        server.game.world.move(body, "barrow:tomb")
        ana.send("attack king")
        await ana.until('Barrow King says, "Who wakes the king under the hill?"')
        ana.send("flee")
        await ana.until("You flee")
        assert b"\x1b" not in ana.seen
