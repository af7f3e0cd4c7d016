"""One SSH session channel, routed to the TUI, line mode or a single exec command.

Routing: an exec request runs one command in line mode and exits (0 ok, 1 error, the
message on stderr). A shell with a PTY and a capable TERM gets the Textual UI, unless the
login name ends in ``+plain`` or the account chose screen-reader mode. Everything else
(``ssh -T``, pipes, MUD clients, ``TERM=dumb``) gets line mode.

What one channel may cost is bounded: the terminal size is clamped to ``max_term_cols`` x
``max_term_rows`` (the player is told once), resizes are coalesced so only the last one in
``resize_window_ms`` reaches the TUI (the window doubles, up to 16 times, while a client
keeps resizing without a pause: a relayout of a big screen is the costliest thing a
client can ask for), and output waiting for a client that does not read is
capped at ``max_output_kb``: past it the connection is dropped with a reason.

A channel knows the SSH front only as :class:`ChannelHost`, the few things it uses: the
game, the settings, the shared TUI factory, the task set and the timer. The login (auth.py),
which opens channels, extends that protocol with its own needs, and the front (server.py)
fits both; this module imports neither.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

import asyncssh
import structlog
from structlog.contextvars import bind_contextvars

from game.core.reply import Reply
from game.fronts.line import LineFrontEnd, render
from game.fronts.names import Login
from game.fronts.realm import Realm, Seat, wire_line

if TYPE_CHECKING:
    from game.core.config import Settings
    from game.fronts.tui.runner import TuiFactory, TuiSession

log = structlog.get_logger("sshrealm.ssh")
PLAIN_TERMS = frozenset({"", "dumb", "unknown", "bot"})
RESIZE_QUIET_MS = 2000  # no relayout for this long: the resize window is short again
RESIZE_MAX_DOUBLINGS = 4  # the window grows to at most 16 times resize_window_ms


class ChannelHost(Protocol):
    """What a channel needs of the SSH front that accepted its connection
    (:class:`game.fronts.ssh.server.SshFront` fits)."""

    tui_factory: TuiFactory | None
    """Made by the first TUI session; the sessions after it share its caches."""

    @property
    def realm(self) -> Realm:
        """The world: in this process, or across the bus on a gateway."""

    @property
    def settings(self) -> Settings: ...

    @property
    def tasks(self) -> set[asyncio.Task[None]]:
        """Running TUI apps, cancelled when the front stops."""

    @property
    def output_limit(self) -> int:
        """Bytes of output a client may leave unread before it is dropped."""

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> asyncio.TimerHandle: ...


class GameChannel(asyncssh.SSHServerSession[bytes]):
    def __init__(
        self,
        front: ChannelHost,
        login: Login,
        address: str,
        on_closed: Callable[[], None] | None = None,
    ) -> None:
        self.front = front
        self.login = login
        self.address = address
        self.on_closed = on_closed
        self.chan: asyncssh.SSHServerChannel[bytes] | None = None
        self.term: str | None = None
        self.size = (80, 24)
        self.command: str | None = None
        self.session: Seat | None = None
        self.line: LineFrontEnd | None = None
        self.tui: TuiSession | None = None
        self.pending: list[bytes] = []
        self._eof_early = False  # EOF came before the session started
        self.clamp_notice: str | None = None  # told once: the terminal is bigger than we draw
        self._clamp_told = False
        self._resize_timer: asyncio.TimerHandle | None = None
        self._resize_streak = 0  # relayouts in a row without a quiet pause
        self._last_resize_ms = 0
        self._overflowed = False

    # -- requests --------------------------------------------------------------------------------
    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self.chan = chan

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: object
    ) -> bool:
        self.term = term_type or ""
        if term_size[0] > 0 and term_size[1] > 0:
            self.size = self._clamp(term_size[0], term_size[1])
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        self.command = command
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        return False

    # -- start -----------------------------------------------------------------------------------
    def session_started(self) -> None:
        try:
            if self.command is not None:
                self._run_exec(self.command)
            elif self._wants_tui():
                self._start_tui()
            else:
                self._start_line()
        except Exception:
            log.exception("session_start_failed", player=self.login.name)
            self._write(b"Sorry, the server could not start your session.\r\n")
            self._end(1)

    def _wants_tui(self) -> bool:
        if self.term is None or self.term.lower() in PLAIN_TERMS or self.login.plain:
            return False
        return not self.front.realm.screenreader(self.login.name)

    def _run_exec(self, command: str) -> None:
        task = asyncio.get_running_loop().create_task(self._exec(command))
        self.front.tasks.add(task)
        task.add_done_callback(self.front.tasks.discard)

    async def _exec(self, command: str) -> None:
        try:
            replies, ok = await self.front.realm.run_exec(self.login.name, command, self.address)
        except Exception:
            log.exception("exec_failed", player=self.login.name)
            replies, ok = [Reply.error("Sorry, the server could not run that command.")], False
        text = render(replies).encode()
        if ok:
            self._write(text)
        elif self.chan is not None:
            self.chan.write_stderr(text)
        self._end(0 if ok else 1)

    def _start_line(self) -> None:
        echo = self.term is not None  # a PTY we did not give a TUI is a raw dumb terminal
        chan = self.chan
        line = LineFrontEnd(
            self._write,
            lambda: self._end(0),
            echo=echo,
            pause=chan.pause_reading if chan is not None else lambda: None,
            resume=chan.resume_reading if chan is not None else lambda: None,
        )
        self.line = line
        self.session = self.front.realm.open(
            self.login.name, lambda session: line, kind="line", address=self.address
        )
        wire_line(self.session, line)
        self._tell_clamp()
        for data in self.pending:
            line.feed(data)
        self.pending.clear()
        if self._eof_early:
            line.finish()

    def _start_tui(self) -> None:
        from game.fronts.tui.runner import TuiFactory

        assert self.chan is not None
        if self.front.tui_factory is None:  # one per server: the sessions share its caches
            self.front.tui_factory = TuiFactory(tick_ms=self.front.settings.tick_ms)
        factory = self.front.tui_factory
        writer = _ChannelWriter(self.chan, self.front.output_limit, self._overflow)

        def build(session: Seat) -> TuiSession:
            self.tui = factory.session(session, writer, size=self.size, term=self.term or "xterm")
            return self.tui

        # What the login says (takeover notice, rewards) reaches the TUI after the greeting.
        self.session = self.front.realm.open(
            self.login.name, build, kind="tui", address=self.address
        )
        tui = self.tui
        assert tui is not None
        for data in self.pending:
            tui.feed(data)
        self.pending.clear()
        self._tell_clamp()
        task = asyncio.get_running_loop().create_task(self._run_tui(tui))
        self.front.tasks.add(task)
        task.add_done_callback(self.front.tasks.discard)

    async def _run_tui(self, tui: TuiSession) -> None:
        if self.session is not None:  # this task's own context: its logs carry the ids
            bind_contextvars(player=self.session.name, session=self.session.id)
        try:
            await tui.run()
        except Exception:
            log.exception("tui_failed", player=self.login.name)
        finally:
            self._end(0)

    # -- traffic ---------------------------------------------------------------------------------
    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        if self.tui is not None:
            self.tui.feed(data)
        elif self.line is not None:
            self.line.feed(data)
        else:
            self.pending.append(data)

    def eof_received(self) -> bool:
        """Line mode finishes the lines already sent (and their output) before it says
        goodbye, so the channel stays half open until then; the TUI ends at once."""
        if self.command is not None:
            return True  # the exec command is running (maybe in another process): it ends it
        if self.line is not None and not self.line.closed:
            self.line.finish()
            return True
        if self.session is not None and not self.session.closed:
            self.session.close("Goodbye.")
        elif self.session is None and self.command is None:
            self._eof_early = True  # the lines before it still run, once line mode starts
            return True
        return False

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        """Coalesced: a burst of resizes costs one relayout, at the size the burst ended on."""
        if width <= 0 or height <= 0:
            return  # not a size: keep the one we have
        self.size = self._clamp(width, height)
        if self.session is not None:
            self._tell_clamp()
        if self.tui is not None and self._resize_timer is None:
            now = self.front.realm.clock()
            if now - self._last_resize_ms > RESIZE_QUIET_MS:
                self._resize_streak = 0  # a calm client: back to the short window
            window = max(0, self.front.settings.resize_window_ms) * 2**self._resize_streak
            self._resize_streak = min(self._resize_streak + 1, RESIZE_MAX_DOUBLINGS)
            self._resize_timer = self.front.call_later(window / 1000, self._apply_resize)

    def _apply_resize(self) -> None:
        self._resize_timer = None
        self._last_resize_ms = self.front.realm.clock()
        if self.tui is not None:
            self.tui.resize(*self.size)

    def _clamp(self, cols: int, rows: int) -> tuple[int, int]:
        settings = self.front.settings
        most = (max(1, settings.max_term_cols), max(1, settings.max_term_rows))
        size = (min(cols, most[0]), min(rows, most[1]))
        if size != (cols, rows) and self.clamp_notice is None:
            self.clamp_notice = (
                f"Your terminal is {cols}x{rows}; sshrealm draws at most {most[0]}x{most[1]} "
                "of it, in the top left corner."
            )
        return size

    def _tell_clamp(self) -> None:
        if self.clamp_notice is not None and not self._clamp_told and self.session is not None:
            self._clamp_told = True
            self.session.send([Reply.info(self.clamp_notice)])

    def connection_lost(self, exc: Exception | None) -> None:
        if self.line is not None:
            self.line.steps.cancel()
        if self._resize_timer is not None:
            self._resize_timer.cancel()
            self._resize_timer = None
        if self.session is not None:
            self.front.realm.gone(self.session)
        if self.tui is not None:
            self.tui.close("Connection closed.")
        self.chan = None
        if self.on_closed is not None:
            self.on_closed()
            self.on_closed = None

    # -- helpers ---------------------------------------------------------------------------------
    def _write(self, data: bytes) -> None:
        chan = self.chan
        if chan is None or chan.is_closing() or self._overflowed:
            return
        if chan.get_write_buffer_size() > self.front.output_limit:
            self._overflow()
            return
        chan.write(data)

    def _overflow(self) -> None:
        """The client has stopped reading and its output passed the cap: drop the connection
        (the reason travels as an SSH disconnect message, which no channel window holds)."""
        if self._overflowed or self.chan is None:
            return
        self._overflowed = True
        kb = self.front.output_limit // 1024
        log.warning("output_overflow", player=self.login.name, limit_kb=kb)
        why = f"Disconnected: your client stopped reading the game's output ({kb} KB waiting)."
        conn = self.chan.get_connection()
        asyncio.get_running_loop().call_soon(conn.disconnect, asyncssh.DISC_CONNECTION_LOST, why)

    def _end(self, status: int) -> None:
        if self.session is not None:
            self.front.realm.gone(self.session)
        if self.chan is not None and not self.chan.is_closing():
            self.chan.exit(status)


class _ChannelWriter:
    """The calls the TUI driver needs from a channel, and nothing else of asyncssh.

    The driver drops frames once the queue passes its high-water mark; anything that still
    pushes the queue past ``limit`` bytes calls ``overflow`` instead of queueing more.
    """

    def __init__(
        self, chan: asyncssh.SSHServerChannel[bytes], limit: int, overflow: Callable[[], None]
    ) -> None:
        self._chan = chan
        self._limit = limit
        self._overflow = overflow

    def write(self, data: bytes) -> None:
        if self._chan.is_closing():
            return
        if self._chan.get_write_buffer_size() > self._limit:
            self._overflow()
            return
        self._chan.write(data)

    def close(self) -> None:
        if not self._chan.is_closing():
            self._chan.exit(0)

    def get_write_buffer_size(self) -> int:
        return int(self._chan.get_write_buffer_size())
