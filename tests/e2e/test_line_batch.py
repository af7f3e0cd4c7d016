"""Line mode over real SSH: lines sent together run in order, with all their output.

Issue #13 item 3: a batch (``printf 'n\\nw\\nbalance\\n' | ssh -T host``) printed the balance
before the rewards the moves earned, and a batch ending in ``quit`` never showed them.
"""

from __future__ import annotations

import asyncssh

from game.app import Server
from tests.e2e.conftest import connect


def _order(text: str, *wanted: str) -> list[int]:
    """Where each wanted line starts; fails if one is missing."""
    spots = []
    for line in wanted:
        assert line in text, f"{line!r} missing from:\n{text}"
        spots.append(text.index(line))
    return spots


async def _batch(server: Server, key: asyncssh.SSHKey, user: str, lines: str) -> str:
    async with await connect(server.ssh_port, user, key) as conn:
        result = await conn.run(input=lines.encode(), encoding=None, timeout=20)
    assert isinstance(result.stdout, bytes)
    return result.stdout.decode()


async def test_batch_replies_and_rewards_arrive_in_order(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    out = await _batch(server, keys["ana"], "ana", "n\nw\nbalance\n")
    spots = _order(
        out,
        "Welcome to sshrealm",
        "Daily bonus:",
        "The Old Hall\r\n",
        "First visit to The Old Hall:",
        "Hall Kitchen\r\n",
        "First visit to Hall Kitchen:",
        "You have ",
        "Goodbye.",
    )
    assert spots == sorted(spots), out
    assert "\x1b" not in out


async def test_batch_ending_in_quit_shows_every_reward_first(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    out = await _batch(server, keys["bob"], "bob", "n\nw\nbalance\nquit\nlook\n")
    spots = _order(
        out,
        "First visit to The Old Hall:",
        "First visit to Hall Kitchen:",
        "You have ",
        "Goodbye. Your progress is saved.",
    )
    assert spots == sorted(spots), out
    assert out.count("First visit to The Old Hall") == 1
    assert out.rstrip().endswith("Goodbye. Your progress is saved."), out  # nothing after quit


async def test_a_flood_of_lines_is_bounded_and_others_keep_playing(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    """Security review: 20 MB of newlines queued one closure each and grew the server to
    6 GB. Blank lines now queue nothing; reading pauses while lines wait; a client that
    piles up more than the limit is sent away with a sentence."""
    async with (
        await connect(server.ssh_port, "cyra", keys["cyra"]) as flooder,
        await connect(server.ssh_port, "bob", keys["bob"]) as other,
    ):
        blank = await flooder.run(input=b"\n" * 2_000_000 + b"balance\n", encoding=None, timeout=60)
        assert isinstance(blank.stdout, bytes)
        assert b"You have " in blank.stdout  # every blank line was ignored, cheaply
        flood = await flooder.run(input=b"xyzzy\n" * 20_000, encoding=None, timeout=60)
        assert isinstance(flood.stdout, bytes)
        assert b"typed lines were waiting to run. Send fewer." in flood.stdout
        assert flood.stdout.count(b"Unknown command 'xyzzy'") < 1100  # at most the limit ran
        look = await other.run("look", timeout=10)
        assert look.exit_status == 0
