"""The real OpenSSH client in a real terminal (tmux): what a player actually sees (100x30)."""

from __future__ import annotations

from pathlib import Path

from game.app import Server
from tests.e2e.tmux import Tmux, client_key, needs_tmux, ssh_command

pytestmark = needs_tmux


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
    ssh = ssh_command(server.ssh_port, key, "ana", then="echo ssh exited $?; sleep 30")
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
