"""The command prompt: one line of editable text, drawn for the cost of one strip.

Textual's ``Input`` is general (selections, validators, suggestions, a scroll view, a
blinking cursor) and pays for it on every key: five reactives and their watchers, a
virtual-size update, a scroll-to-cursor, a validation that toggles two CSS classes, then a
``Text`` laid out by the console, about a millisecond of CPU per key typed with a hundred
players on one loop (bench/render_bench.py, "key"). A game's prompt needs none of that:
this widget keeps the line and the cursor as two plain attributes, handles its keys itself
(no binding lookup, no bubbling to the screen and the app) and draws its one row from three
segments, straight to the terminal when nothing covers it (``PaintsItself``).

Keys (as in ``Input`` and readline): Left/Right, Home/End and Ctrl+A/E, Ctrl+Left/Right by
word, Backspace/Delete and Ctrl+D, Ctrl+W and Alt/Ctrl+Backspace (word left), Ctrl+F (word
right), Ctrl+U/Ctrl+K (to the start/end), Up/Down (history), Tab (completion), Enter
(submit). A paste inserts its first line, control characters stripped. There is no
selection: nothing in a command line needs one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.color import Color
from textual.geometry import Offset, Region
from textual.message import Message
from textual.strip import Strip
from textual.style import Style as TextualStyle
from textual.widget import Widget

from game.core.text import clean
from game.fronts.tui.direct import paint_spans
from game.fronts.tui.history import Completer, History
from game.fronts.tui.textual_private import FrameLines, PaintsItself


class _Looks(NamedTuple):
    base: Style  # the prompt's own colours
    cursor: Style
    placeholder: Style
    pad: Style | None  # the padding's, when the row can be drawn without the styles cache
    background: Color  # what line filters blend against


PLACEHOLDER = "Type a command: look, say <text>, help, quit"


def _word_left(value: str, cursor: int) -> int:
    """Where the word before ``cursor`` starts (spaces before it skipped)."""
    i = cursor
    while i and value[i - 1] == " ":
        i -= 1
    while i and value[i - 1] != " ":
        i -= 1
    return i


def _word_right(value: str, cursor: int) -> int:
    """Where the word after ``cursor`` ends (spaces before it skipped)."""
    i, end = cursor, len(value)
    while i < end and value[i] == " ":
        i += 1
    while i < end and value[i] != " ":
        i += 1
    return i


class CommandInput(PaintsItself, FrameLines, Widget, can_focus=True):
    """The command prompt: Up/Down browse history, Tab completes the current word."""

    DEFAULT_CSS = """
    CommandInput {
        height: 1;
        background: $surface;
        color: $foreground;
        & > .command--cursor {
            background: $input-cursor-background;
            color: $input-cursor-foreground;
            text-style: $input-cursor-text-style;
        }
        & > .command--placeholder {
            color: $text-disabled;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"command--cursor", "command--placeholder"}

    class Submitted(Message):
        """Enter was pressed: ``value`` is the line as it was then (the prompt is empty)."""

        def __init__(self, value: str) -> None:
            super().__init__()
            self.value = value

    def __init__(self, completions: Callable[[], Sequence[str]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._value = ""
        self._cursor = 0  # characters before the cursor
        self._offset = 0  # the first cell shown, when the line is wider than the prompt
        self.placeholder = PLACEHOLDER
        self.past = History()
        self._completer = Completer()
        self._completions = completions
        self._looks: _Looks | None = None
        self._keys: dict[str, Callable[[], None]] = {
            "left": lambda: self._move(self._cursor - 1),
            "right": lambda: self._move(self._cursor + 1),
            "home": lambda: self._move(0),
            "ctrl+a": lambda: self._move(0),
            "end": lambda: self._move(len(self._value)),
            "ctrl+e": lambda: self._move(len(self._value)),
            "ctrl+left": lambda: self._move(_word_left(self._value, self._cursor)),
            "ctrl+right": lambda: self._move(_word_right(self._value, self._cursor)),
            "backspace": lambda: self._delete(self._cursor - 1, self._cursor),
            "delete": lambda: self._delete(self._cursor, self._cursor + 1),
            "ctrl+d": lambda: self._delete(self._cursor, self._cursor + 1),
            "ctrl+w": self._delete_word_left,
            "ctrl+backspace": self._delete_word_left,
            "alt+backspace": self._delete_word_left,
            "ctrl+f": lambda: self._delete(self._cursor, _word_right(self._value, self._cursor)),
            "ctrl+u": lambda: self._delete(0, self._cursor),
            "ctrl+k": lambda: self._delete(self._cursor, len(self._value)),
            "up": self.history_previous,
            "down": self.history_next,
            "tab": self.complete,
            "enter": self.submit,
        }

    # -- the line -------------------------------------------------------------------------

    @property
    def value(self) -> str:
        return self._value

    @value.setter
    def value(self, value: str) -> None:
        self._show(value, len(value))

    @property
    def cursor_position(self) -> int:
        return self._cursor

    @cursor_position.setter
    def cursor_position(self, position: int) -> None:
        self._move(position)

    def _show(self, value: str, cursor: int) -> None:
        self._value = value
        self._move(cursor)

    def _move(self, cursor: int) -> None:
        self._cursor = max(0, min(cursor, len(self._value)))
        self._scroll_to_cursor()
        self.refresh()

    def _delete(self, start: int, end: int) -> None:
        start, end = max(0, start), min(len(self._value), end)
        if start < end:
            self._completer.reset()
            self._show(self._value[:start] + self._value[end:], start)

    def _delete_word_left(self) -> None:
        self._delete(_word_left(self._value, self._cursor), self._cursor)

    def insert(self, text: str) -> None:
        """Type ``text`` at the cursor."""
        if text:
            self._completer.reset()
            at = self._cursor
            self._show(self._value[:at] + text + self._value[at:], at + len(text))

    def history_previous(self) -> None:
        line = self.past.previous(self._value)
        if line is not None:
            self._show(line, len(line))

    def history_next(self) -> None:
        line = self.past.next()
        if line is not None:
            self._show(line, len(line))

    def complete(self) -> None:
        done = self._completer.complete(self._value, self._cursor, self._completions())
        if done is not None:
            self._show(done.value, done.cursor)

    def take_line(self) -> str:
        """Clear the prompt and return what was on it, remembering it in the history."""
        line = self._value
        self.past.add(line)
        self._completer.reset()
        self._show("", 0)
        return line

    def submit(self) -> None:
        """Take the line at Enter, not when the app handles ``Submitted``.

        A pasted ``look\\rsay hi\\r`` arrives as one burst of keys, all queued to this
        widget before the ``Submitted`` message reaches the app: reading the value there
        would give ``looksay hi`` and lose the second command. The message carries the line
        as it was at Enter, and the prompt is already empty for the keys after it.
        """
        self.post_message(self.Submitted(self.take_line()))

    # -- events ---------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        if self.take_key(event):
            event.stop()
            event.prevent_default()
        # else not ours: it bubbles on to the screen's and the app's bindings

    def take_key(self, event: events.Key) -> bool:
        """Act on a key if it is one of the prompt's; False if it is not."""
        action = self._keys.get(event.key)
        if action is not None:
            action()
        elif event.is_printable and event.character is not None:
            self.insert(event.character)
        else:
            return False
        return True

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        lines = event.text.splitlines()
        if lines:
            self.insert(clean(lines[0]))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        self._scroll_to_cursor()

    # -- drawing --------------------------------------------------------------------------

    def _scroll_to_cursor(self) -> None:
        """Keep the cursor's cell in view, and tell the terminal where it is."""
        width = self.content_size.width
        at = cell_len(self._value[: self._cursor])
        if width:
            if at < self._offset:
                self._offset = at
            elif at >= self._offset + width:
                self._offset = at - width + 1
            if cell_len(self._value) + 1 <= width:
                self._offset = 0
        if self.is_mounted and self.has_focus:
            x, y = self.content_region.offset
            self.app.cursor_position = Offset(x + at - self._offset, y)

    def notify_style_update(self) -> None:
        # the theme, the CSS or a pseudo-class (focus) changed
        self._looks = None
        super().notify_style_update()

    def _styles(self) -> _Looks:
        """The prompt's styles, kept until a style changes: working them out walks the
        widget's ancestors, on every key otherwise."""
        if self._looks is None:
            styles = self.styles
            base_background, background = self.background_colors
            plain = not (
                any(edge for edge, _ in styles.border)
                or any(edge for edge, _ in styles.outline)
                or styles.tint.a
                or styles.text_opacity != 1
                or self.opacity != 1
                or (styles.has_rule("hatch") and styles.hatch != "none")
            )
            self._looks = _Looks(
                self.rich_style,
                self.get_component_rich_style("command--cursor"),
                self.get_component_rich_style("command--placeholder"),
                TextualStyle(background=base_background + background).rich_style if plain else None,
                background,
            )
        return self._looks

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        looks = self._styles()
        base = looks.base
        if y or not width:
            return Strip.blank(width, base)
        cursor = looks.cursor if self.has_focus else None
        value, at = self._value, self._cursor
        if not value:
            text = self.placeholder[:width] or " "
            style = looks.placeholder
            segments = [Segment(text, style)]
            if cursor is not None:
                segments = [Segment(text[:1], style + cursor), Segment(text[1:], style)]
        else:
            under = value[at : at + 1] or " "
            segments = [
                Segment(value[:at]),
                Segment(under, cursor),
                Segment(value[at + 1 :]),
            ]
        strip = Strip(segments).crop(self._offset, self._offset + width)
        return strip.extend_cell_length(width).apply_style(base).simplify()

    def render_lines(self, crop: Region) -> list[Strip]:
        """The prompt's row as Textual's styles cache would draw it, for a third of the cost.

        With no border, outline, tint, opacity or hatch (the prompt in game.tcss), the
        styles cache draws the one content row between its padding in the inner
        background, then runs the app's line filters: that is all this does. Anything else
        goes through Textual (tests/game/fronts/tui/test_prompt.py compares the two).
        """
        looks = self._styles()
        padding = self.styles.padding
        if looks.pad is None or self.size.height != 1 or padding.top or padding.bottom:
            return super().render_lines(crop)
        pad = looks.pad
        content = self.render_line(0).adjust_cell_length(self.content_size.width, pad)
        row = Strip.join([Strip.blank(padding.left, pad), content, Strip.blank(padding.right, pad)])
        for line_filter in self.get_line_filters():
            row = row.apply_filter(line_filter, looks.background)
        if crop.column_span != (0, row.cell_length):
            row = row.crop(crop.x, crop.right)
        return [row] * len(crop.line_range)

    def paint_itself(self) -> bool:
        """A key typed changes only the prompt's row: write it straight to the terminal
        (game/fronts/tui/direct.py) instead of a compositor pass per key per player."""
        width, height = self.outer_size
        if not width or not height:
            return False
        lines = self.render_lines(Region(0, 0, width, height))
        return paint_spans(self, [(Region(0, y, width, 1), line) for y, line in enumerate(lines)])
