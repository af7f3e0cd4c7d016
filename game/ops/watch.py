"""Two small watchers that run as server components: event-loop lag and idle sessions.

Both keep their logic in a synchronous method (``sample`` / ``check``) that tests call
directly with a FakeClock; the component's async loop only calls it on a timer.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import structlog

from game.core.periodic import Periodic
from game.core.reply import Kind, Reply

if TYPE_CHECKING:
    from game.engine.game import Game

log = structlog.get_logger("sshrealm.ops")


class LoopLag(Periodic):
    """How late the loop wakes a sleeping timer: the time every player's command waits."""

    interval_s = 0.5

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game
        self._asked_at = 0.0

    async def wait(self) -> None:
        loop = asyncio.get_running_loop()
        self._asked_at = loop.time()
        await asyncio.sleep(self.interval_s)
        self.sample(loop.time() - self._asked_at)

    def sample(self, slept_s: float) -> None:
        self.game.metrics.loop_lag_s = max(0.0, slept_s - self.interval_s)

    def tick(self) -> None:
        pass


class IdleWatcher(Periodic):
    """Warn a session ``idle_warning_s`` before the idle timeout, then close it politely."""

    interval_s = 5.0

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game
        self.warned: dict[str, int] = {}  # session id -> last_input_ms when warned

    def tick(self) -> None:
        self.check()

    def check(self) -> list[str]:
        """Warn or close idle sessions now; returns the names of the sessions closed."""
        settings = self.game.settings
        timeout_ms = settings.idle_timeout_s * 1000
        if timeout_ms <= 0:
            return []
        warn_ms = max(0, timeout_ms - settings.idle_warning_s * 1000)
        now = self.game.clock()
        closed = []
        for session in self.game.sessions:
            idle = now - session.last_input_ms
            if idle >= timeout_ms:
                self.warned.pop(session.id, None)
                closed.append(session.player.name)
                log.info("idle_timeout", player=session.player.name, session=session.id)
                session.close(
                    f"You were idle for {settings.idle_timeout_s // 60} minutes, so this "
                    "session was closed. Your progress is saved; log in again any time."
                )
            elif idle >= warn_ms and self.warned.get(session.id) != session.last_input_ms:
                self.warned[session.id] = session.last_input_ms
                left = (timeout_ms - idle + 999) // 1000
                session.send(
                    [
                        Reply(
                            Kind.SYSTEM,
                            f"You have been idle a while. Type anything within {left} seconds "
                            "to stay connected.",
                        )
                    ]
                )
        live = {s.id for s in self.game.sessions}
        for sid in [k for k in self.warned if k not in live]:
            del self.warned[sid]
        return closed
