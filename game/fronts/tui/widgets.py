"""The small widgets around the log: header, room panel, status line (the prompt is in
game/fronts/tui/prompt.py).

Each one is built so that an update repaints only itself: fixed sizes come from the .tcss and
their reactives are ``layout=False``, so a new room or a new token count never reflows the
screen (a ``Static.update`` defaults to a full layout; research/render_cost.md). All game text
is turned into ``rich.text.Text`` from plain strings, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from game.core.reply import RoomView
from game.core.text import clean
from game.fronts.tui.textual_private import FrameLines


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
        # The panel runs under the status line: the app's height less it and the header
        # is what shows.
        rows = min(self.size.height, self.app.size.height - 2) - 1 - bool(view.area)
        for name, entries in fit_sections(sections, rows):
            text.append(f"\n\n{name}", heading)
            for entry in entries:
                text.append("\n " + clean(entry))
        if not view.exits:
            text.append("\n\nNo exits.", heading)
        return text


def fit_sections(
    sections: Sequence[tuple[str, Sequence[str]]], rows: int
) -> list[tuple[str, list[str]]]:
    """The non-empty sections, the longest cut to ``… and N more`` so that all fit in
    ``rows`` (two rows a heading, one an entry) if cutting that one can do it.

    A crowded room would otherwise lay out every name, a hundred rows, to show twenty: the
    panel is drawn again for every viewer whenever the room changes, and that was the
    longest stall of the server's loop with a hundred players in one room.
    """
    shown = [(name, list(entries)) for name, entries in sections if entries]
    excess = sum(2 + len(entries) for _, entries in shown) - max(rows, 0)
    if excess > 0:
        longest = max((entries for _, entries in shown), key=len)
        keep = max(1, len(longest) - excess - 1)
        if keep < len(longest) - 1:
            longest[keep:] = [f"… and {len(longest) - keep} more"]
    return shown


class StatusLine(FrameLines, Widget):
    """One line of status; changing it repaints this line only."""

    text: reactive[str] = reactive("", layout=False)

    def render(self) -> Text:
        return Text(clean(self.text), no_wrap=True, overflow="ellipsis")
