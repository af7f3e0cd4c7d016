"""A Textual driver bound to one SSH channel, for many apps in one event loop.

Textual's own drivers assume they own the process: ``LinuxDriver`` installs signal handlers,
reads ``sys.__stdin__`` and starts a writer and an input thread. This one has no signals, no
threads and no file descriptors: output is buffered per frame and written to the channel in
one piece, input arrives as bytes from asyncssh callbacks on the same loop
(research/textual_ssh.md, Q1 and the driver sketch).
"""

from __future__ import annotations

import asyncio
import codecs
from collections.abc import Callable
from typing import Any

from textual import constants, events
from textual.app import App
from textual.geometry import Size
from textual.message import Message

from game.fronts.tui.terminal import TerminalLink
from game.fronts.tui.textual_private import ChannelDriverBase, KeyParser

HIGH_WATER = 256 * 1024
"""Unsent bytes queued in the channel above which frames are dropped (a slow client)."""
LOW_WATER = 32 * 1024
"""Frames resume, with one full repaint, once the queue has drained below this."""
DRAIN_CHECK = 0.25
"""Seconds between checks of a congested channel."""


class SSHDriver(ChannelDriverBase):
    """Writes frames to, and parses keys from, the channel of the app's :class:`TerminalLink`.

    Back-pressure: when the channel reports more than :data:`HIGH_WATER` unsent bytes
    (``get_write_buffer_size()``, as asyncssh channels have), whole frames are dropped instead
    of queued without bound. Textual only sends what changed, so once the queue drains below
    :data:`LOW_WATER` the driver asks the app for one full repaint.
    """

    def __init__(
        self,
        app: App[Any],
        *,
        debug: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
    ) -> None:
        link = getattr(app, "terminal_link", None)
        if not isinstance(link, TerminalLink):
            raise TypeError("SSHDriver needs an app with a TerminalLink in .terminal_link")
        super().__init__(app, debug=debug, mouse=mouse, size=size or link.size)
        self._link = link
        # The app's fast path for keys (GameApp.take_key): True when it took the key.
        self._take_key: Callable[[events.Key], bool] | None = getattr(app, "take_key", None)
        self._buffer: list[str] = []
        self._flush_scheduled = False
        # Never pass debug on: XTermParser(debug=True) appends every key to ./keys.log.
        self._parser = KeyParser()
        self._decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        self._input_enabled = False
        self._escape_timer: asyncio.TimerHandle | None = None
        self._drain_timer: asyncio.TimerHandle | None = None
        self._stale = False
        self._closed = False
        self.bytes_sent = 0
        self.frames_dropped = 0
        link.driver = self

    # -- output ---------------------------------------------------------------------------

    def write(self, data: str) -> None:
        if self._closed:
            return
        self._buffer.append(data)
        if not self._flush_scheduled:
            # Textual flushes after each frame; this catches the odd write it doesn't flush
            # (bell, pointer shape) without a writer thread.
            self._flush_scheduled = True
            self.event_loop.call_soon(self.flush)

    def flush(self) -> None:
        self._flush_scheduled = False
        if not self._buffer:
            return
        data = "".join(self._buffer)
        self._buffer.clear()
        if self._congested():
            self._drop_frame()
            return
        if self._link.send(data):
            self.bytes_sent += len(data)

    def _queued(self) -> int:
        size = getattr(self._link.channel, "get_write_buffer_size", None)
        return int(size()) if callable(size) else 0

    def _congested(self) -> bool:
        if self._stale:
            return True  # keep dropping until the drain check repaints everything
        return self._queued() > HIGH_WATER

    def _drop_frame(self) -> None:
        self.frames_dropped += 1
        if not self._stale:
            self._stale = True
            self._drain_timer = self.event_loop.call_later(DRAIN_CHECK, self._check_drained)

    def _check_drained(self) -> None:
        self._drain_timer = None
        if self._closed:
            return
        if self._queued() > LOW_WATER:
            self._drain_timer = self.event_loop.call_later(DRAIN_CHECK, self._check_drained)
            return
        self._stale = False
        # The terminal missed frames: repaint the whole screen, from the app's own loop.
        self.target_app.call_later(self.target_app.refresh)

    # -- application mode -----------------------------------------------------------------

    def start_application_mode(self) -> None:
        self._link.enter_application_mode(self.mouse_enabled)
        self._input_enabled = True

    def stop_application_mode(self) -> None:
        self._buffer.clear()  # a last frame for a screen about to vanish is wasted bytes
        self.disable_input()
        self._link.leave_application_mode()

    def disable_input(self) -> None:
        self._input_enabled = False
        if self._escape_timer is not None:
            self._escape_timer.cancel()
            self._escape_timer = None

    def close(self) -> None:
        """Drop everything that could keep the app alive after the session ends."""
        if self._closed:
            return
        self._closed = True
        self.disable_input()
        if self._drain_timer is not None:
            self._drain_timer.cancel()
            self._drain_timer = None
        self._buffer.clear()
        # The parser's generator frame holds the last Key event, whose sender is the App.
        self._parser.close()
        if self._link.driver is self:
            self._link.detach()

    # -- input ----------------------------------------------------------------------------

    def send_message(self, message: Message) -> None:
        # The base class uses run_coroutine_threadsafe; we are already on the loop's thread.
        take = self._take_key
        if take is not None and isinstance(message, events.Key) and take(message):
            return
        self.target_app.post_message(message)

    def feed(self, data: bytes) -> None:
        """Parse raw bytes from the channel into Textual events."""
        if not self._input_enabled:
            return
        for message in self._parser.feed(self._decode(data)):
            self.process_message(message)
        self._arm_escape_timer()

    def _arm_escape_timer(self) -> None:
        # A lone ESC is only a key once ESCDELAY passes with nothing after it; LinuxDriver
        # polls for that from its input thread, we ask the loop to call back once.
        if self._parser.escape_pending and self._escape_timer is None:
            delay = constants.ESCAPE_DELAY + 0.005
            self._escape_timer = self.event_loop.call_later(delay, self._tick)

    def _tick(self) -> None:
        self._escape_timer = None
        if not self._input_enabled:
            return
        for message in self._parser.tick():
            self.process_message(message)
        self._arm_escape_timer()

    def resize(self, cols: int, rows: int) -> None:
        """The client's window changed (asyncssh ``terminal_size_changed``)."""
        self.set_size(cols, rows)
        size = Size(cols, rows)
        self.target_app.post_message(events.Resize(size, size))
