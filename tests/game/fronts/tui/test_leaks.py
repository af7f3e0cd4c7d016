"""Many sessions come and go in one process: nothing of them may stay behind.

Guards the three process-global pitfalls of research/textual_ssh.md: the stdout/stderr swap
(a thread created while an app runs pins it through its captured stream), the XTermParser
``lru_cache`` on an instance method, and the parser generator frame holding the last key.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from textual.app import App, _PrintCapture

from game.core.reply import Reply
from game.fronts.tui.app import GameApp
from game.fronts.tui.runner import TuiSession
from tests.game.fronts.tui.fakes import FakeChannel, FakePort

SESSIONS = 50


def live(kind: type) -> int:
    gc.collect()
    return sum(isinstance(obj, kind) for obj in gc.get_objects())


async def test_fifty_sessions_leave_no_app_behind() -> None:
    assert live(GameApp) == 0
    tasks_before = len(asyncio.all_tasks())
    sessions = [
        TuiSession(FakePort(name=f"p{n}"), FakeChannel(), size=(100, 30)) for n in range(SESSIONS)
    ]
    runs = [asyncio.create_task(tui.run()) for tui in sessions]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    while not all(tui.link.ready for tui in sessions):
        assert loop.time() < deadline, "sessions did not start"
        await asyncio.sleep(0.02)
    # A thread started while apps run snapshots sys.stderr (Thread._stderr): with the shared
    # proxy it pins nothing; with Textual's per-app capture it would pin that app for ever.
    pool = ThreadPoolExecutor(max_workers=1)
    await loop.run_in_executor(pool, threading.get_ident)
    for n, tui in enumerate(sessions):
        tui.feed(b"look\r\x1b[97;5u\x1b[1;5A")  # kitty-protocol keys go through the cache
        tui.deliver([Reply.info(f"hello {n}")])
        other = sessions[(n + 1) % SESSIONS]
        other.deliver([Reply.info(f"from {n}")])  # cross-session delivery
    await asyncio.sleep(0.1)
    # Sessions end in an order unlike the one they started in (no stack discipline).
    for tui in sessions[::2] + sessions[1::2]:
        tui.close("Goodbye.")
    await asyncio.wait_for(asyncio.gather(*runs), 20)
    del sessions, runs, tui, other

    try:
        assert live(GameApp) == 0
        assert live(App) == 0
        assert not isinstance(sys.stdout, _PrintCapture)
        assert not isinstance(sys.stderr, _PrintCapture)
        assert len(asyncio.all_tasks()) == tasks_before
    finally:
        pool.shutdown()
