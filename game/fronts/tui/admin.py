"""The admin console: a full-screen view over the same facts and commands as line mode.

Tabs (F1-F6, shown in the footer): Players (table of sessions; with the table focused and
nothing typed yet, a key puts an @-command in the action line for the selected player),
Economy (Domingo's latest report with sparklines), Growth (Cal's), Content (reload with the
diff), Server (health) and Feedback (the open bug, idea and typo reports; ``a`` and ``c``
put ``@feedback answer`` / ``close`` for the selected one in the action line). Any other
printable key typed on a table goes to the action line: typing never fires an action.
Every action runs through the engine, exactly like the line-mode command: the role check,
the audit row and the ledger transfer happen there.
Results wrap and scroll; output that arrives later (a reload's diff) is added to them.
"""

from __future__ import annotations

import contextvars
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static, TabbedContent, TabPane

from game.commands.admin import idle_text
from game.commands.admin_ops import server_lines
from game.core.text import utc
from game.engine.game import Game
from game.fronts.tui import report_table
from game.services import reports

if TYPE_CHECKING:
    from game.core.reply import Reply
    from game.engine.session import Session

REFRESH_S = 2.0
ACTIONS = {
    "k": "@kick {name} ",
    "m": "@mute {name} 1h ",
    "b": "@ban account {name} ",
    "g": "@grant {name} ",
    "r": "@revoke {name} ",
    "t": "@tier {name} premium 30 ",
}
FEEDBACK_ACTIONS = {"a": "@feedback answer {id} ", "c": "@feedback close {id} "}
TABS = ("players", "economy", "growth", "content", "server", "feedback")
RESULT_LINES = 200  # kept in the result pane (it scrolls)


def report_text(kind: str, session: Session) -> RenderableType:
    """A report with one sparkline per numeric series, then its facts and tables (plain text,
    never markup)."""
    game = Game.of(session)
    return report_table.renderable(reports.view(kind, game.reports.latest(kind)))


ACTION_HINT = "@command — on the table: k kick, m mute, b ban, g grant, r revoke, t tier"


class AdminScreen(Screen[None]):
    """Opened by the ``admin`` command or F9 (admins only: the engine decides)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "tab('players')", "Players"),
        Binding("f2", "tab('economy')", "Economy"),
        Binding("f3", "tab('growth')", "Growth"),
        Binding("f4", "tab('content')", "Content"),
        Binding("f5", "tab('server')", "Server"),
        Binding("f6", "tab('feedback')", "Feedback"),
        Binding("ctrl+r", "refresh", "Refresh"),
        Binding("escape", "close", "Close"),
        Binding("f9", "close", show=False),
    ]
    DEFAULT_CSS = """
    AdminScreen { background: $background; }
    AdminScreen #console-bottom { dock: bottom; height: auto; }
    AdminScreen #console-bottom Footer { dock: none; }
    AdminScreen #action { height: 1; border: none; background: $boost; }
    AdminScreen #result-box {
        height: auto; max-height: 8; padding: 0 1; border-top: hkey $border;
    }
    AdminScreen #result { width: 1fr; }
    AdminScreen DataTable { height: 1fr; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._result: list[str] = []

    def compose(self) -> ComposeResult:
        with TabbedContent(id="tabs"):
            with TabPane("Players", id="players"):
                yield DataTable(id="player-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Economy", id="economy"), VerticalScroll():
                yield Static(id="economy-text")
            with TabPane("Growth", id="growth"), VerticalScroll():
                yield Static(id="growth-text")
            with TabPane("Content", id="content"), VerticalScroll():
                yield Static(
                    Text("Type @reload in the action line to reload the world and see the diff."),
                    id="content-text",
                )
            with TabPane("Server", id="server"), VerticalScroll():
                yield Static(id="server-text")
            with TabPane("Feedback", id="feedback"):
                yield DataTable(id="feedback-table", cursor_type="row", zebra_stripes=True)
        # One docked container, stacked: results, the action line, the key hints. (Three
        # widgets each docked to the bottom would be drawn over one another.)
        with Vertical(id="console-bottom"):
            with VerticalScroll(id="result-box"):
                yield Static(id="result")
            yield Input(
                placeholder=ACTION_HINT,
                id="action",
                select_on_focus=False,  # a prefilled @command is completed, not replaced
            )
            yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#player-table", DataTable)
        table.add_columns("Name", "Room", "Tier", "Tokens", "Idle", "Address", "Role")
        self.query_one("#feedback-table", DataTable).add_columns(
            "#", "Kind", "Player", "Room", "Filed", "Text"
        )
        self.refresh_all()
        self.set_interval(REFRESH_S, self.refresh_all)
        table.focus()

    # -- data ---------------------------------------------------------------------------------
    def player_rows(self) -> list[tuple[str, ...]]:
        game = Game.of(self.session)
        now = game.clock()
        rows: list[tuple[str, ...]] = []
        for s in sorted(game.sessions, key=lambda s: s.player.name.lower()):
            name = s.player.name
            rows.append(
                (
                    name,
                    game.world.room(s.player.room).title,
                    game.wallet.tier(name),
                    str(game.wallet.balance(name)),
                    idle_text(now - s.last_input_ms),
                    s.address or "-",
                    s.player.role + (" (muted)" if game.moderation.muted(name) else ""),
                )
            )
        return rows

    def refresh_all(self) -> None:
        table = self.query_one("#player-table", DataTable)
        selected = self.selected_name()
        table.clear()
        for row in self.player_rows():
            table.add_row(*(Text(cell) for cell in row), key=row[0])
        if selected is not None:
            names = [row[0] for row in self.player_rows()]
            if selected in names:
                table.move_cursor(row=names.index(selected))
        self.query_one("#economy-text", Static).update(report_text("economy", self.session))
        self.query_one("#growth-text", Static).update(report_text("growth", self.session))
        game = Game.of(self.session)
        lines = server_lines(game.metrics, game.sessions)
        self.query_one("#server-text", Static).update(Text("\n".join(lines)))
        self.refresh_feedback()

    def refresh_feedback(self) -> None:
        """The open reports, newest first; the selection stays on the same report."""
        table = self.query_one("#feedback-table", DataTable)
        selected = self.selected_row(table)
        game = Game.of(self.session)
        table.clear()
        ids = []
        for item in game.feedback.queue():
            room = game.world.content.rooms.get(item.room)
            cells = (str(item.id), item.kind, item.player, room.title if room else item.room)
            table.add_row(*(Text(c) for c in (*cells, utc(item.ts_ms), item.text)), key=cells[0])
            ids.append(cells[0])
        if selected in ids:
            table.move_cursor(row=ids.index(selected))

    def selected_name(self) -> str | None:
        return self.selected_row(self.query_one("#player-table", DataTable))

    @staticmethod
    def selected_row(table: DataTable[Text]) -> str | None:
        """The first cell of the table's selected row (a name, a report number)."""
        if table.row_count == 0:
            return None
        row = table.get_row_at(table.cursor_row)
        return str(row[0]) if row else None

    # -- actions ------------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        """On the table: a hotkey (nothing typed yet) prefills an action; any other printable
        key goes to the action line, so typing never fires an action."""
        action = self.query_one("#action", Input)
        players = self.query_one("#player-table", DataTable)
        reports = self.query_one("#feedback-table", DataTable)
        if not (players.has_focus or reports.has_focus):
            return
        if not event.is_printable or event.character is None:
            return
        event.stop()
        event.prevent_default()
        table, hotkeys, field = (
            (players, ACTIONS, "name") if players.has_focus else (reports, FEEDBACK_ACTIONS, "id")
        )
        selected = self.selected_row(table)
        if event.key in hotkeys and not action.value and selected is not None:
            action.value = hotkeys[event.key].format(**{field: selected})
        else:
            action.value += event.character
        action.cursor_position = len(action.value)
        action.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value.strip()
        event.input.value = ""
        if line:
            self.run_line(line)

    def run_line(self, line: str) -> None:
        """Run an admin command through the engine, outside this app's context (so tasks
        the command starts never pin this app), and show its replies here."""
        game = Game.of(self.session)
        self.session.last_input_ms = game.clock()
        replies = contextvars.Context().run(game.engine.execute, self.session, line)
        text = "\n".join(r.text for r in replies) or "Done."
        self.show_result(f"> {line}\n{text}", replace=True)
        if line.split()[0].lower() == "@reload":
            self.query_one("#content-text", Static).update(Text(text))
        self.refresh_all()

    def note_output(self, replies: Sequence[Reply]) -> None:
        """Output the engine sent this session later (a reload's result, a broadcast):
        shown here too, or it would land unseen in the log under this screen."""
        text = "\n".join(r.text for r in replies if r.text)
        if text and self.is_mounted:  # not the "admin" reply that is opening this screen
            self.show_result(text)

    def show_result(self, text: str, *, replace: bool = False) -> None:
        lines = [] if replace else self._result
        lines.extend(text.splitlines())
        self._result = lines[-RESULT_LINES:]
        self.query_one("#result", Static).update(Text("\n".join(self._result)))
        self.query_one("#result-box", VerticalScroll).scroll_end(animate=False)

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab
        if tab == "players":
            self.query_one("#player-table", DataTable).focus()
        elif tab == "feedback":
            self.query_one("#feedback-table", DataTable).focus()

    def action_close(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.refresh_all()
