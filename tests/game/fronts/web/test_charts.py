"""Server-side SVG charts: scaled into the box, with the numbers as text for everyone."""

from __future__ import annotations

from game.fronts.web.charts import HEIGHT, LABEL, PAD, WIDTH, line_chart, report_bars


def test_a_series_fills_the_box_and_is_described_in_words() -> None:
    chart = line_chart("token_supply", [10, 30, 20])
    points = [tuple(map(float, p.split(","))) for p in chart.points.split()]
    assert points[0] == (PAD + LABEL, HEIGHT - PAD)  # the lowest value on the bottom edge
    assert points[1] == ((WIDTH + LABEL) / 2, PAD)  # the highest on the top edge
    assert points[-1][0] == WIDTH - PAD
    assert chart.summary == "token supply: 3 values, from 10 to 20; lowest 10, highest 30."


def test_one_value_is_a_dot_and_a_flat_series_is_flat() -> None:
    one = line_chart("Retention D1", [0.5])
    assert len(one.dots) == 1
    assert "from 0.50 to 0.50" in one.summary
    flat = line_chart("Sinks", [4, 4, 4])
    assert {p.split(",")[1] for p in flat.points.split()} == {str(HEIGHT / 2)}


def test_reports_give_a_wealth_distribution_and_retention_as_bars() -> None:
    body = {"distribution": {"p10": 0, "p50": 10, "p90": 40, "p99": 80, "gini": 0.5}}
    (wealth,) = report_bars("economy", body)
    assert [b.label for b in wealth.bars] == ["p10", "p50", "p90", "p99"]
    assert wealth.bars[-1].height == HEIGHT - 3 * PAD  # the largest fills the height
    assert wealth.bars[0].height == 0
    assert wealth.summary.endswith("p10 0; p50 10; p90 40; p99 80.")
    (kept,) = report_bars("growth", {"retention": {"d1": {"rate": 0.5}, "d7": {"rate": 0.25}}})
    assert kept.summary == "Retention: D1 50%; D7 25%."
    assert report_bars("economy", {}) == []
