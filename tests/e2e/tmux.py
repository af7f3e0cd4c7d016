"""OpenSSH in a real terminal (tmux) for end-to-end tests: what a player actually sees.

tmux runs ``ssh`` in a window on its own socket; ``capture-pane`` gives the screen as text.
Polling the screen is bounded by a deadline (it waits on the client and the terminal, never
on a game timer). The ``tmux`` fixture is in tests/conftest.py.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path

import asyncssh
import pytest

needs_tmux = pytest.mark.skipif(
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


def client_key(tmp_path: Path) -> Path:
    path = tmp_path / "id_ed25519"
    asyncssh.generate_private_key("ssh-ed25519").write_private_key(path)
    path.chmod(0o600)
    return path


def ssh_command(port: int, key: Path, user: str, then: str = "sleep 30") -> str:
    """The shell line tmux runs: OpenSSH as a player would, with no prompts; ``then`` keeps
    the window (and what ssh left on it) around after ssh exits."""
    return (
        f"ssh -p {port} -i {key} -o StrictHostKeyChecking=no "
        "-o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes -o LogLevel=ERROR "
        f"{user}@127.0.0.1; {then}"
    )
