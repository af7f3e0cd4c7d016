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


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: str
    x: float
    y: float
    height: float


@dataclass(frozen=True, slots=True)
class BarChart:
    title: str
    summary: str
    bars: tuple[Bar, ...]
    bar_width: float
    width: int = WIDTH
    height: int = HEIGHT + 2 * PAD  # room under the bars for their labels


def bar_chart(title: str, items: Sequence[tuple[str, float]], unit: str = "") -> BarChart:
    """Labelled values as bars from a zero baseline (a distribution, retention rates)."""
    top = max((v for _, v in items), default=0.0) or 1.0
    slot = (WIDTH - 2 * PAD) / max(1, len(items))
    bars = []
    for i, (label, value) in enumerate(items):
        h = round(max(0.0, value) / top * (HEIGHT - 3 * PAD), 1)
        bars.append(
            Bar(label, number(value) + unit, round(PAD + i * slot + slot * 0.15, 1), HEIGHT - h, h)
        )
    said = "; ".join(f"{label} {number(value)}{unit}" for label, value in items)
    return BarChart(title, f"{title}: {said}.", tuple(bars), round(slot * 0.7, 1))


def report_bars(kind: str, body: dict[str, object]) -> list[BarChart]:
    """The bar charts a report's body gives: the wealth distribution (Domingo), retention
    (Cal). A body without those figures (an older report) gives none."""
    out = []
    dist = body.get("distribution")
    if kind == "economy" and isinstance(dist, dict) and "p50" in dist:
        points = [(f"p{q}", float(dist[f"p{q}"])) for q in (10, 50, 90, 99) if f"p{q}" in dist]
        out.append(bar_chart("Wealth distribution: balance at each percentile", points))
    retention = body.get("retention")
    if kind == "growth" and isinstance(retention, dict) and retention:
        rates = [
            (name.upper(), 100 * float(v["rate"]))
            for name, v in retention.items()
            if isinstance(v, dict) and "rate" in v
        ]
        if rates:
            out.append(bar_chart("Retention", rates, "%"))
    return out
