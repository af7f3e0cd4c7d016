"""Reports on screen: each :class:`~game.core.report_view.Table` as a Rich ``Table``.

The output log holds (role, text) lines; a table travels there as a :class:`TableText`, a
``str`` (its cells, for ``plain_lines`` and the pacing estimate) that also carries the table,
so the log draws it as columns at the log's width (game/fronts/tui/chatlog.py). The admin console's
Economy and Growth tabs show the same view, with sparklines for the series. Every cell is a
``Text``, never markup: a label like ``[bold]`` is shown as typed.
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table as RichTable
from rich.text import Text

from game.core.report_view import ReportView, Section, Table, sparkline
from game.core.text import clean


class TableText(str):
    """A log line that is drawn as a table. Equal (and cached) only with the same table."""

    table: Table

    def __new__(cls, table: Table) -> TableText:
        rows = (table.columns, *table.rows)
        text = super().__new__(cls, "\n".join("  ".join(clean(c) for c in row) for row in rows))
        text.table = table
        return text

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, TableText) and str.__eq__(self, other) and self.table == other.table
        )

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((str(self), self.table))


def rich_table(table: Table, style: Style | str = "") -> RichTable:
    """The table's columns and rows as a Rich table (cells as plain ``Text``)."""
    out = RichTable(
        box=box.SIMPLE_HEAD, style=style, header_style="bold", pad_edge=False, show_edge=False
    )
    for column in table.columns:
        out.add_column(Text(clean(column)), overflow="fold")
    for row in table.rows:
        out.add_row(*(Text(clean(cell)) for cell in row))
    return out


def entry_renderable(plain: str, style: Style) -> RenderableType:
    """What the log draws for one line: a table for a TableText, else the plain text."""
    return rich_table(plain.table, style) if isinstance(plain, TableText) else Text(plain, style)


def _parts(view: ReportView) -> list[tuple[bool, str | Table]]:
    """(is a heading, a line or a table with rows) in reading order."""
    out: list[tuple[bool, str | Table]] = []
    for block in view.blocks:
        lines = block.lines if isinstance(block, Section) else block.rows
        if block.heading:
            out.append((True, f"{block.heading}:" if lines else f"{block.heading}: none."))
        if isinstance(block, Section):
            out.extend((False, line) for line in block.lines)
        elif block.rows:
            out.append((False, block))
    return out


def log_lines(view: ReportView, role: str) -> list[tuple[str, str]]:
    """The log lines of a report: title, series and facts as text, tables as TableText."""
    head = view.lines()[: 1 + len(view.series)]
    lines: list[tuple[str, str]] = [(role, clean(line)) for line in head]
    for _, part in _parts(view):
        lines.append((role, TableText(part) if isinstance(part, Table) else clean(part)))
    return lines


def renderable(view: ReportView) -> RenderableType:
    """The whole report for the admin console: title, a sparkline per series, then blocks."""
    if not view.series and not view.blocks:
        return Text(clean(view.title))  # no report yet
    parts: list[RenderableType] = [Text(clean(view.title))]
    for name, values in view.series:
        line = Text(f"{clean(name):<24} ")
        line.append(sparkline(values), style="bold")
        line.append(f"  {values[-1]:g}")
        parts.append(line)
    for heading, part in _parts(view):
        if heading:
            parts.append(Text(""))  # a blank line before each heading
        parts.append(rich_table(part) if isinstance(part, Table) else Text(clean(part)))
    return Group(*parts)
