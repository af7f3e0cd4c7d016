"""GameApp: one player's full-screen UI, one of many in the server's event loop.

Output is coalesced: :class:`GameApp.Output` and friends only queue, and a flush applies
everything queued (log lines, room, status) in one go, at most once per tick. Textual then
repaints once for the lot, so a burst of chat costs one frame, not one per line
(research/render_cost.md: ~0.5 ms per batched line). When the session has been quiet for a
tick the flush happens on the next loop turn, so a lone reply is not delayed. The tick is
``tick`` (the server's ``tick_ms``) while the loop keeps up and grows to ``max_tick`` while
it falls behind (:mod:`game.fronts.tui.pacing`): more lines per frame, fewer frames.

Other sessions reach this app only through ``post_message`` (see ``runner.TuiSession``):
Textual resolves ``widget.app`` from a context variable, so calling another app's widgets
directly would act on the caller's app (research Q1).
"""

from __future__ import annotations

import asyncio
import contextvars
import io
import logging
from collections.abc import Callable
from typing import ClassVar

from rich.console import Console
from rich.text import Text
from textual import events
from textual.actions import SkipAction
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.widgets import Static

from game.commands.admin_ops import OPEN_ADMIN
from game.core.port import PlayerPort
from game.core.reply import Kind, Reply, RoomView, StatusView
from game.core.text import clean
from game.engine.session import Session
from game.fronts.steps import Steps
from game.fronts.tui.chatlog import ChatLog
from game.fronts.tui.driver import SSHDriver
from game.fronts.tui.growth import GrowthPanel
from game.fronts.tui.linecache import LineCache
from game.fronts.tui.output import QUIT_HINT, LogLine, reply_lines, system_line
from game.fronts.tui.pacing import Pacer
from game.fronts.tui.plan import FloorPlan, PlanCache
from game.fronts.tui.prompt import CommandInput
from game.fronts.tui.streams import install_shared_streams
from game.fronts.tui.terminal import MIN_COLS, MIN_ROWS, ColorSystem, TerminalLink
from game.fronts.tui.textual_private import (
    lighten_strips,
    patch_colour_rendering,
    priority_keys,
    share_print_capture,
    share_stylesheet_parsing,
)
from game.fronts.tui.widgets import Banner, GameScreen, RoomPanel, StatusLine
from reflection.sheet import GrowthSheet

log = logging.getLogger(__name__)

NARROW_COLS = 80
"""Below this width the room panel is hidden (game.tcss), so the log stays readable."""
FLUSH_INTERVAL = 0.03
"""Seconds: the default tick, the shortest gap between two flushes (one repaint each)."""


class _Discard(io.StringIO):
    """The console's file: Textual renders through the console but never prints to it."""

    def write(self, text: str) -> int:
        return len(text)


def session_console(color_system: ColorSystem) -> Console:
    """A console like Textual's own, but with this session's colour depth.

    Textual builds ``app.console`` from ``TEXTUAL_COLOR_SYSTEM`` and the *server's*
    environment (so a server started under TERM=xterm sends 16 colours to everyone); the
    empty environment here keeps NO_COLOR, COLUMNS and friends of the server out of it too.
    """
    return Console(
        color_system=color_system,
        file=_Discard(),
        markup=True,
        highlight=False,
        emoji=False,
        legacy_windows=False,
        force_terminal=True,
        safe_box=False,
        soft_wrap=False,
        _environ={},
    )


CONSOLE_ELSEWHERE = (
    "The admin console opens only on a session in the world's own process (its admin SSH "
    "port); the @ commands work here."
)


class GameApp(App[None]):
    """Header, docked room panel, output log, command input and status line."""

    CSS_PATH = "game.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        # Only the engine's `quit` ends a session; these keys would otherwise exit the app.
        Binding("ctrl+c", "quit_hint", show=False, priority=True),
        Binding("ctrl+q", "quit_hint", show=False, priority=True),
        Binding("pageup", "page(-1)", show=False, priority=True),
        Binding("pagedown", "page(1)", show=False, priority=True),
        Binding("end", "log_end", show=False, priority=True),  # only while scrolled back
        Binding("f2", "growth", show=False),  # Cal's growth panel (the `growth` command)
        Binding("f9", "admin_console", show=False),  # admin console; the engine checks the role
        # Visual form: arrows walk while the command line is empty (else they edit/recall).
        Binding("up", "walk('north')", show=False, priority=True),
        Binding("down", "walk('south')", show=False, priority=True),
        Binding("left", "walk('west')", show=False, priority=True),
        Binding("right", "walk('east')", show=False, priority=True),
    ]

    class Output(Message):
        """Replies for the log (ROOM replies also refresh the room panel)."""

        def __init__(self, replies: tuple[Reply, ...]) -> None:
            super().__init__()
            self.replies = replies

    class RoomChanged(Message):
        def __init__(self, view: RoomView) -> None:
            super().__init__()
            self.view = view

    class StatusChanged(Message):
        def __init__(self, status: StatusView) -> None:
            super().__init__()
            self.status = status

    def __init__(
        self,
        port: PlayerPort,
        *,
        terminal_link: TerminalLink | None = None,
        color_system: ColorSystem = "truecolor",
        flush_interval: float = FLUSH_INTERVAL,
        max_flush_interval: float | None = None,
        max_lines: int = 1000,
        line_cache: LineCache | None = None,
        plan_cache: PlanCache | None = None,
    ) -> None:
        """``flush_interval`` is the tick; it adapts up to ``max_flush_interval`` (None: a
        fixed tick) under load. ``line_cache`` (log lines) and ``plan_cache`` (floor-plan
        rows) are shared by the server's sessions."""
        super().__init__(driver_class=SSHDriver if terminal_link is not None else None)
        self.port = port
        self.terminal_link = terminal_link
        ceiling = flush_interval if max_flush_interval is None else max_flush_interval
        self.pacer = Pacer(flush_interval, ceiling)
        self.max_lines = max_lines
        self.line_cache = line_cache
        self.plan_cache = plan_cache
        patch_colour_rendering()  # or the first session to draw a style sets its colours
        share_stylesheet_parsing()
        lighten_strips()
        self.console = session_console(color_system)
        # Every app shares one stdout/stderr proxy so Textual's redirects are no-ops.
        out, err = install_shared_streams()
        share_print_capture(self, out, err)
        # The engine runs in the context we were created in, not in this app's: tasks it
        # spawns must not inherit (and pin) this app as Textual's active app.
        self._engine_context = contextvars.copy_context()
        # One command per loop turn: what a command defers (a reward after its room) is
        # shown before the next command of a paste runs (game/fronts/steps.py).
        self._steps = Steps()
        self._pending_replies: list[tuple[Reply, ...]] = []  # delivered, not yet looked at
        self._pending_lines: list[list[LogLine]] = []  # one chunk per delivery
        self._pending_room: RoomView | None = None
        self._pending_status: StatusView | None = None
        self._flush_handle: asyncio.TimerHandle | None = None
        self._flush_due = 0.0  # loop time the pending flush was scheduled for
        self._last_flush = float("-inf")
        # The app's own context once mounted (Textual's active app is set in it): output
        # from the game is taken without a message and flushed by a plain timer callback
        # run in it, two Textual message dispatches less per frame (take_output).
        self._app_context: contextvars.Context | None = None
        self._priority_keys: frozenset[str] = frozenset()

    def get_default_screen(self) -> GameScreen:
        return GameScreen(id="_default")

    def compose(self) -> ComposeResult:
        self.chat_log = ChatLog(max_lines=self.max_lines, cache=self.line_cache, id="log")
        # The floor plan is shown in the visual form only, and mounted the first time it
        # is (_absorb): a mounted widget is ~80 KB, a tenth of an idle session.
        self.plan = FloorPlan(self.port.name, cache=self.plan_cache, id="plan")
        self.room_panel = RoomPanel(id="room")
        self.command = CommandInput(self.port.completions, id="command")
        self.status_line = StatusLine(id="status")
        self.too_small = Static(id="too-small")
        yield self.room_panel  # first: the header and status line dock over its margins
        yield Banner(Text(f"sshrealm — {clean(self.port.name)}"), id="header")
        yield self.status_line
        yield self.chat_log
        yield self.command
        yield self.too_small

    def on_mount(self) -> None:
        # Output posted before this (the greeting, the first room) is still in Textual's
        # queue: go direct only once it has been handled, so nothing overtakes it.
        self.call_later(self._take_directly)
        self.room_panel.view = self.port.current_room()
        self.status_line.text = self.port.current_status().text()
        self.command.focus()
        self._fit(self.size)

    def on_ready(self) -> None:
        if self.terminal_link is not None:
            self.terminal_link.mark_ready()

    def on_unmount(self) -> None:
        self._steps.cancel()
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None

    # -- output, coalesced ----------------------------------------------------------------

    def _take_directly(self) -> None:
        self._app_context = contextvars.copy_context()
        self._priority_keys = priority_keys(self, self.screen)

    def take_key(self, event: events.Key) -> bool:
        """A key from the terminal (SSHDriver): given to the prompt at once when it is the
        prompt's, else False and it goes through Textual's queues.

        Through the queues a key is four message dispatches and as many task wake-ups,
        most of its cost: with a hundred players typing, more CPU than their output. The
        shortcut is taken only when it cannot change what happens: the prompt has the focus
        on the main screen, no priority binding (Page Up, the visual form's arrows, Ctrl+C)
        wants the key, and nothing waits in the app's, the screen's or the prompt's queue, so
        the key cannot overtake an earlier one.
        """
        context = self._app_context
        if context is None or event.key in self._priority_keys:
            return False
        command = self.command
        screen = self.screen
        if screen.focused is not command or any(
            pump.message_queue_size for pump in (self, screen, command)
        ):
            return False
        taken: bool = context.run(command.take_key, event)
        return taken

    def take_output(self, replies: tuple[Reply, ...]) -> None:
        """The game's lines for this player (TuiSession.deliver): queued for the next frame."""
        if self._app_context is None:  # not mounted yet: through Textual's queue
            self.post_message(self.Output(replies))
            return
        self._queue(replies)

    def _queue(self, replies: tuple[Reply, ...]) -> None:
        # A room view counts from when it arrived: a set_room after it must win.
        for reply in replies:
            if reply.kind is Kind.ROOM and isinstance(reply.data, RoomView):
                self._pending_room = reply.data
        self._pending_replies.append(replies)
        self._schedule_flush()

    def take_room(self, view: RoomView) -> None:
        if self._app_context is None:
            self.post_message(self.RoomChanged(view))
            return
        self._pending_room = view
        self._schedule_flush()

    def take_status(self, status: StatusView) -> None:
        if self._app_context is None:
            self.post_message(self.StatusChanged(status))
            return
        self._pending_status = status
        self._schedule_flush()

    def on_game_app_output(self, message: Output) -> None:
        self._queue(message.replies)

    def _absorb(self, replies: tuple[Reply, ...]) -> None:
        """Turn delivered replies into log lines; open what they open (plan, panels)."""
        lines: list[LogLine] = []
        for reply in replies:
            if reply.kind is Kind.PLAN:
                self.plan.offer(reply.data)
                if reply.data is not None and self.plan.parent is None:
                    self.mount(self.plan, before=self.chat_log)  # above the log
                continue
            lines.extend(reply_lines(reply))
            if isinstance(reply.data, GrowthSheet):
                self.push_screen(GrowthPanel(reply.data))
            if reply.data == OPEN_ADMIN and isinstance(self.port, Session):
                from game.fronts.tui.admin import AdminScreen

                self.push_screen(AdminScreen(self.port))
            elif reply.data == OPEN_ADMIN:  # a gateway's session: the game is elsewhere
                lines.extend(reply_lines(Reply.info(CONSOLE_ELSEWHERE)))
        if lines:
            self._pending_lines.append(lines)
            note = getattr(self.screen, "note_output", None)  # the admin console, if open
            if note is not None:
                note(replies)

    def on_game_app_room_changed(self, message: RoomChanged) -> None:
        self._pending_room = message.view
        self._schedule_flush()

    def on_game_app_status_changed(self, message: StatusChanged) -> None:
        self._pending_status = message.status
        self._schedule_flush()

    @property
    def flush_interval(self) -> float:
        """Seconds: the current tick (see :mod:`game.fronts.tui.pacing`)."""
        return self.pacer.interval

    def _schedule_flush(self) -> None:
        if self._flush_handle is not None:
            return
        loop = asyncio.get_running_loop()
        now = loop.time()
        delay = max(0.0, self._last_flush + self.pacer.interval - now)
        self._flush_due = now + delay
        self._flush_handle = loop.call_later(delay, self._frame, context=self._app_context)

    @property
    def app_context(self) -> contextvars.Context | None:
        """The context the app's frames run in (None before it is mounted)."""
        return self._app_context

    def frame_now(self) -> None:
        """Draw what is queued now, not at the next tick (run it in :attr:`app_context`)."""
        if self._flush_handle is not None:
            self._flush_handle.cancel()
        self._frame()

    def _frame(self) -> None:
        """The coalescing timer fired: apply everything queued, as one frame."""
        try:
            self._apply_pending()
        except Exception:  # a rendering bug must not stop this player's output for good
            log.exception("flush failed for %s", self.port.name)
            if self._pending_replies or self._pending_lines:
                self._schedule_flush()

    def _apply_pending(self) -> None:
        self._flush_handle = None
        if not self.is_running:
            return
        while self._pending_replies:
            self._absorb(self._pending_replies.pop(0))
        now = asyncio.get_running_loop().time()
        self._last_flush = now
        self.pacer.observe(now - self._flush_due)  # how far behind the loop is
        if self._pending_room is not None:
            self.room_panel.view, self._pending_room = self._pending_room, None
        if self._pending_status is not None:
            self.status_line.text = self._pending_status.text()
            self._pending_status = None
        if self._pending_lines:  # before the plan: its appearing relayouts the log
            self.chat_log.write_lines(self._take_screenful())
            if self._pending_lines:
                self._schedule_flush()
        if self.plan.is_mounted:  # else it flushes once mounted (FloorPlan.on_mount)
            self.plan.flush()  # newest plan snapshot and bubbles, changed cells only

    def _take_screenful(self) -> list[LogLine]:
        """The queued chunks that fit on the log together (at least one chunk).

        With a long tick under load a frame can carry many lines; if a ``look`` reply
        (twenty rows in a crowded room) came after a ``say`` in the same frame, the say
        would scroll away without ever being drawn. Chunks that would push earlier ones off
        the screen wait for the next frame instead.
        """
        width, height = self.chat_log.columns, self.chat_log.rows  # 0 before resized
        width = max(1, width)
        rows = taken = 0
        for chunk in self._pending_lines:
            rows += sum(max(1, -(-len(text) // width)) for _, text in chunk)
            if taken and height and rows > height:
                break
            taken += 1
        chunks = self._pending_lines[:taken]
        del self._pending_lines[:taken]
        return [line for chunk in chunks for line in chunk]

    # -- input ----------------------------------------------------------------------------

    def on_command_input_submitted(self, event: CommandInput.Submitted) -> None:
        event.stop()
        line = event.value  # taken at Enter (CommandInput.submit): see there why
        if line.strip():
            self._to_engine(self.port.submit, line)

    def _to_engine(self, call: Callable[[str], None], line: str) -> None:
        self._steps.add(lambda: self._run_engine(call, line))

    def _run_engine(self, call: Callable[[str], None], line: str) -> None:
        try:
            self._engine_context.copy().run(call, line)
        except Exception:
            # An engine bug must not take the player's screen down with it.
            log.exception("command failed for %s: %r", self.port.name, line)
            self._pending_lines.append([("error", "Something went wrong; that did not work.")])
            self._schedule_flush()

    def action_quit_hint(self) -> None:
        self._pending_lines.append([system_line(QUIT_HINT)])
        self._schedule_flush()

    def action_walk(self, direction: str) -> None:
        if not self.plan.shown or self.command.value or self.screen.has_class("-too-small"):
            raise SkipAction()
        self._to_engine(self.port.submit, f"walk {direction}")

    def action_page(self, direction: int) -> None:
        self.chat_log.page(direction)

    def action_log_end(self) -> None:
        """End jumps the log back to the newest line while scrolled back; otherwise it is
        the prompt's own End (cursor to the end of the line)."""
        if self.chat_log.following:
            raise SkipAction()
        self.chat_log.scroll_end_and_follow()

    def action_growth(self) -> None:
        self._to_engine(self.port.submit, "growth")

    def action_admin_console(self) -> None:
        self._to_engine(self.port.submit, "admin")

    # -- size -----------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size)

    def _fit(self, size: Size) -> None:
        """Below MIN_COLS x MIN_ROWS show only a notice; the .tcss hides the rest."""
        small = size.width < MIN_COLS or size.height < MIN_ROWS
        if small:
            notice = (
                f"Terminal too small: need at least {MIN_COLS}x{MIN_ROWS}, "
                f"you have {size.width}x{size.height}"
            )
            self.too_small.update(Text(notice))
        self.screen.set_class(size.width < NARROW_COLS, "-narrow")
        was_small = self.screen.has_class("-too-small")
        self.screen.set_class(small, "-too-small")
        if was_small and not small:
            self.command.focus()
