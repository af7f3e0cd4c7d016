"""The small widgets around the log: room panel, status line, command input.

Each one is built so that an update repaints only itself: fixed sizes come from the .tcss and
their reactives are ``layout=False``, so a new room or a new token count never reflows the
screen (a ``Static.update`` defaults to a full layout; research/render_cost.md). All game text
is turned into ``rich.text.Text`` from plain strings, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.reactive import Reactive, reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from game.core.reply import RoomView
from game.core.text import clean
from game.fronts.tui.direct import paint_spans
from game.fronts.tui.history import Completer, History
from game.fronts.tui.textual_private import FrameLines, PaintsItself, RepaintOnScroll


class Banner(FrameLines, Static):
    """A Static (the header) that repaints only when it changes."""


class GameScreen(FrameLines, Screen[None]):
    """The main screen: its own background, too, is only re-rendered when it changes."""


class RoomPanel(FrameLines, Widget):
    """Where the player stands: title, area, exits, people, NPCs and items."""

    COMPONENT_CLASSES = {"room-panel--title", "room-panel--area", "room-panel--heading"}

    view: reactive[RoomView | None] = reactive(None, layout=False)

    def render(self) -> Text:
        view = self.view
        if view is None:
            return Text("")
        style = self.get_component_rich_style
        text = Text()
        text.append(clean(view.title), style("room-panel--title", partial=True))
        if view.area:
            text.append("\n" + clean(view.area), style("room-panel--area", partial=True))
        sections = (
            ("Exits", view.exits),
            ("People", view.people),
            ("Also here", view.npcs),
            ("Items", view.items),
        )
        heading = style("room-panel--heading", partial=True)
        for name, entries in sections:
            if entries:
                text.append(f"\n\n{name}", heading)
                for entry in entries:
                    text.append("\n " + clean(entry))
        if not view.exits:
            text.append("\n\nNo exits.", heading)
        return text


class StatusLine(FrameLines, Widget):
    """One line of status; changing it repaints this line only."""

    text: reactive[str] = reactive("", layout=False)

    def render(self) -> Text:
        return Text(clean(self.text), no_wrap=True, overflow="ellipsis")


class CommandInput(PaintsItself, RepaintOnScroll, FrameLines, Input):
    """The command prompt: Up/Down browse history, Tab completes the current word."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history_previous", show=False),
        Binding("down", "history_next", show=False),
        Binding("tab", "complete", show=False),
    ]
    # Input sets its virtual size from the width of the text on every key, and Widget
    # declares that reactive with layout=True: each key typed reflowed the player's whole
    # screen (about 2% of the server's CPU, and a full repaint, at N=100 TUI players). The
    # prompt's box never depends on its text, so repainting the prompt is enough.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, completions: Callable[[], Sequence[str]], *, id: str | None = None) -> None:
        super().__init__(
            placeholder="Type a command: look, say <text>, help, quit",
            select_on_focus=False,  # coming back from "too small" must not select the line
            id=id,
        )
        # A blinking cursor repaints every idle session twice a second (research Q6).
        self.set_reactive(Input.cursor_blink, False)
        # Input posts Changed on every key, and it bubbles to the screen and the app: three
        # dispatches per key per player that nothing here listens to (at N=100 TUI players
        # they were three in five of all the messages the server handled).
        self.disable_messages(Input.Changed)
        self.past = History()
        self._completer = Completer()
        self._completions = completions

    def paint_itself(self) -> bool:
        """A key typed changes only the prompt's row: write it straight to the terminal
        (game/fronts/tui/direct.py) instead of a compositor pass per key per player."""
        width, height = self.outer_size
        if not width or not height:
            return False
        lines = self.render_lines(Region(0, 0, width, height))
        return paint_spans(self, [(Region(0, y, width, 1), line) for y, line in enumerate(lines)])

    def _show(self, value: str, cursor: int | None = None) -> None:
        self.value = value
        self.cursor_position = len(value) if cursor is None else cursor

    def action_history_previous(self) -> None:
        line = self.past.previous(self.value)
        if line is not None:
            self._show(line)

    def action_history_next(self) -> None:
        line = self.past.next()
        if line is not None:
            self._show(line)

    def action_complete(self) -> None:
        done = self._completer.complete(self.value, self.cursor_position, self._completions())
        if done is not None:
            self._show(done.value, done.cursor)

    def take_line(self) -> str:
        """Clear the prompt and return what was on it, remembering it in the history."""
        line = self.value
        self.past.add(line)
        self._completer.reset()
        self.value = ""
        return line

    async def on_key(self, event: events.Key) -> None:
        # Textual runs the Enter *binding* only once the key has bubbled up to the app, after
        # this widget already typed the keys that came behind it in the same chunk.
        # (Textual calls Input._on_key itself after this one, for every other key.)
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            await self.action_submit()

    async def action_submit(self) -> None:
        """Take the line at Enter, not when the app handles ``Submitted``.

        A pasted ``look\\rsay hi\\r`` arrives as one burst of keys, all queued to this
        widget before the ``Submitted`` message reaches the app: reading the value there
        would give ``looksay hi`` and lose the second command. The message carries the line
        as it was at Enter, and the prompt is already empty for the keys after it.
        """
        self.post_message(self.Submitted(self, self.take_line()))
