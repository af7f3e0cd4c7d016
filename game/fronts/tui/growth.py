"""The growth panel: Cal's insights for this player as a modal screen (Escape closes it).

The box is as big as its text (up to 80% of the screen, then it scrolls). Typing a
printable key closes it and puts the key in the command line: it never swallows input.

Built from the ``GrowthSheet`` the ``growth`` command returns, so it shows exactly what line
mode reads out. Text goes in as ``rich.text.Text``: nothing a player or an author wrote is
ever parsed as markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reflection.sheet import GrowthSheet


class GrowthPanel(ModalScreen[None]):
    DEFAULT_CSS = """
    GrowthPanel { align: center middle; }
    GrowthPanel > VerticalScroll {
        width: auto; max-width: 80%; height: auto; max-height: 80%;
        border: round $accent; padding: 0 1;
    }
    GrowthPanel Static { width: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close"),
        Binding("f2", "dismiss", "Close", show=False),
    ]

    def __init__(self, sheet: GrowthSheet) -> None:
        super().__init__()
        self.sheet = sheet

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text("Your growth (Escape closes; typing goes on)", style="bold"))
            for title, lines in self.sheet.sections:
                body = Text(f"\n{title}", style="bold")
                for line in lines:
                    body.append(f"\n  {line}", style="not bold")
                yield Static(body)

    def on_key(self, event: events.Key) -> None:
        """A printable key closes the panel and goes to the command line."""
        if not event.is_printable or event.character is None:
            return
        event.stop()
        event.prevent_default()
        command = self.app.query_one("#command")
        self.dismiss()
        value = getattr(command, "value", "")
        command.value = value + event.character  # type: ignore[attr-defined]
        command.cursor_position = len(command.value)  # type: ignore[attr-defined]
        command.focus()
