"""Charts for the admin dashboard, drawn on the server as SVG: no chart library, no script.

A report's series (token supply over time, faucets, sinks, retention... whatever Cal's and
Domingo's reports chart, game/core/report_view.py) become small line charts. Each chart is
an ``<svg role="img">`` with a title and a text alternative giving the first, last, lowest
and highest values, so the numbers are there for those who cannot see the line. Colours
and strokes are presentation attributes, not inline styles (the pages' CSP forbids those).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 320, 96, 8
LABEL = 40
"""Room on the left for the highest and lowest values, written on the chart."""


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    summary: str
    points: str  # the polyline's "x,y x,y ..."
    dots: tuple[tuple[float, float], ...]
    low: str
    high: str
    width: int = WIDTH
    height: int = HEIGHT


def number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def line_chart(title: str, values: Sequence[float]) -> Chart:
    """One series as a line scaled to its own range (a flat series is a flat line)."""
    values = [float(v) for v in values] or [0.0]
    low, high = min(values), max(values)
    span = high - low
    step = (WIDTH - 2 * PAD - LABEL) / max(1, len(values) - 1)

    def y(v: float) -> float:
        if not span:
            return HEIGHT / 2  # a flat series (or one value) runs through the middle
        return HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD)

    dots = tuple((round(PAD + LABEL + i * step, 1), round(y(v), 1)) for i, v in enumerate(values))
    name = title.replace("_", " ")
    summary = (
        f"{name}: {len(values)} values, from {number(values[0])} to {number(values[-1])}; "
        f"lowest {number(low)}, highest {number(high)}."
    )
    return Chart(
        title=name,
        summary=summary,
        points=" ".join(f"{x},{y}" for x, y in dots),
        dots=dots if len(dots) == 1 else (),
        low=number(low),
        high=number(high),
    )
