"""The growth panel: Cal's insights for this player as a modal screen (Escape closes it).

Built from the ``GrowthSheet`` the ``growth`` command returns, so it shows exactly what line
mode reads out. Text goes in as ``rich.text.Text``: nothing a player or an author wrote is
ever parsed as markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reflection.sheet import GrowthSheet


class GrowthPanel(ModalScreen[None]):
    DEFAULT_CSS = """
    GrowthPanel { align: center middle; }
    GrowthPanel > VerticalScroll { width: 80%; height: 80%; border: round $accent; padding: 0 1; }
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
            yield Static(Text("Your growth (Escape closes)", style="bold"))
            for title, lines in self.sheet.sections:
                body = Text(f"\n{title}\n", style="bold")
                for line in lines:
                    body.append(f"  {line}\n")
                yield Static(body)
