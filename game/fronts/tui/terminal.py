"""The player's end of one SSH channel, as the TUI sees it.

Textual builds its driver itself (``driver_class(app, debug=..., mouse=..., size=...)``), so
the driver cannot be handed the channel directly. :class:`TerminalLink` is created by the
session first, given to the app, and picked up by the driver when Textual builds it. It also
owns what must outlive or precede the driver: keystrokes that arrive before the app can take
them, the current size, and the "terminal is in application mode" flag that tells the session
whether it still has to restore the player's terminal.

The link sits below the driver (:mod:`game.fronts.tui.driver` imports this module, never the
other way): it knows the driver only as :class:`LinkedDriver`, the three calls it and the
session make on whatever driver attached itself.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Literal, Protocol

ColorSystem = Literal["standard", "256", "truecolor"]

MIN_COLS = 60
MIN_ROWS = 16

# Enter/leave full-screen mode. Mouse: clicks and wheel only (1000 + SGR 1006), no motion
# tracking (1003): every mouse move would otherwise cost a message round in the server.
# ?2026$p asks whether the terminal supports synchronized output; Textual parses the answer.
ENTER_APPLICATION_MODE = "\x1b[?1049h\x1b[?25l\x1b[?2004h\x1b[?7l\x1b[?2026$p"
ENTER_MOUSE = "\x1b[?1000h\x1b[?1006h"
LEAVE_APPLICATION_MODE = "\x1b[0m\x1b[?1000l\x1b[?1006l\x1b[?2004l\x1b[?7h\x1b[?1049l\x1b[?25h"

MAX_PENDING_INPUT = 64 * 1024
"""Bytes of input kept while the app starts; a bigger burst (a paste flood) is dropped."""

_TRUECOLOR_TERMS = (
    *("truecolor", "24bit", "direct", "kitty", "alacritty", "wezterm", "foot"),
    *("ghostty", "iterm", "contour"),
)


class Channel(Protocol):
    """What the TUI needs of an SSH channel (asyncssh's SSHServerChannel fits)."""

    def write(self, data: bytes) -> None: ...

    def close(self) -> None: ...


class LinkedDriver(Protocol):
    """What the link (and the session that owns it) asks of the driver bound to it
    (:class:`game.fronts.tui.driver.SSHDriver` fits; it sets ``link.driver`` itself)."""

    def feed(self, data: bytes) -> None:
        """Raw input from the channel."""

    def resize(self, cols: int, rows: int) -> None:
        """The client's window changed."""

    def close(self) -> None:
        """The session is over: let go of the app."""


def color_system_for(term: str | None, colorterm: str | None = None) -> ColorSystem:
    """Rich colour system for a client's TERM (and COLORTERM, if the client sent it).

    Chosen per session from what the *client* declared, never from the server's environment
    (which Textual would otherwise read once for every app in the process).
    """
    term = (term or "").lower()
    if (colorterm or "").lower() in ("truecolor", "24bit"):
        return "truecolor"
    if any(name in term for name in _TRUECOLOR_TERMS):
        return "truecolor"
    if "256" in term:
        return "256"
    return "standard"


class TerminalLink:
    """One session's channel, size and early input, shared by the session and its driver."""

    def __init__(self, channel: Channel, size: tuple[int, int]) -> None:
        self.channel = channel
        self.size = size
        self.driver: LinkedDriver | None = None
        self.in_application_mode = False
        self.closed = False
        self._ready = False
        self._detached = False
        self._channel_closed = False
        self._pending: list[bytes] = []
        self._pending_size = 0

    @property
    def ready(self) -> bool:
        """True once the app is up and input goes straight to the driver."""
        return self._ready and self.driver is not None

    def send(self, data: str) -> bool:
        """Write to the channel; False (and stop writing) once the channel is gone."""
        if self.closed:
            return False
        try:
            self.channel.write(data.encode("utf-8", "replace"))
        except (OSError, EOFError):
            # asyncssh raises BrokenPipeError on a closing channel: the player is gone.
            self.closed = True
            return False
        return True

    def enter_application_mode(self, mouse: bool) -> None:
        self.send(ENTER_APPLICATION_MODE + (ENTER_MOUSE if mouse else ""))
        self.in_application_mode = True

    def leave_application_mode(self) -> None:
        """Give the player their terminal back; safe to call more than once."""
        if self.in_application_mode:
            self.in_application_mode = False
            self.send(LEAVE_APPLICATION_MODE)

    def feed(self, data: bytes) -> None:
        """Raw input from the channel: to the driver once the app is ready, else kept."""
        if self._detached:
            return
        if self._ready and self.driver is not None:
            self.driver.feed(data)
        elif self._pending_size + len(data) <= MAX_PENDING_INPUT:
            self._pending.append(data)
            self._pending_size += len(data)

    def mark_ready(self) -> None:
        """The app is mounted and focused: hand it everything typed so far."""
        self._ready = True
        pending, self._pending, self._pending_size = self._pending, [], 0
        for data in pending:
            self.feed(data)

    def resize(self, cols: int, rows: int) -> None:
        self.size = (cols, rows)
        if self.driver is not None:
            self.driver.resize(cols, rows)

    def detach(self) -> None:
        """Forget the driver (it is closing): later input is dropped, never buffered."""
        self.driver = None
        self._detached = True
        self._pending.clear()
        self._pending_size = 0

    def close(self) -> None:
        """Close the channel once; nothing is written after this."""
        self.closed = True
        if self._channel_closed:
            return
        self._channel_closed = True
        with suppress(OSError, EOFError):  # already torn down by the SSH layer
            self.channel.close()
