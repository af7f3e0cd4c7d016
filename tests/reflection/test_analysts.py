"""Cal and Domingo as pure functions of hand-built snapshots."""

from __future__ import annotations

import dataclasses

from reflection import cal, domingo
from reflection.facts import PlayerFacts
from reflection.report import domingo_markdown
from reflection.rules import parse
from reflection.schema import DAY_MS
from reflection.snapshot import Snapshot
from tests.reflection.population import NOW

RULES = parse(
    """
milestones:
  - {id: busy, title: Busy, when: {actions: 10}}
unlocks:
  - {id: vis, grant: "form:visual", when: {rooms: 6}, reason: "You walked {rooms} rooms."}
suggestions:
  - id: cook
    when: {verb.fish: 10, verb.cook: {max: 0}}
    text: "You have fished {verb.fish} times and never cooked."
prompts: {achieve: "Next skill?", mixed: "What next?"}
""",
    "t.yaml",
)


def facts(player: str, **metrics: float) -> PlayerFacts:
    base = {"actions": 20.0, "rooms": 2.0, "share.achieve": 0.6, "category.achieve": 12.0}
    base.update(metrics)
    return PlayerFacts(
        player, base, (NOW // DAY_MS - 3, NOW // DAY_MS - 2), frozenset(), frozenset()
    )


def test_cal_suggestion_states_its_numbers_and_unlock_its_reason() -> None:
    snap = Snapshot(
        NOW,
        "c1",
        players_total=2,
        active=(facts("ana", **{"verb.fish": 120.0}), facts("bo", rooms=7.0)),
    )
    report = cal.analyse(snap, RULES, NOW)
    ana, _bo = report.insights
    assert ana.style == "achieve"
    assert ana.prompt == "Next skill?"
    assert ana.suggestions[0].text == "You have fished 120 times and never cooked."
    assert ana.suggestions[0].numbers == {"verb.fish": 120.0, "verb.cook": 0}
    assert report.unlocks == [cal.Unlock("bo", "form:visual", "vis", "You walked 7 rooms.")]
    assert report.new_milestones == [("ana", "busy"), ("bo", "busy")]
    assert report.funnel[0].reached == 2
    assert report.funnel[0].conversion == 1.0


def test_cal_does_not_grant_twice_and_flags_churn() -> None:
    granted = PlayerFacts(
        "bo",
        {"rooms": 9.0, "actions": 1.0, "days_since_last": 5.0},
        (NOW // DAY_MS - 5,),
        frozenset(),
        frozenset({"form:visual"}),
    )
    report = cal.analyse(Snapshot(NOW, "c1", active=(granted,)), RULES, NOW)
    assert report.unlocks == []
    assert report.insights[0].churn == "high"
    assert report.insights[0].style == "mixed"


def _inflating(mult: dict[int, float] | None = None) -> Snapshot:
    return Snapshot(
        NOW,
        "c1",
        balances=(0, 10, 90, 900),
        escrow=0,
        mint=-1020,  # a consistent ledger: 1020 minted, 20 burned, 1000 held
        sink=20,
        economy_since=NOW - 3 * DAY_MS,
        flows_24h={101: (50, 800), 201: (10, 20)},
        multipliers=mult or {},
    )


def test_domingo_tuning_is_bounded_and_only_when_enabled() -> None:
    off = domingo.analyse(_inflating(), domingo.Policy(tuning=False), NOW)
    assert off.tuning == []
    assert off.recommendations
    assert "800 minted" in off.recommendations[0]
    on = domingo.analyse(_inflating(), domingo.Policy(tuning=True, band=0.2, step=0.05), NOW)
    assert [(c.code, c.old, c.new) for c in on.tuning] == [(101, 1.0, 0.95)]
    floor = domingo.analyse(_inflating({101: 0.8}), domingo.Policy(tuning=True, band=0.2), NOW)
    assert floor.tuning == []  # already at the edge of the band


def test_domingo_distribution_and_dominant_faucet() -> None:
    r = domingo.analyse(_inflating(), domingo.Policy(), NOW)
    assert r.supply["supply"] == 1000
    assert r.supply["net_24h"] == 780
    assert r.distribution["gini"] == domingo.gini((0, 10, 90, 900))
    assert r.distribution["p50"] == 10
    assert r.distribution["p99"] == 900
    assert any("daily bonus" in a for a in r.anomalies)


def test_domingo_says_na_for_inflation_of_an_economy_younger_than_a_day() -> None:
    """Issue 13: a first report said "24h: minted 150, inflation 284%", the next "0.00%"."""
    young = dataclasses.replace(_inflating(), economy_since=NOW - 3_600_000)
    r = domingo.analyse(young, domingo.Policy(tuning=True), NOW)
    assert r.supply["inflation_24h"] is None
    assert r.tuning == []
    assert not any("inflation" in x for x in r.recommendations)
    assert "inflation n/a (the economy is younger than 24 hours)" in domingo_markdown(r)


def test_domingo_earnings_anomaly_against_cohort() -> None:
    earners = (*tuple((f"p{i}", 1, 10) for i in range(30)), ("bot", 1, 5000))
    r = domingo.analyse(Snapshot(NOW, "c1", earners_7d=earners), domingo.Policy(), NOW)
    assert len(r.anomalies) == 1
    assert r.anomalies[0].startswith("bot earned 5000")


def test_domingo_capacity_trend() -> None:
    hour = NOW // 3_600_000
    hourly = tuple((hour - 10 + i, 1000 * (i + 1), 2.0 * 1000 * (i + 1)) for i in range(10))
    r = domingo.analyse(Snapshot(NOW, "c1", hourly=hourly), domingo.Policy(), NOW)
    assert r.capacity["ms_per_action"] == 2.0
    assert r.capacity["trend_per_hour"] == 1000.0
    assert "hours" in str(r.capacity["advice"])


def test_domingo_tuning_leaves_prices_and_grants_alone() -> None:
    sales = Snapshot(
        NOW,
        "c1",
        balances=(10, 990),
        mint=-1000,
        economy_since=NOW - 3 * DAY_MS,
        flows_24h={104: (50, 700), 102: (5, 50)},
    )
    r = domingo.analyse(sales, domingo.Policy(tuning=True), NOW)
    assert [c.code for c in r.tuning] == [102]  # shop sales (104) are larger but a price
