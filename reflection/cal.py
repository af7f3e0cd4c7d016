"""Cal, the growth analyst: a pure function from (snapshot, rules, now) to a report.

Per active player: a play-style profile from the action mix, milestones against the
content's funnel, at most ``max_suggestions`` suggestions that each carry the rule and the
numbers behind them, a reflection prompt, a churn risk, and the unlocks the rules grant.
Server-wide: the funnel with drop-off per step, D1/D7 retention, DAU/WAU/MAU. Nothing here
reads a clock, a database or a random generator, so a replayed cycle gives the same report.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass, field

from reflection.facts import PlayerFacts
from reflection.feedback import FeedbackDigest
from reflection.rules import GrowthRules, Rule
from reflection.schema import CATEGORIES, DAY_MS
from reflection.snapshot import Snapshot

DOMINANT_SHARE = 0.4
"""A style is dominant when its share of actions is at least this; otherwise "mixed"."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    rule: str
    text: str
    numbers: dict[str, float]


@dataclass(frozen=True, slots=True)
class Unlock:
    player: str
    grant: str
    rule: str
    reason: str


@dataclass(frozen=True, slots=True)
class Insight:
    player: str
    shares: dict[str, float]
    style: str
    milestones: list[str]
    next_milestone: str
    suggestions: list[Suggestion]
    prompt: str
    churn: str
    days_since_last: int
    median_gap: float
    unlocks: list[Unlock] = field(default_factory=list)
    last_ts: int = 0
    days: int = 0


@dataclass(frozen=True, slots=True)
class FunnelStep:
    id: str
    title: str
    reached: int
    conversion: float
    drop_off: float


@dataclass(frozen=True, slots=True)
class CalReport:
    cycle_id: str
    now_ms: int
    players_total: int
    active_players: int
    dau: int
    wau: int
    mau: int
    stickiness: float
    retention: dict[str, dict[str, float]]
    funnel: list[FunnelStep]
    styles: dict[str, int]
    churn: dict[str, int]
    new_milestones: list[tuple[str, str]]
    unlocks: list[Unlock]
    insights: list[Insight]
    feedback: FeedbackDigest = field(default_factory=FeedbackDigest)
    """What players ask for most: bug, idea and typo counts, and the latest open items."""


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def style_of(facts: PlayerFacts) -> tuple[dict[str, float], str]:
    shares = {c: float(facts.metrics.get(f"share.{c}", 0.0)) for c in CATEGORIES}
    best = max(CATEGORIES, key=lambda c: (shares[c], -CATEGORIES.index(c)))
    return shares, best if shares[best] >= DOMINANT_SHARE else "mixed"


def churn_of(facts: PlayerFacts, today: int) -> tuple[str, int, float]:
    """Risk from days since the last action against the player's own median gap."""
    since = int(facts.metrics.get("days_since_last", 0))
    days = facts.active_days
    gaps = [b - a for a, b in itertools.pairwise(days)]
    median_gap = float(statistics.median(gaps)) if gaps else 1.0
    if since <= max(1.0, median_gap):
        risk = "low"
    elif since <= 2 * max(1.0, median_gap):
        risk = "medium"
    else:
        risk = "high"
    if len(days) <= 1 and since >= 2:
        risk = "high"
    return risk, since, median_gap


def _missing(rule: Rule, metrics: dict[str, float]) -> str:
    parts = []
    for c in rule.when:
        have = metrics.get(c.metric, 0)
        if c.low is not None and have < c.low:
            parts.append(f"{c.metric} {have:g} of {c.low:g}")
    return f"{rule.text} ({', '.join(parts)})" if parts else rule.text


def _insight(facts: PlayerFacts, rules: GrowthRules, today: int) -> tuple[Insight, list[str]]:
    metrics = dict(facts.metrics)
    shares, style = style_of(facts)
    reached = [m.id for m in rules.milestones if m.id in facts.milestones or m.holds(metrics)]
    new = [m for m in reached if m not in facts.milestones]
    pending = [m for m in rules.milestones if m.id not in reached]
    unlocks = [
        Unlock(facts.player, u.grant, u.id, u.render(metrics))
        for u in rules.unlocks
        if u.grant not in facts.unlocks and u.holds(metrics)
    ]
    suggestions = [
        Suggestion(s.id, s.render(metrics), s.numbers(metrics))
        for s in rules.suggestions
        if s.holds(metrics)
    ][: rules.max_suggestions]
    risk, since, gap = churn_of(facts, today)
    insight = Insight(
        player=facts.player,
        shares=shares,
        style=style,
        milestones=reached,
        next_milestone=_missing(pending[0], metrics) if pending else "",
        suggestions=suggestions,
        prompt=rules.prompts.get(style, rules.prompts.get("mixed", "")),
        churn=risk,
        days_since_last=since,
        median_gap=gap,
        unlocks=unlocks,
        last_ts=facts.last_ts,
        days=len(facts.active_days),
    )
    return insight, new


def analyse(snapshot: Snapshot, rules: GrowthRules, now_ms: int) -> CalReport:
    today = now_ms // DAY_MS
    insights: list[Insight] = []
    new_milestones: list[tuple[str, str]] = []
    for facts in snapshot.active:
        insight, new = _insight(facts, rules, today)
        insights.append(insight)
        new_milestones.extend((facts.player, m) for m in new)
    counts = dict(snapshot.milestone_counts)
    for _, milestone in new_milestones:
        counts[milestone] = counts.get(milestone, 0) + 1
    funnel: list[FunnelStep] = []
    previous = snapshot.players_total
    for m in rules.milestones:
        reached = counts.get(m.id, 0)
        conversion = _rate(reached, previous)
        funnel.append(FunnelStep(m.id, m.text, reached, conversion, round(1 - conversion, 4)))
        previous = reached
    styles = {s: snapshot.standing_styles.get(s, 0) for s in (*CATEGORIES, "mixed")}
    churn = {r: snapshot.standing_churn.get(r, 0) for r in ("low", "medium", "high")}
    for i in insights:
        styles[i.style] += 1
        churn[i.churn] += 1
    return CalReport(
        cycle_id=snapshot.cycle_id,
        now_ms=now_ms,
        players_total=snapshot.players_total,
        active_players=len(insights) + sum(snapshot.standing_styles.values()),
        dau=snapshot.dau,
        wau=snapshot.wau,
        mau=snapshot.mau,
        stickiness=_rate(snapshot.dau, snapshot.mau),
        retention={
            "d1": {
                "cohort": snapshot.d1[0],
                "retained": snapshot.d1[1],
                "rate": _rate(snapshot.d1[1], snapshot.d1[0]),
            },
            "d7": {
                "cohort": snapshot.d7[0],
                "retained": snapshot.d7[1],
                "rate": _rate(snapshot.d7[1], snapshot.d7[0]),
            },
        },
        funnel=funnel,
        styles=styles,
        churn=churn,
        new_milestones=new_milestones,
        unlocks=[u for i in insights for u in i.unlocks],
        insights=insights,
        feedback=snapshot.feedback,
    )
