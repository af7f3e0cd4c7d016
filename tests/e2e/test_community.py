"""Community features over real SSH, two players in line mode: channels reach another room
with their prefix, an ignore holds on every path, an alias runs its commands, a follower
walks after their leader, and a friend hears the other come online."""

from __future__ import annotations

import asyncssh

from game.app import Server
from tests.e2e.conftest import Reader, connect


async def test_two_line_mode_players_use_channels_ignore_alias_and_follow(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(server.ssh_port, "bob", keys["bob"]) as b:
        assert (await b.run("look")).exit_status == 0  # bob's key claims his name
    async with await connect(server.ssh_port, "ana", keys["ana"]) as a:
        ra = Reader(await a.create_process(encoding=None))
        await ra.until("You see a notice board.")
        ra.send("friends add bob")
        await ra.until("bob is on your friends list.")
        async with await connect(server.ssh_port, "bob", keys["bob"]) as b:
            rb = Reader(await b.create_process(encoding=None))
            await rb.until("You see a notice board.")
            await ra.until("Your friend bob is online.")
            rb.send("north")
            await rb.until("The Old Hall")
            ra.send("chat hello from the square \x1b[31m[bold]")
            await rb.until("[chat] ana: hello from the square [bold]\r\n")
            rb.send("alias back south;wave ana")
            await rb.until("Alias back: south;wave ana")
            rb.send("back")
            await ra.until("bob waves to you.")
            rb.send("follow ana")
            await ra.until("bob starts following you.")
            ra.send("east")
            await rb.until("You follow ana east.")
            rb.send("ignore ana")
            await rb.until("You ignore ana: nothing they say reaches you.")
            ra.send("say can you hear me")
            ra.send("tell bob psst")
            await ra.until("bob is not listening to you.")
            rb.send("unignore ana")
            await rb.until("You hear ana again.")
            ra.send("say now?")
            await rb.until('ana says, "now?"')
            assert b"can you hear me" not in rb.seen
            rb.send("prompt [%t tokens] %r>")
            await rb.until("Prompt set: [%t tokens] %r>\r\n[")
            room = server.game.world.room(server.game.world.find_online("bob").room).title  # type: ignore[union-attr]
            await rb.until(f" tokens] {room}>\r\n")
            rb.send("map")
            await rb.until("Explored here: ")
            assert b"\x1b" not in ra.seen + rb.seen
        await ra.until("Your friend bob has gone offline.")
