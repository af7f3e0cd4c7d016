"""Graceful shutdown on SIGTERM: warn players, refuse new logins, flush, stop in < 10 s.

The order matters. New logins are refused first (the health check turns "not ready" so a
load balancer stops sending players), then everyone is told, then after a short grace the
sessions close with a sentence, components stop, and the database is checkpointed so the
WAL is folded into the main file before the process exits. Every piece of player state is
already committed as it happens (rooms, items, tokens), so a restart brings it all back.

The server is handed in as :class:`game.ops.host.OpsHost` (the composition root calls this on
SIGTERM; ops never imports it).
"""

from __future__ import annotations

import asyncio
import signal
import time
from typing import TYPE_CHECKING

import structlog

from game.core.reply import Kind, Reply

if TYPE_CHECKING:
    from game.ops.host import OpsHost

log = structlog.get_logger("sshrealm.shutdown")


def stop_on_signals() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM: what every role's ``serve_forever`` waits for."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


DEADLINE_S = 10.0
WARNING = "The server is restarting in {s}. Your progress is saved; come back soon."
GOODBYE = "The server is restarting now. Your progress is saved. See you soon."


async def graceful_stop(server: OpsHost, *, grace_s: float | None = None) -> float:
    """Stop ``server`` politely; returns the seconds it took. Never takes over 10 s."""
    started = time.monotonic()
    grace = server.settings.shutdown_grace_s if grace_s is None else grace_s
    grace = max(0.0, min(float(grace), DEADLINE_S - 4))
    server.ssh.accepting = False
    sessions = list(server.game.sessions)
    log.info("shutdown_started", sessions=len(sessions), grace_s=grace)
    n = round(grace)
    when = "a moment" if n == 0 else f"{n} second{'s' if n != 1 else ''}"
    server.game.outbox.tell_all(Reply(Kind.SYSTEM, WARNING.format(s=when)))
    if grace and sessions:
        await asyncio.sleep(grace)
    try:
        await asyncio.wait_for(_stop(server), timeout=DEADLINE_S - grace - 0.5)
    except TimeoutError:
        log.error("shutdown_overran", limit_s=DEADLINE_S)
    took = time.monotonic() - started
    log.info("shutdown_done", seconds=round(took, 3))
    return took


async def _stop(server: OpsHost) -> None:
    flush(server)
    await server.stop(GOODBYE)


def flush(server: OpsHost) -> None:
    """Fold the WAL into the database file so a copied file is complete on its own."""
    try:
        server.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception:
        log.exception("checkpoint_failed")
