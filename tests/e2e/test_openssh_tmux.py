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

    # Past the log's height every line scrolls it: the terminal scrolls the log's rows
    # (a scroll region and a delete-line) and the room panel beside it is mended.
    before = screen.splitlines()
    await tmux.run("send-keys", "-t", "game", "help", "Enter")  # a screenful and more
    await tmux.wait_for(lambda s: "help priced." in s, "the help")
    for n in range(8):
        await tmux.run("send-keys", "-t", "game", f"say scroll {n}", "Enter")
        screen = await tmux.wait_for(lambda s, n=n: f'You say, "scroll {n}"' in s, "a say")
    rows = screen.splitlines()
    said = [row[:panel_at_100].strip() for row in rows if 'You say, "scroll' in row]
    assert said == [f'You say, "scroll {n}"' for n in range(8)]
    assert rows.index(next(r for r in rows if "scroll 7" in r)) == len(rows) - 3  # the end
    panel = [row[panel_at_100 - 1 :] for row in rows[1:-2]]
    assert panel == [row[panel_at_100 - 1 :] for row in before[1:-2]]  # not moved
    assert screen.count("Exits") == 1

    await tmux.run("resize-window", "-t", "game", "-x", "80", "-y", "24")
    screen = await tmux.wait_for(
        lambda s: len(s.splitlines()[0]) <= 80 and 0 < column(s, "▏ Exits") < panel_at_100,
        "the 80x24 layout",
    )
    assert 'You say, "scroll 7"' in screen  # the log survived the relayout
    await tmux.run("resize-window", "-t", "game", "-x", "50", "-y", "12")
    await tmux.wait_for(lambda s: "Terminal too small" in s, "the too-small notice")
    await tmux.run("resize-window", "-t", "game", "-x", "100", "-y", "30")
    await tmux.wait_for(lambda s: "Type a command" in s, "the prompt again")

    await tmux.run("send-keys", "-t", "game", "quit", "Enter")
    screen = await tmux.wait_for(lambda s: "ssh exited 0" in s, "ssh ending")
    assert "Goodbye. Your progress is saved." in screen  # shown on the normal screen
    assert "Town Square" not in screen  # the alternate screen is gone
