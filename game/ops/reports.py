"""The latest Cal (growth) and Domingo (economy) reports, for @report and the admin screen.

Reports are stored by the reflection cycle in ``refl_reports`` (one row per cycle and
analyst; see reflection/schema.py). This module only reads: it finds the newest body,
decodes it when it is JSON, and pulls out numeric series (supply, faucets, sinks over time)
so the admin screen can draw sparklines and line mode can read them as numbers. Before the
first cycle has run there is simply no report, and both say so.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

ANALYSTS = {"economy": "domingo", "growth": "cal"}
SPARKS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class LatestReport:
    analyst: str
    cycle_id: str
    created_ms: int
    text: str
    series: dict[str, list[float]] = field(default_factory=dict)


def latest(conn: sqlite3.Connection, analyst: str) -> LatestReport | None:
    """The newest report by ``analyst`` ("cal" or "domingo"), or None if none exists yet."""
    try:
        row = conn.execute(
            "SELECT cycle_id, created_ms, body FROM refl_reports WHERE analyst = ? COLLATE NOCASE"
            " ORDER BY created_ms DESC LIMIT 1",
            (analyst,),
        ).fetchone()
    except sqlite3.OperationalError:  # the reflection tables are not there yet
        return None
    if row is None:
        return None
    cycle_id, created_ms, body = str(row[0]), int(row[1]), str(row[2])
    text, series = _decode(body)
    return LatestReport(analyst, cycle_id, created_ms, text, series)


def _decode(body: str) -> tuple[str, dict[str, list[float]]]:
    try:
        data = json.loads(body)
    except ValueError:
        return body, {}
    if not isinstance(data, dict):
        return body, {}
    series: dict[str, list[float]] = {}
    _find_series(data, "", series)
    for key in ("markdown", "summary", "text"):
        if isinstance(data.get(key), str):
            return str(data[key]), series
    return json.dumps(data, indent=2, sort_keys=True), series


def _find_series(data: Any, prefix: str, out: dict[str, list[float]], depth: int = 0) -> None:
    """Lists of at least two numbers (or of {"value": n} points), up to two levels deep."""
    if depth > 2 or not isinstance(data, dict):
        return
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, list) and len(value) >= 2:
            numbers = [_number(v) for v in value]
            if all(n is not None for n in numbers):
                out[name] = [float(n) for n in numbers if n is not None]
        elif isinstance(value, dict):
            _find_series(value, f"{name}.", out, depth + 1)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dict):
        for key in ("value", "total", "amount"):
            if isinstance(value.get(key), int | float):
                return float(value[key])
    return None


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
        f"{name}: {len(values)} points, from {first:g} to {last:g} ({trend}), "
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
