"""The latest Cal (growth) and Domingo (economy) reports, for @report and the admin screen.

Reports are stored by the reflection cycle in ``refl_reports`` (one JSON body per cycle and
analyst; see reflection/schema.py and reflection/cycle.py) and as Markdown beside it under
the data dir, for people reading the files. This module only reads the JSON: the newest
report's body, plus a few numbers taken from each of the last reports (supply, faucets and
sinks; players and actives) so the admin screen can draw them over time as sparklines and
line mode can read them as numbers. :func:`view` turns them into the sections and tables of
game/core/report_view.py. Before the first cycle has run there is simply no report, and both
say so.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from game.core import report_view
from game.core.report_view import ReportView, Section
from game.core.report_view import sparkline as sparkline
from game.core.report_view import spoken as spoken

ANALYSTS = {"economy": "domingo", "growth": "cal"}
SERIES = {
    "domingo": ("supply.supply", "supply.faucet_24h", "supply.sink_24h", "supply.net_24h"),
    "cal": ("players_total", "active_players", "dau", "wau", "mau"),
}
"""The numbers charted over time, per analyst: dotted paths into each report's JSON."""
HISTORY = 24
"""How many past reports a chart spans (two hours at the default 5-minute cycle)."""


@dataclass(frozen=True)
class LatestReport:
    analyst: str
    cycle_id: str
    created_ms: int
    body: dict[str, Any]
    series: dict[str, list[float]] = field(default_factory=dict)


def latest(conn: sqlite3.Connection, analyst: str) -> LatestReport | None:
    """The newest report by ``analyst`` ("cal" or "domingo") with its charted series over
    the last reports, or None if none exists yet (the stored JSON is also written as
    ``<data_dir>/reports/<cycle>/<analyst>.json``)."""
    try:
        rows = conn.execute(
            "SELECT cycle_id, created_ms, body FROM refl_reports WHERE analyst = ?"
            " ORDER BY created_ms DESC, cycle_id DESC LIMIT ?",
            (analyst, HISTORY),
        ).fetchall()
    except sqlite3.OperationalError:  # the reflection tables are not there yet
        return None
    if not rows:
        return None
    cycle_id, created_ms = str(rows[0][0]), int(rows[0][1])
    bodies = [_json(str(r[2])) for r in reversed(rows)]
    series: dict[str, list[float]] = {}
    for path in SERIES.get(analyst, ()):
        values = [_at(b, path) for b in bodies]
        numbers = [v for v in values if v is not None]
        if numbers:
            series[path.split(".")[-1]] = numbers
    return LatestReport(analyst, cycle_id, created_ms, bodies[-1], series)


def _json(body: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _at(data: dict[str, Any], path: str) -> float | None:
    value: Any = data
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def view(kind: str, report: LatestReport | None) -> ReportView:
    """The report as sections and tables (``kind`` is "economy" or "growth")."""
    who = ANALYSTS[kind].capitalize()
    if report is None:
        return ReportView(
            f"No {kind} report yet: {who} writes one each reflection cycle, and none has "
            "been stored so far.",
            (),
            (),
        )
    title = f"{who}'s {kind} report, cycle {report.cycle_id}:"
    series = tuple((name, tuple(values)) for name, values in report.series.items())
    build = report_view.economy if kind == "economy" else report_view.growth
    blocks = build(report.body)
    if not any(b.lines if isinstance(b, Section) else b.rows for b in blocks):
        blocks = (Section("", ("The report holds no figures yet.",)),)
    return ReportView(title, series, blocks)


def describe(kind: str, report: LatestReport | None) -> str:
    """Plain text for @report in line mode: one fact per line."""
    return "\n".join(view(kind, report).lines())


class Reports:
    """The reflection cycle's output as the game reads it: the latest report per analyst,
    and Cal's insight for one player."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def latest(self, kind: str) -> LatestReport | None:
        """The newest ``economy`` (Domingo) or ``growth`` (Cal) report, or None."""
        return latest(self.conn, ANALYSTS[kind])

    def insight(self, player_key: str) -> tuple[str, dict[str, Any]] | None:
        """Cal's last insight for a player: (cycle id, body), or None before any cycle."""
        try:
            row = self.conn.execute(
                "SELECT cycle_id, body FROM refl_insights WHERE player = ?", (player_key,)
            ).fetchone()
        except sqlite3.OperationalError:  # the reflection tables are not there yet
            return None
        return (str(row[0]), _json(str(row[1]))) if row else None
