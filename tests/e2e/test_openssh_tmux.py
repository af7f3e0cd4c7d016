"""The real OpenSSH client in a real terminal (tmux): what a player actually sees.

tmux runs ``ssh`` in a 100x30 window on its own socket; ``capture-pane`` gives the screen
as text. Polling the screen is bounded by a deadline (it waits on the client and the
terminal, never on a game timer).
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import asyncssh
import pytest

from game.app import Server

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None or shutil.which("ssh") is None,
    reason="needs tmux and the OpenSSH client (apt-get install tmux openssh-client)",
)

WITHIN = 15.0


class Tmux:
    """One tmux server on a private socket, so the test never touches a user's sessions."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket

    async def run(self, *args: str, check: bool = True) -> tuple[int, str]:
        proc = await asyncio.create_subprocess_exec(
            "tmux",
            "-S",
            str(self.socket),
            *args,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await proc.communicate()
        text = out.decode(errors="replace")
        if check and proc.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)} failed: {text}")
        return proc.returncode or 0, text

    async def screen(self) -> str:
        return (await self.run("capture-pane", "-p", "-t", "game"))[1]

    async def wait_for(self, test: Callable[[str], bool], what: str) -> str:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WITHIN
        screen = ""
        while loop.time() < deadline:
            screen = await self.screen()
            if test(screen):
                return screen
            await asyncio.sleep(0.05)
        raise AssertionError(f"never saw {what}; the screen was:\n{screen}")


@pytest.fixture
async def tmux(tmp_path: Path) -> AsyncIterator[Tmux]:
    mux = Tmux(tmp_path / "tmux.sock")
    yield mux
    await mux.run("kill-server", check=False)


def client_key(tmp_path: Path) -> Path:
    path = tmp_path / "id_ed25519"
    asyncssh.generate_private_key("ssh-ed25519").write_private_key(path)
    path.chmod(0o600)
    return path


def column(screen: str, text: str) -> int:
    """The column where ``text`` starts on the first screen line holding it, else -1."""
    for line in screen.splitlines():
        if text in line:
            return line.index(text)
    return -1


async def test_openssh_in_tmux_plays_resizes_and_quits(
    server: Server, tmux: Tmux, tmp_path: Path
) -> None:
    key = client_key(tmp_path)
    ssh = (
        f"ssh -p {server.ssh_port} -i {key} -o StrictHostKeyChecking=no "
        "-o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes -o LogLevel=ERROR "
        "ana@127.0.0.1; echo ssh exited $?; sleep 30"
    )
    await tmux.run("new-session", "-d", "-s", "game", "-x", "100", "-y", "30", ssh)

    # The panel and the prompt can be drawn a frame before the log, so wait for all three.
    screen = await tmux.wait_for(
        lambda s: "Town Square" in s and "Type a command" in s and "Welcome to sshrealm" in s,
        "room, prompt and welcome",
    )
    assert "sshrealm — ana" in screen
    assert "Welcome to sshrealm, ana." in screen
    panel_at_100 = column(screen, "▏ Exits")  # the room panel, docked right
    assert panel_at_100 >= 70

    await tmux.run("send-keys", "-t", "game", "say hello from openssh", "Enter")
    screen = await tmux.wait_for(lambda s: 'You say, "hello from openssh"' in s, "the say")

    await tmux.run("resize-window", "-t", "game", "-x", "80", "-y", "24")
    screen = await tmux.wait_for(
        lambda s: len(s.splitlines()[0]) <= 80 and 0 < column(s, "▏ Exits") < panel_at_100,
        "the 80x24 layout",
    )
    assert 'You say, "hello from openssh"' in screen  # the log survived the relayout
    await tmux.run("resize-window", "-t", "game", "-x", "50", "-y", "12")
    await tmux.wait_for(lambda s: "Terminal too small" in s, "the too-small notice")
    await tmux.run("resize-window", "-t", "game", "-x", "100", "-y", "30")
    await tmux.wait_for(lambda s: "Type a command" in s, "the prompt again")

    await tmux.run("send-keys", "-t", "game", "quit", "Enter")
    screen = await tmux.wait_for(lambda s: "ssh exited 0" in s, "ssh ending")
    assert "Goodbye. Your progress is saved." in screen  # shown on the normal screen
    assert "Town Square" not in screen  # the alternate screen is gone
