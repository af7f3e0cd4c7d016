"""TuiSession: what the SSH layer holds for one PTY session.

Usage (game/ssh, on the server's event loop)::

    sessions = TuiFactory(tick_ms=settings.tick_ms)   # once per server
    tui = sessions.session(port, channel, size=(cols, rows), term="xterm-256color")
    session.front_end = tui
    await tui.run()          # until the player quits or the connection goes
    # asyncssh callbacks meanwhile: tui.feed(data), tui.resize(cols, rows), tui.close(reason)

Every :class:`~game.core.port.FrontEnd` method (called from the dispatcher, on the same loop)
only queues what it is given on the app and, once the app is mounted, sets the coalesced
frame's timer; before that it posts a message. ``run()`` guarantees the app is gone
when it returns: normal exit, a 5 s hard cancel if the app will not stop, and no reference
from this object to the app afterwards, so a lingering session object cannot keep an App
alive.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Sequence
from typing import TYPE_CHECKING

from game.core.port import FrontEnd, PlayerPort
from game.core.reply import Reply, RoomView, StatusView
from game.fronts.tui.app import FLUSH_INTERVAL, GameApp
from game.fronts.tui.linecache import LineCache
from game.fronts.tui.pacing import CEILING
from game.fronts.tui.plan import PLAN_CACHE_SIZE, PlanCache
from game.fronts.tui.terminal import Channel, TerminalLink, color_system_for

HARD_CANCEL_AFTER = 5.0
"""Seconds an app gets to exit after close() before its task is cancelled."""

CRASH_NOTICE = "Sorry, the game screen failed. Please reconnect."


class TuiSession:
    """One player's Textual UI on one SSH channel; implements ``game.core.port.FrontEnd``."""

    def __init__(
        self,
        port: PlayerPort,
        channel: Channel,
        *,
        size: tuple[int, int] = (80, 24),
        term: str | None = "xterm-256color",
        colorterm: str | None = None,
        tick_ms: int | None = None,
        line_cache: LineCache | None = None,
        plan_cache: PlanCache | None = None,
    ) -> None:
        """``tick_ms``: the repaint tick while the server keeps up (it grows under load, up
        to ``pacing.CEILING``); ``line_cache`` and ``plan_cache``: rendered log lines and
        floor-plan rows shared with other sessions."""
        self._link = TerminalLink(channel, size)
        tick = FLUSH_INTERVAL if tick_ms is None else max(1, tick_ms) / 1000
        self._app: GameApp | None = GameApp(
            port,
            terminal_link=self._link,
            color_system=color_system_for(term, colorterm),
            flush_interval=tick,
            max_flush_interval=max(tick, CEILING),
            line_cache=line_cache,
            plan_cache=plan_cache,
        )
        self._reason: str | None = None
        self._task: asyncio.Task[None] | None = None
        self._cancel_timer: asyncio.TimerHandle | None = None
        self._context = contextvars.copy_context()

    @property
    def app(self) -> GameApp | None:
        """The running app (None before construction fails or after run() returns)."""
        return self._app

    @property
    def link(self) -> TerminalLink:
        return self._link

    # -- FrontEnd -------------------------------------------------------------------------

    def deliver(self, replies: Sequence[Reply]) -> None:
        if self._app is not None and replies:
            self._app.take_output(tuple(replies))

    def set_room(self, view: RoomView) -> None:
        if self._app is not None:
            self._app.take_room(view)

    def set_status(self, status: StatusView) -> None:
        if self._app is not None:
            self._app.take_status(status)

    def close(self, reason: str) -> None:
        """End the session: the app exits, the terminal is restored, ``reason`` is shown
        on the player's normal screen, then the channel is closed. Idempotent."""
        if self._reason is None:
            self._reason = reason
        if self._app is None:
            return
        self._app.exit()
        if self._task is not None and self._cancel_timer is None:
            loop = asyncio.get_running_loop()
            self._cancel_timer = loop.call_later(
                HARD_CANCEL_AFTER, self._hard_cancel, context=self._context
            )

    # -- SSH side -------------------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        """Raw bytes typed by the player (kept until the app is ready for them)."""
        self._link.feed(data)

    def resize(self, cols: int, rows: int) -> None:
        self._link.resize(cols, rows)

    async def run(self) -> None:
        """Run the app until it exits; always restores the terminal and closes the channel."""
        app = self._app
        if app is None:
            raise RuntimeError("TuiSession.run() can only be called once")
        try:
            if self._reason is None:
                self._task = asyncio.ensure_future(app.run_async(size=self._link.size))
                await self._wait_for_app(self._task)
        finally:
            self._finish(app)

    async def _wait_for_app(self, task: asyncio.Task[None]) -> None:
        current = asyncio.current_task()
        try:
            await task
        except asyncio.CancelledError:
            if current is not None and current.cancelling():
                raise  # run() itself was cancelled: clean up (finally) and propagate
            return  # our hard cancel stopped a stuck app: a normal end here
        if current is not None and current.cancelling():
            # Textual swallows the cancellation it was handed and returns normally; the
            # caller still asked for run() to be cancelled, so say so.
            raise asyncio.CancelledError

    def _hard_cancel(self) -> None:
        self._cancel_timer = None
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def _finish(self, app: GameApp) -> None:
        if self._cancel_timer is not None:
            self._cancel_timer.cancel()
            self._cancel_timer = None
        if self._task is not None and not self._task.done():
            self._task.cancel()  # run() was cancelled: take the app down with it
        driver = self._link.driver
        if driver is not None:
            driver.close()
        self._link.detach()
        self._link.leave_application_mode()
        reason = self._reason
        if reason is None and app.return_code:
            reason = CRASH_NOTICE
        if reason:
            self._link.send(reason + "\r\n")
        self._link.close()
        self._app = None
        self._task = None


class TuiFactory:
    """Makes one server's TUI sessions, which share its tick and its rendered-line caches.

    The caches (log lines, floor-plan rows) are the deliberately shared objects between
    sessions (game/fronts/tui/linecache.py says why that is safe); keeping them here, not in module
    globals, lets tests and several servers in one process each have their own.
    """

    def __init__(self, *, tick_ms: int | None = None, line_cache: LineCache | None = None):
        self.tick_ms = tick_ms
        self.line_cache = LineCache() if line_cache is None else line_cache
        self.plan_cache = PlanCache(PLAN_CACHE_SIZE)

    def session(
        self,
        port: PlayerPort,
        channel: Channel,
        *,
        size: tuple[int, int] = (80, 24),
        term: str | None = "xterm-256color",
        colorterm: str | None = None,
    ) -> TuiSession:
        return TuiSession(
            port,
            channel,
            size=size,
            term=term,
            colorterm=colorterm,
            tick_ms=self.tick_ms,
            line_cache=self.line_cache,
            plan_cache=self.plan_cache,
        )


if TYPE_CHECKING:

    def _is_a_front_end(session: TuiSession) -> FrontEnd:
        return session  # mypy checks TuiSession against the FrontEnd protocol here
