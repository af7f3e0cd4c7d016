"""The Textual UI over real SSH: a PTY session, its screen, chat across front ends, takeover.

The screen is checked in the raw byte stream: Textual writes each styled run of text as is,
so a line of the log or the room panel appears verbatim between escape sequences.
"""

from __future__ import annotations

import asyncssh

from game.app import Server
from tests.e2e.conftest import Reader, connect

PROMPT = "ype a command"  # the input placeholder; its first cell is drawn as the cursor


async def open_tui(conn: asyncssh.SSHClientConnection, size: tuple[int, int] = (100, 30)) -> Reader:
    proc = await conn.create_process(encoding=None, term_type="xterm-256color", term_size=size)
    reader = Reader(proc)
    await reader.until(PROMPT)
    return reader


async def shown(reader: Reader, text: str) -> None:
    """Wait until ``text`` has been drawn at any time since the session began."""
    reader.pos = 0
    await reader.until(text)


def fresh(reader: Reader) -> Reader:
    """Look only at output from now on (the screen repaints old text on every scroll)."""
    reader.pos = len(reader.seen)
    return reader


async def test_pty_session_gets_the_full_screen_ui(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(server.ssh_port, "ana", keys["ana"]) as conn:
        reader = await open_tui(conn)
        assert reader.seen.startswith(b"\x1b[?1049h")  # the alternate screen comes first
        await shown(reader, "Town Square")  # room panel and log
        await shown(reader, "Welcome to sshrealm, ana.")
        await shown(reader, "ana | Town Square |")  # status line
        fresh(reader).send("north")
        await reader.until("The Old Hall")
        fresh(reader).send("quit")
        await reader.until("\x1b[?1049l")  # the player's own screen is given back
        await reader.process.wait_closed()
    assert reader.process.exit_status == 0


async def test_tui_players_see_each_others_say_as_plain_text(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with (
        await connect(server.ssh_port, "ana", keys["ana"]) as a,
        await connect(server.ssh_port, "bob", keys["bob"]) as b,
    ):
        ra = await open_tui(a)
        rb = await open_tui(b)
        await ra.until("bob arrives.")
        fresh(ra).send("say hello [bold]bob\x1b[31m")
        await ra.until('You say, "hello [bold]bob"')
        await fresh(rb).until('ana says, "hello [bold]bob"')  # markup shown, not applied
        rb.send(":waves back")
        await ra.until("bob waves back.")


async def test_tui_and_line_mode_players_talk_both_ways(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with (
        await connect(server.ssh_port, "ana", keys["ana"]) as a,
        await connect(server.ssh_port, "bob", keys["bob"]) as b,
    ):
        ra = await open_tui(a)
        rb = Reader(await b.create_process(encoding=None))
        await rb.until("You see a notice board.")
        await ra.until("bob arrives.")
        ra.send("say from the screen")
        await rb.until('ana says, "from the screen"\r\n')
        rb.send("say from the line")
        await ra.until('bob says, "from the line"')
        assert b"\x1b" not in rb.seen  # the line-mode player never gets an escape


async def test_tui_reconnect_takes_over_and_restores_the_old_terminal(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(server.ssh_port, "ana", keys["ana"]) as first:
        r1 = await open_tui(first)
        async with await connect(server.ssh_port, "ana", keys["ana"]) as second:
            r2 = await open_tui(second, size=(80, 24))
            await r1.until("\x1b[?1049l")  # the old screen leaves the alternate screen...
            await r1.until("logged in from somewhere else")  # ...then says why, plainly
            await r1.process.wait_closed()
            fresh(r2).send("who")
            await r2.until("1 player online:")


async def test_tui_refuses_a_second_key_for_a_taken_name(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(server.ssh_port, "ana", keys["ana"]) as conn:
        await open_tui(conn)
    try:
        await connect(server.ssh_port, "ana", keys["bob"])
    except asyncssh.PermissionDenied:
        pass
    else:
        raise AssertionError("a second key for ana was accepted")
