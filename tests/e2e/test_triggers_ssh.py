"""NPC triggers and the clock over real SSH: a line-mode player says "news" near the town
crier, who answers by the time of day; exec mode tells the time."""

from __future__ import annotations

import asyncssh

from game.app import Server
from tests.e2e.conftest import Reader, connect


async def test_the_crier_answers_news_by_the_time_of_day(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    game, port = server.game, server.ssh_port
    async with await connect(port, "ana", keys["ana"]) as conn:
        told = await conn.run("time")  # exec: one line, exit 0
        assert told.exit_status == 0, told.stderr
        assert str(told.stdout).startswith("It is ")
        reader = Reader(await conn.create_process(encoding=None))  # no PTY: line mode
        await reader.until("Town Square")
        phase = game.world.phase()
        reader.send("say any news?")
        if phase in ("dawn", "day"):
            await reader.until("The town crier rings his handbell.\r\n")
            await reader.until('The town crier says, "Hear ye, ana! The market is open')
        else:
            await reader.until('The town crier says, "Hush, ana, folk are sleeping.')
        reader.send("say nothing new")  # no keyword, no answer
        reader.send("look")
        await reader.until("Town Square")
        assert reader.seen.count(b"The town crier says") == 1
        assert b"\x1b" not in reader.seen
