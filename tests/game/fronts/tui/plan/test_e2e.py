"""Two players over real SSH, one in each form: the visual player walks with the arrow keys
and the text player reads it as a sentence; the text player walks and the plan repaints."""

from __future__ import annotations

import asyncssh
import pytest

from game.app import Server
from tests.e2e.conftest import Reader, connect


@pytest.fixture(scope="module")
def keys() -> dict[str, asyncssh.SSHKey]:
    return {name: asyncssh.generate_private_key("ssh-ed25519") for name in ("ana", "bob")}


async def test_visual_and_text_players_see_each_other_walk(
    plaza: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    game = plaza.game
    game.unlocks.grant("ana", "form:visual", "test", "test")
    async with (
        await connect(plaza.ssh_port, "ana", keys["ana"]) as a,
        await connect(plaza.ssh_port, "bob", keys["bob"]) as b,
    ):
        tui = await a.create_process(encoding=None, term_type="xterm-256color", term_size=(100, 30))
        ra = Reader(tui)
        await ra.until("ype a command")
        ra.send("form visual")
        await ra.until("@a")  # the plan is drawn with ana's avatar
        rb = Reader(await b.create_process(encoding=None))  # no PTY: line mode
        await rb.until("Fountain Square")
        await ra.until("@b")  # bob appears on ana's plan
        ana = game.world.find_online("ana")
        assert ana is not None
        x, y = game.positions.spot(ana)
        step = (
            "\x1b[C" if game.positions.layout(ana.room).tile(x + 1, y).kind == "floor" else "\x1b[D"
        )  # type: ignore[union-attr]
        tui.stdin.write(step.encode())  # an arrow key on an empty command line walks
        await rb.until("ana walks east." if step == "\x1b[C" else "ana walks west.")
        bob = game.world.find_online("bob")
        assert bob is not None
        game.positions.move_to(bob, (1, 1))  # far from the bench
        game.positions.push(bob.room)
        await ra.until("@b")
        ra.pos = len(ra.seen)
        rb.send("walk to the bench")
        await rb.until("You walk to the bench")
        await ra.until("@b")  # only bob's cells are repainted, his avatar among them
        rb.send("where")
        await rb.until("ana is ")
        assert b"\x1b" not in rb.seen  # line mode never gets an escape sequence
