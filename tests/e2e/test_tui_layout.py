"""The layout over real SSH, read through pyte (issue #13 frictions): the log keeps a
margin off the room panel's divider, and under 80 columns the panel gives way."""

from __future__ import annotations

import asyncssh

from game.app import Server
from tests.e2e.conftest import connect
from tests.e2e.pty import PtyScreen

HINT = "Type a command: look, say <text>, help, quit"


async def test_log_text_never_touches_the_divider(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(server.ssh_port, "ana", keys["ana"]) as conn:
        screen = await PtyScreen.open(conn, (100, 30))
        await screen.wait_for(lambda s: "First visit" in s, "the greeting and rewards")
        rows = [row for row in screen.rows() if "▏" in row]
        assert rows
        assert all(row[row.index("▏") - 1] == " " for row in rows), screen.text()
        assert any(row.startswith(" Cobblestones") for row in rows)  # and off the left edge


async def test_at_60x20_the_panel_hides_and_everything_is_readable(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(server.ssh_port, "ana", keys["ana"]) as conn:
        screen = await PtyScreen.open(conn, (60, 20))
        text = await screen.wait_for(lambda s: "First visit" in s, "the greeting and rewards")
        assert HINT in text  # the prompt's hint, whole
        assert "▏" not in text  # no side panel taking half the screen
        assert "Exits: north, east, south and west." in text  # the room is in the log
