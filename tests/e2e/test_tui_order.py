"""The TUI over real SSH, read through pyte: a pasted batch shows in the order it happened.

Issue #13 item 3, the same fault in the full-screen UI: a paste of ``n``, ``w``, ``balance``
showed the balance before the first-visit rewards of the two moves.
"""

from __future__ import annotations

import asyncssh

from game.app import Server
from tests.e2e.conftest import connect
from tests.e2e.pty import PtyScreen


async def test_pasted_batch_shows_rewards_before_the_next_reply(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(server.ssh_port, "ana", keys["ana"]) as conn:
        screen = await PtyScreen.open(conn, (100, 40))
        await screen.wait_for(lambda s: "First visit to Town Square" in s, "the first reward")
        screen.send("n\rw\rbalance\r")
        text = await screen.wait_for(
            lambda s: "You have" in s and "First visit to Hall Kitchen" in s, "the batch"
        )
        text = screen.column(0, 60)  # the log; the room panel is on the right
        order = [
            text.index(line)
            for line in (
                "First visit to Town Square",
                "The Old Hall",
                "First visit to The Old Hall",
                "Hall Kitchen\n",
                "First visit to Hall Kitchen",
                "You have",
            )
        ]
        assert order == sorted(order), text
