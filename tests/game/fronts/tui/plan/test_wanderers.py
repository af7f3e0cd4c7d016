"""Wandering NPCs on the plan and in ``where``, over real SSH (issue #13 item 5).

A wanderer in the room was in the text but not on the plan nor in ``where``; NPC glyphs
took the article's letter (``&a`` for "a fisherman"); labels were drawn over walls.
"""

from __future__ import annotations

import asyncssh
import pytest

from game.app import Server
from tests.e2e.conftest import Reader, connect
from tests.e2e.pty import PtyScreen


@pytest.fixture(scope="module")
def keys() -> dict[str, asyncssh.SSHKey]:
    return {name: asyncssh.generate_private_key("ssh-ed25519") for name in ("ana", "bob")}


def wander_in(server: Server) -> None:
    """What Wanderers.tick does when the fisherman walks into the square."""
    server.game.world.npc_rooms["plaza:fisherman"] = "plaza:square"
    server.game.refresh_room("plaza:square")


async def test_a_wanderer_is_on_the_plan_with_its_own_letter_and_no_label_on_a_wall(
    plaza: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    plaza.game.unlocks.grant("ana", "form:visual", "test", "test")
    async with await connect(plaza.ssh_port, "ana", keys["ana"]) as conn:
        screen = await PtyScreen.open(conn, (100, 30))
        screen.type("form visual")
        await screen.wait_for(lambda s: "&g" in s, "the guard on the plan")
        wander_in(plaza)
        text = await screen.wait_for(lambda s: "&f" in s, "the fisherman on the plan")
        assert "&a" not in text
        assert "&t" not in text
        top = next(row for row in screen.rows() if "░░" in row)  # the north wall, its door
        assert top.strip().startswith("████████░░████████"), text  # no name over it
        screen.type("where")
        await screen.wait_for(lambda s: "A fisherman is " in s, "the fisherman in where")


async def test_where_in_line_mode_lists_the_wanderer(
    plaza: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(plaza.ssh_port, "bob", keys["bob"]) as conn:
        reader = Reader(await conn.create_process(encoding=None))
        await reader.until("Fountain Square")
        wander_in(plaza)
        reader.send("where")
        await reader.until("The guard is ")
        await reader.until("A fisherman is ")
