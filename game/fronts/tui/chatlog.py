"""The output log: a Line-API widget that renders each line once, when it arrives.

Stock ``RichLog.write`` costs 16-18 ms of CPU per line on a 100x30 screen, because growing its
virtual size triggers a full-screen relayout, its scroll causes a second repaint, and its
scrollbar repaints too. This widget (the "FastChatLog" of research/render_cost.md) gets a line
on screen for about 2 ms, and about 0.5 ms per line when lines arrive batched:

* a line is wrapped and turned into ``Strip`` objects once, at append; ``render_lines`` hands
  the compositor those same objects, so their crop/style caches hit on every repaint;
* the virtual size is set with ``set_reactive`` (no ``layout=True`` refresh, no reflow);
* there is no scrollbar (``overflow-y: hidden`` in the .tcss); Page Up/Down still scroll.

Appending while following skips the compositor altogether: the log's changed rows (all of
them when it scrolls) go straight to the terminal as cursor moves and the strips' cached
ANSI text (:meth:`ChatLog._paint_end`, game/fronts/tui/direct.py), which is byte for byte
what a compositor pass would write for this region; anything that might cover the log (a
modal, a toast, the admin console) or a pending layout sends the frame through Textual.

The log *follows* (keeps the newest line in view) until the player scrolls back; a size
change (the floor plan appearing above it, a resize) keeps it following. While scrolled
back, the bottom row says how many lines arrived below ("▼ 3 new lines — PageDown/End"),
and scrolling to the end follows again. The marker is one prebuilt strip, swapped in only
while scrolled back: following costs one attribute test per frame.

Restrictions that make the bypass valid: no border or padding on this widget, and it must be
re-rendered (done here) when its width or its component styles change.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.color import Color
from textual.filter import LineFilter
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from game.fronts.tui.direct import paint_spans, scroll_band
from game.fronts.tui.linecache import LineCache, look_key
from game.fronts.tui.output import ROLES, LogLine
from game.fronts.tui.report_table import entry_renderable
from game.fronts.tui.textual_private import RepaintOnScroll, update_scrollbars

ROLE_NAMES = (*ROLES.values(), "room-title", "marker")


def marker_text(unseen: int) -> str:
    lines = "line" if unseen == 1 else "lines"
    return f"▼ {unseen} new {lines} — PageDown/End"


class ChatLog(RepaintOnScroll, ScrollView, can_focus=False):
    """Append-only styled lines with scrollback, capped at ``max_lines`` logical lines."""

    COMPONENT_CLASSES = {f"chatlog--{role}" for role in ROLE_NAMES}

    def __init__(
        self, *, max_lines: int = 1000, cache: LineCache | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.max_lines = max_lines
        self.cache = LineCache() if cache is None else cache  # shared across sessions
        self._entries: deque[LogLine] = deque()
        self._heights: deque[int] = deque()  # rows per entry; 0 while not rendered
        self._first = 0  # entries before this are not rendered (yet) at the current width
        self._strips: list[Strip] = []  # the rows of entries[_first:], in order
        self._width = 0
        self.rows = 0  # the log's height on screen, as of the last resize
        self._role_styles: tuple[Style, dict[str, Style]] | None = None
        self._look: tuple[Hashable, ...] = ()  # what, beside role/text/width, shapes a line
        self._look_filters: tuple[LineFilter, ...] | None = None  # the filters _look is for
        self._styles_dirty = False
        self._background = Color(0, 0, 0)  # behind the log, for line filters (_styles)
        self._blank: Strip | None = None
        self.following = True  # the newest line stays in view
        self.unseen = 0  # lines that arrived below while scrolled back
        self._marker: Strip | None = None  # the "new lines below" row, while scrolled back
        self.direct_frames = 0  # appends written straight to the terminal (_paint_end)

    # -- public ---------------------------------------------------------------------------

    def write_lines(self, lines: Iterable[LogLine]) -> None:
        """Append lines and repaint once, following the end unless the player scrolled back."""
        new = list(lines)
        if not new:
            return
        at_end = self.following
        if not at_end:
            self.unseen += len(new)
            self._marker = None  # rebuilt with the new count at the next paint
        start = len(self._strips)
        for entry in new:
            self._entries.append(entry)
            strips = self._render_entry(entry) if self._width else []
            self._heights.append(len(strips))
            self._strips.extend(strips)
        if not self._width:
            self._first = len(self._entries)
        trimmed = self._trim()
        self._set_virtual_height(scrollbars=False)
        if at_end and self._paint_end(start, trimmed):
            return  # the scroll offset is set: the scroll machinery has nothing to do
        update_scrollbars(self, self.virtual_size)
        if at_end and self.max_scroll_y != self.scroll_y:
            self.scroll_to(y=self.max_scroll_y, animate=False, force=True)  # repaints
        elif at_end and not trimmed:
            self.refresh_lines(start, len(self._strips) - start)
        else:
            if trimmed and not at_end:
                # keep the lines the player is reading where they are
                self.scroll_to(y=max(0, self.scroll_y - trimmed), animate=False, force=True)
            self.refresh()

    def _paint_end(self, first_new: int, trimmed: int) -> bool:
        """Show the end of the log by writing its changed rows straight to the terminal.

        Appending while following changes only this widget's rows, so the compositor would
        repaint this region with these very strips and nothing else. When the log scrolls
        by fewer rows than it has, the terminal scrolls them (``scroll_band``) and only the
        new rows are written, unless writing the rows in place costs less (``paint_spans``,
        game/fronts/tui/direct.py). Either way the scroll offset moves without a repaint.
        False, having changed nothing, when something may cover the log or a layout is
        pending; the caller then repaints through Textual.
        """
        width, height = self.size
        if not width or not height or width != self._width:
            return False  # a resize not yet handled here: let Textual lay it out
        count = len(self._strips)
        top = max(0, count - height)
        shift = top + trimmed - round(self.scroll_y)  # rows the shown lines move up
        fresh = max(0, first_new - trimmed - top)  # the first row showing a new line
        base, _ = self._styles()
        if self._blank is None or self._blank.cell_length != width:
            self._blank = Strip.blank(width, base)
        strips, blank = self._strips, self._blank
        done = False
        if 0 < shift < height:
            rows = [strips[top + y] if top + y < count else blank for y in range(height)]
            done = scroll_band(self, shift, rows, fresh)
        if not done:
            # a scroll shows another line on every row
            lines = range(height) if shift else range(fresh, min(height, count - top))
            spans = [
                (Region(0, y, width, 1), strips[top + y] if top + y < count else blank)
                for y in lines
            ]
            done = paint_spans(self, spans)
        if not done:
            return False
        self.set_reactive(Widget.scroll_target_y, top)
        self.set_reactive(Widget.scroll_y, float(top))
        self.direct_frames += 1
        return True

    @property
    def columns(self) -> int:
        """The log's width on screen, as of the last resize."""
        return self._width

    def page(self, direction: int) -> None:
        """Scroll a page back (-1) or forward (+1) through the history."""
        step = max(1, self.size.height - 1)
        self.scroll_lines(direction * step)

    def scroll_lines(self, count: int) -> None:
        y = self.scroll_y
        if count < 0 and y + count < self.size.height and self._first:
            y += self._render_older(max(-count, self.size.height) * 3)
            self._set_virtual_height()
        target = min(max(0.0, y + count), self.max_scroll_y)
        self.scroll_to(y=target, animate=False, force=True)
        self._follow(target >= self.max_scroll_y)

    def scroll_end_and_follow(self) -> None:
        """Back to the newest line (End), following again."""
        self.scroll_to(y=self.max_scroll_y, animate=False, force=True)
        self._follow(True)

    def _follow(self, following: bool) -> None:
        if following == self.following:
            return
        self.following = following
        self.unseen = 0
        self._marker = None
        self.refresh()

    def plain_lines(self) -> list[str]:
        """The logical lines held, as plain text (what tests and screen readers care about)."""
        return [text for _, text in self._entries]

    # -- rendering ------------------------------------------------------------------------

    def _styles(self) -> tuple[Style, dict[str, Style]]:
        """The widget's base style and each role's own style (from the .tcss), cached."""
        if self._role_styles is None or self._styles_dirty:
            self._styles_dirty = False
            base = self.rich_style
            roles = {
                role: self.get_component_rich_style(f"chatlog--{role}", partial=True)
                for role in ROLE_NAMES
            }
            changed = self._role_styles is not None and self._role_styles != (base, roles)
            self._role_styles = (base, roles)
            self._background = self.background_colors[1]
            self._look_filters = None
            if changed:
                self._reflow()  # the theme changed: same text, new colours
        return self._role_styles

    def _line_key(self, role: str, plain: str) -> Hashable:
        """Everything that decides how a line looks (see game/fronts/tui/linecache.py)."""
        base, roles = self._styles()
        filters = tuple(self.app.get_line_filters())
        if filters != self._look_filters:  # LineFilter has no __eq__: same objects
            self._look = look_key(self, base, filters)
            self._look_filters = filters
        return (role, plain, self._width, roles.get(role), *self._look)

    def _render_entry(self, entry: LogLine) -> tuple[Strip, ...]:
        role, plain = entry
        key = self._line_key(role, plain)
        strips = self.cache.get(key)
        if strips is None:
            strips = self._render_strips(role, plain)
            self.cache.put(key, strips)
        return strips

    def _render_strips(self, role: str, plain: str) -> tuple[Strip, ...]:
        _, roles = self._styles()
        style = roles.get(role, Style())
        if type(plain) is str and plain.isprintable() and cell_len(plain) <= self._width:
            # One line that fits (most lines): what Rich's wrapping makes of it, without
            # the wrapping machinery, a third of an update's CPU otherwise.
            return self._strips_of([[Segment(plain, style)]] if plain else [[]])
        return self._strips_of(self._rich_rows(plain, style))

    def _rich_rows(self, plain: str, style: Style) -> list[list[Segment]]:
        console = self.app.console
        options = console.options.update(width=self._width, height=None, overflow="fold")
        return console.render_lines(
            entry_renderable(plain, style), options, pad=False, new_lines=False
        )

    def _strips_of(self, rows: list[list[Segment]]) -> tuple[Strip, ...]:
        base, _ = self._styles()
        width = self._width
        background = self._background
        filters = self.app.get_line_filters()
        strips = []
        for segments in rows:
            strip = Strip(Segment.apply_style(segments, base))
            strip = strip.extend_cell_length(width, base).crop(0, width).simplify()
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strips.append(strip)
        return tuple(strips)

    def _reflow(self) -> None:
        """Forget every rendered row and render only what a few screens need.

        Re-rendering a full 1000-line history takes over 100 ms, too long to block the
        server's loop on every step of a window drag; older lines are rendered when the
        player scrolls back to them (:meth:`scroll_lines`).
        """
        self._strips = []
        self._heights = deque(0 for _ in self._entries)
        self._first = len(self._entries)
        self._blank = None
        if self._width:
            self._render_older(max(self.size.height, 10) * 3)
        self._set_virtual_height()

    def _render_older(self, rows: int) -> int:
        """Render unrendered entries, newest first, until ``rows`` rows; returns rows added."""
        chunks: list[tuple[Strip, ...]] = []
        added = 0
        while self._first and added < rows:
            self._first -= 1
            strips = self._render_entry(self._entries[self._first])
            self._heights[self._first] = len(strips)
            chunks.append(strips)
            added += len(strips)
        self._strips[0:0] = [strip for chunk in reversed(chunks) for strip in chunk]
        return added

    def _trim(self) -> int:
        """Drop the oldest entries over ``max_lines``; returns how many rendered rows went."""
        rows = 0
        while len(self._entries) > self.max_lines:
            self._entries.popleft()
            if self._first:
                self._first -= 1  # it was never rendered at this width
                self._heights.popleft()
            else:
                rows += self._heights.popleft()
        if rows:
            del self._strips[:rows]
        return rows

    def _set_virtual_height(self, *, scrollbars: bool = True) -> None:
        # set_reactive skips virtual_size's layout=True refresh: no full-screen reflow.
        virtual = Size(self._width, len(self._strips))
        self.set_reactive(ScrollView.virtual_size, virtual)
        if scrollbars:
            update_scrollbars(self, virtual)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Hand back the prebuilt strips (bypasses the per-widget styles cache)."""
        base, _ = self._styles()
        if self._blank is None or self._blank.cell_length != self._width:
            self._blank = Strip.blank(self._width, base)
        top = round(self.scroll_y)
        strips, blank, count = self._strips, self._blank, len(self._strips)
        full = crop.x == 0 and crop.width == self._width
        lines = []
        for y in crop.line_range:
            index = top + y
            strip = strips[index] if 0 <= index < count else blank
            lines.append(strip if full else strip.crop(crop.x, crop.right))
        if not self.following and self.unseen:  # scrolled back: the bottom row says so
            last = self.size.height - 1
            if crop.y <= last < crop.bottom:
                marker = self._marker_strip()
                lines[last - crop.y] = marker if full else marker.crop(crop.x, crop.right)
        return lines

    def _marker_strip(self) -> Strip:
        if self._marker is None or self._marker.cell_length != self._width:
            base, roles = self._styles()
            text = Text(marker_text(self.unseen), style=roles.get("marker", Style()))
            text.truncate(self._width)
            segments = list(text.render(self.app.console))
            strip = Strip(Segment.apply_style(segments, base))
            self._marker = strip.extend_cell_length(self._width, base).crop(0, self._width)
        return self._marker

    def notify_style_update(self) -> None:
        # Theme or CSS changed (or a pseudo-class toggled): re-render only if a style differs.
        super().notify_style_update()
        self._styles_dirty = True

    def on_resize(self, event: events.Resize) -> None:
        self.rows = event.size.height
        width = event.size.width
        if width != self._width:
            self._width = width
            self._reflow()
        elif self._first and len(self._strips) < event.size.height:
            self._render_older(event.size.height * 3)  # taller window, rows to fill it
            self._set_virtual_height()
        elif not (self.following and self.scroll_y < self.max_scroll_y):
            return  # a taller or shorter log: keep following if it was (the plan came)
        self.scroll_to(y=self.max_scroll_y, animate=False, force=True)
        self._follow(True)
        self.refresh()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.scroll_lines(-3)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.scroll_lines(3)
