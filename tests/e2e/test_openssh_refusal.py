"""A known name with someone else's key is told why, is never asked for a password the
account does not have, and is never let in: with the real OpenSSH client in tmux at the
default log level and at ``-o LogLevel=ERROR`` (where OpenSSH hides auth banners and
keyboard-interactive instructions, but still prints the server's disconnect message), and
with an asyncssh client that offers keyboard-interactive."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncssh
import pytest

from game.app import Server
from tests.e2e.conftest import connect
from tests.e2e.tmux import WITHIN, Tmux, client_key, needs_tmux

WHY = "The name 'ana' is already taken and bound to a different key."


async def ana_exists(server: Server, key: asyncssh.SSHKey) -> None:
    async with await connect(server.ssh_port, "ana", key) as conn:
        await conn.run("look")


async def screen_after_exit(tmux: Tmux, window: str) -> str:
    """The window's text (wrapped lines joined) once the shell says ssh has exited."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WITHIN
    screen = ""
    while loop.time() < deadline:
        screen = (await tmux.run("capture-pane", "-p", "-J", "-t", window))[1]
        if "ssh exited" in screen:
            return screen
        await asyncio.sleep(0.05)  # polling the terminal, bounded by the deadline
    raise AssertionError(f"ssh never exited; the screen was:\n{screen}")


@needs_tmux
@pytest.mark.parametrize("level", ["INFO", "ERROR"])
async def test_openssh_shows_why_a_key_is_refused(
    server: Server, tmux: Tmux, tmp_path: Path, level: str, keys: dict[str, asyncssh.SSHKey]
) -> None:
    await ana_exists(server, keys["ana"])
    wrong = client_key(tmp_path)  # a fresh key, not ana's
    ssh = (
        f"ssh -p {server.ssh_port} -i {wrong} -o StrictHostKeyChecking=no "
        f"-o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes -o LogLevel={level} "
        "ana@127.0.0.1; echo ssh exited $?; sleep 30"
    )
    await tmux.run("new-session", "-d", "-s", level, "-x", "100", "-y", "30", ssh)
    screen = await screen_after_exit(tmux, level)
    assert WHY in screen
    assert "ssh exited 255" in screen
    assert "assword" not in screen  # ana has no password: nothing is asked
    assert "Town Square" not in screen
    assert server.game.store.keys("ana") == [keys["ana"].get_fingerprint()]


class Kbdint(asyncssh.SSHClient):
    """A client that offers keyboard-interactive after its key and records any prompt."""

    prompts: list[object] = []

    def kbdint_auth_requested(self) -> str:
        return ""

    def kbdint_challenge_received(
        self, name: str, instructions: str, lang: str, prompts: object
    ) -> list[str]:
        self.prompts.append(prompts)
        return ["guess"] * len(prompts)  # type: ignore[arg-type]


async def test_wrong_key_then_keyboard_interactive_is_told_why(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    await ana_exists(server, keys["ana"])
    Kbdint.prompts = []
    with pytest.raises(asyncssh.PermissionDenied) as refused:
        await asyncssh.connect(
            "127.0.0.1",
            server.ssh_port,
            username="ana",
            client_keys=[keys["eve"]],
            known_hosts=None,
            agent_path=None,
            client_factory=Kbdint,
        )
    assert WHY in refused.value.reason  # the disconnect message itself says why
    assert Kbdint.prompts == []  # no password asked: ana has none
    assert not server.game.sessions


async def test_keyless_client_for_a_key_account_is_told_why(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    await ana_exists(server, keys["ana"])
    Kbdint.prompts = []
    with pytest.raises(asyncssh.PermissionDenied) as refused:
        await asyncssh.connect(
            "127.0.0.1",
            server.ssh_port,
            username="ana",
            client_keys=None,  # keyboard-interactive only
            known_hosts=None,
            agent_path=None,
            client_factory=Kbdint,
        )
    assert refused.value.reason == "'ana' logs in with an SSH key, not a password."
    assert Kbdint.prompts == []
