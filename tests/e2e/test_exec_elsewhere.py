"""Exec mode acting on a body an open TUI session shows (issue #13 item 10): ``ssh host go
north`` moves the player, and the TUI, read through pyte, shows the new room."""

from __future__ import annotations

import asyncssh

from game.app import Server
from tests.e2e.conftest import connect
from tests.e2e.pty import PtyScreen


async def test_exec_move_shows_the_new_room_in_the_open_tui(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(server.ssh_port, "ana", keys["ana"]) as conn:
        screen = await PtyScreen.open(conn, (100, 30))
        await screen.wait_for(lambda s: "Welcome" in s, "the greeting")
        async with await connect(server.ssh_port, "ana", keys["ana"]) as other:
            result = await other.run("go north", encoding=None)
        assert result.exit_status == 0
        await screen.wait_for(
            lambda s: "From another connection: go north" in screen.column(0, 69), "a note"
        )
        await screen.wait_for(
            lambda s: (
                "The Old Hall" in screen.column(0, 69)  # a room line in the log
                and "The Old Hall" in screen.column(70, 100)  # and the room panel
                and "| The Old Hall |" in s
            ),  # and the status line
            "the new room",
        )
