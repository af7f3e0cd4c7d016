"""The latest Cal (growth) and Domingo (economy) reports, for @report and the admin screen.

Reports are stored by the reflection cycle in ``refl_reports`` (one JSON body per cycle and
analyst; see reflection/schema.py and reflection/cycle.py) and as Markdown beside it under
the data dir. This module only reads: the newest report's Markdown, plus a few numbers taken
from each of the last reports (supply, faucets and sinks; players and actives) so the admin
screen can draw them over time as sparklines and line mode can read them as numbers.
Before the first cycle has run there is simply no report, and both say so.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ANALYSTS = {"economy": "domingo", "growth": "cal"}
SPARKS = "▁▂▃▄▅▆▇█"
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
    text: str
    series: dict[str, list[float]] = field(default_factory=dict)


def latest(
    conn: sqlite3.Connection, analyst: str, data_dir: Path | None = None
) -> LatestReport | None:
    """The newest report by ``analyst`` ("cal" or "domingo") with its charted series over
    the last reports, or None if none exists yet. The text is the report's Markdown file
    (``<data_dir>/reports/<cycle>/<analyst>.md``) when present, else its JSON."""
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
    cycle_id, created_ms, body = str(rows[0][0]), int(rows[0][1]), str(rows[0][2])
    bodies = [_json(str(r[2])) for r in reversed(rows)]
    series: dict[str, list[float]] = {}
    for path in SERIES.get(analyst, ()):
        values = [_at(b, path) for b in bodies]
        numbers = [v for v in values if v is not None]
        if numbers:
            series[path.split(".")[-1]] = numbers
    text = body
    markdown = data_dir / "reports" / cycle_id / f"{analyst}.md" if data_dir else None
    if markdown is not None and markdown.is_file():
        text = markdown.read_text(encoding="utf-8")
    elif bodies[-1]:
        text = json.dumps(bodies[-1], indent=2, sort_keys=True)
    return LatestReport(analyst, cycle_id, created_ms, text, series)


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


def sparkline(values: Sequence[float]) -> str:
    """Eight-level block characters scaled between the series' min and max."""
    if not values:
        return ""
    low, high = min(values), max(values)
    span = high - low or 1.0
    return "".join(SPARKS[min(7, int((v - low) / span * 7.999))] for v in values)


def spoken(name: str, values: Sequence[float]) -> str:
    """A series as a screen reader should hear it: numbers, not glyphs."""
    first, last = values[0], values[-1]
    trend = "up" if last > first else "down" if last < first else "flat"
    return (
        f"{name}: {len(values)} point{'s' if len(values) != 1 else ''}, "
        f"from {first:g} to {last:g} ({trend}), "
        f"low {min(values):g}, high {max(values):g}"
    )


def describe(kind: str, report: LatestReport | None) -> str:
    """Plain text for @report: heading, series as numbers, then the report body."""
    who = ANALYSTS[kind].capitalize()
    if report is None:
        return (
            f"No {kind} report yet: {who} writes one each reflection cycle, and none has "
            "been stored so far."
        )
    lines = [f"{who}'s {kind} report, cycle {report.cycle_id}:"]
    lines.extend(spoken(name, values) for name, values in report.series.items())
    lines.append(report.text.strip())
    return "\n".join(lines)
