"""Fifty PTY sessions over real SSH come and go: no Textual App may outlive its session.

tests/game/fronts/tui/test_leaks.py checks the same with fake channels; this one goes through
the real SSH front (asyncssh channels, executor threads for key checks, takeover
bookkeeping), which is where a stray reference to a session would hide in production.
"""

from __future__ import annotations

import asyncio
import gc
import sys

import asyncssh
from textual.app import App, _PrintCapture

from game.app import Server
from game.fronts.tui.app import GameApp
from tests.e2e.conftest import Reader

SESSIONS = 50
AT_ONCE = 10


def live(kind: type) -> int:
    gc.collect()
    return sum(isinstance(obj, kind) for obj in gc.get_objects())


async def one_session(port: int, n: int, all_up: asyncio.Barrier, counts: list[int]) -> None:
    key = asyncssh.generate_private_key("ssh-ed25519")  # one key per account (TOFU)
    # Each player from its own loopback address, as 50 real players would be: the
    # per-address connection rate limit is not what this test is about.
    async with await asyncssh.connect(
        "127.0.0.1",
        port,
        local_addr=(f"127.0.1.{n + 1}", 0),
        username=f"leak{n:02d}",
        client_keys=[key],
        known_hosts=None,
        agent_path=None,
    ) as conn:
        proc = await conn.create_process(
            encoding=None, term_type="xterm-256color", term_size=(100, 30)
        )
        reader = Reader(proc)
        await reader.until("Town Square", within=30)
        await reader.until("ype a command", within=30)  # the prompt: the app is mounted
        async with asyncio.timeout(60):  # a session that failed must not hang the rest
            if await all_up.wait() == 0:  # the whole batch is on screen: count apps once
                counts.append(live(GameApp))
            await all_up.wait()
        if n % 2:
            reader.send("quit")  # half leave by quitting, half by dropping the connection
            await reader.until("Goodbye.", within=30)


async def test_fifty_ssh_sessions_leave_no_app_behind(server: Server) -> None:
    assert live(GameApp) == 0
    counts: list[int] = []
    for start in range(0, SESSIONS, AT_ONCE):
        all_up = asyncio.Barrier(AT_ONCE)
        await asyncio.gather(
            *(
                one_session(server.ssh_port, n, all_up, counts)
                for n in range(start, start + AT_ONCE)
            )
        )
    assert counts == [AT_ONCE] * (SESSIONS // AT_ONCE)  # each batch really ran its apps
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20
    while server.game.sessions or server.ssh.tasks:  # the server notices the hang-ups
        assert loop.time() < deadline, "sessions were never torn down"
        await asyncio.sleep(0.02)

    assert live(GameApp) == 0
    assert live(App) == 0
    assert not isinstance(sys.stdout, _PrintCapture)
    assert not isinstance(sys.stderr, _PrintCapture)
