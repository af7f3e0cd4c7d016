"""The log keeps following over real SSH, read through pyte (issue #13 item 4).

``form visual`` puts the floor plan above the log; the log got shorter and stopped
following, so the confirmation and everything after it stayed out of view until PageDown.
A player who scrolled back never saw that new lines had arrived below.
"""

from __future__ import annotations

import asyncssh
import pytest

from game.app import Server
from tests.e2e.conftest import connect
from tests.e2e.pty import PtyScreen

SIZE = (100, 30)


@pytest.fixture(scope="module")
def key() -> asyncssh.SSHKey:
    return asyncssh.generate_private_key("ssh-ed25519")


async def test_form_visual_keeps_the_log_following(plaza: Server, key: asyncssh.SSHKey) -> None:
    plaza.game.unlocks.grant("ana", "form:visual", "test", "test")
    async with await connect(plaza.ssh_port, "ana", key) as conn:
        screen = await PtyScreen.open(conn, SIZE)
        for _ in range(3):  # a log fuller than the part the plan will leave
            screen.type("look")
        await screen.wait_for(lambda s: s.count("Fountain Square") >= 4, "three looks")
        screen.type("form visual")
        await screen.wait_for(lambda s: "You now use the visual form" in s, "the confirmation")
        screen.type("where")
        await screen.wait_for(lambda s: "You are " in s, "the answer to where")


async def test_scrolled_back_log_marks_new_lines_and_end_follows_again(
    plaza: Server, key: asyncssh.SSHKey
) -> None:
    async with await connect(plaza.ssh_port, "ana", key) as conn:
        screen = await PtyScreen.open(conn, SIZE)
        for _ in range(8):
            screen.type("look")
        screen.type("say filled")
        await screen.wait_for(lambda s: 'You say, "filled"' in s, "a full log")
        screen.send("\x1b[5~")  # PageUp
        await screen.wait_for(lambda s: "Welcome to sshrealm" in s, "the top of the log")
        screen.type("say marker test")
        text = await screen.wait_for(lambda s: "▼ 1 new line — PageDown/End" in s, "the marker")
        assert 'You say, "marker test"' not in text
        screen.send("\x1b[F")  # End
        text = await screen.wait_for(lambda s: 'You say, "marker test"' in s, "the new line")
        assert "new line" not in text
        screen.type("say still following")
        await screen.wait_for(lambda s: 'You say, "still following"' in s, "following again")
