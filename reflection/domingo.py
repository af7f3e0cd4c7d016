"""Domingo, the economy analyst: a pure function from (snapshot, policy, now) to a report.

Modelled on EVE's monthly economic report (research/ledger_economy.md 4a): supply, minted and
burned, issuance and inflation, faucets and sinks by reason code, velocity, distribution,
runway and predicted demand, ledger invariants, anomalies, recommendations that show their
numbers, opt-in bounded reward tuning, and a capacity estimate.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from economy.reasons import is_escrow, is_faucet, is_p2p, is_sink, label
from reflection.snapshot import Flows, Snapshot

INFLATION_HIGH = 0.02
"""Net issuance above 2% of supply in 24 h is inflationary (and below -2% deflationary)."""
DOMINANT_FAUCET = 0.6
ANOMALY_Z = 4.0
CORE_BUDGET = 0.7
"""Share of one core the game loop may spend on commands before another process is due."""


@dataclass(frozen=True, slots=True)
class Policy:
    tuning: bool = False
    band: float = 0.2
    step: float = 0.05
    tunable: frozenset[int] = frozenset({101, 102, 103, 105, 108})
    """Reward codes tuning may touch: daily bonus, exploration, quest, skill and combat rewards.
    Shop sales are prices and grants are decisions of people or plugins, so they stay."""


@dataclass(frozen=True, slots=True)
class Change:
    code: int
    old: float
    new: float
    reason: str


@dataclass(frozen=True, slots=True)
class DomingoReport:
    cycle_id: str
    now_ms: int
    supply: dict[str, float | None]
    faucets: list[dict[str, float | str]]
    sinks: list[dict[str, float | str]]
    velocity: dict[str, float]
    distribution: dict[str, object]
    runway: dict[str, float]
    checks: list[dict[str, object]]
    anomalies: list[str]
    recommendations: list[str]
    tuning: list[Change]
    capacity: dict[str, float | str]
    multipliers: dict[str, float] = field(default_factory=dict)
    escrow: list[dict[str, float | str]] = field(default_factory=list)
    """4xx flows: holds and mail tokens, which move tokens without minting or burning."""


def _sum(flows: Flows, pick: Callable[[int], bool]) -> int:
    return sum(t for c, (_, t) in flows.items() if pick(c))


def gini(sorted_values: tuple[int, ...]) -> float:
    n = len(sorted_values)
    total = sum(sorted_values)
    if n == 0 or total <= 0:
        return 0.0
    weighted = sum((i + 1) * v for i, v in enumerate(sorted_values))
    return round(2 * weighted / (n * total) - (n + 1) / n, 4)


def percentile(sorted_values: tuple[int, ...], p: float) -> int:
    """Nearest-rank percentile (the value at rank ceil(p/100 * n))."""
    if not sorted_values:
        return 0
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def _by_code(
    now: Flows, prev: Flows, everything: Flows, pick: Callable[[int], bool]
) -> list[dict[str, float | str]]:
    total = _sum(now, pick)
    rows: list[dict[str, float | str]] = []
    for code in sorted({c for c in (*now, *everything) if pick(c)}):
        n, t = now.get(code, (0, 0))
        rows.append(
            {
                "code": code,
                "label": label(code),
                "count_24h": n,
                "tokens_24h": t,
                "share_24h": round(t / total, 4) if total else 0.0,
                "delta_24h": t - prev.get(code, (0, 0))[1],
                "tokens_all": everything.get(code, (0, 0))[1],
            }
        )
    return sorted(rows, key=lambda r: (-float(r["tokens_24h"]), int(r["code"])))


def _ewma(series: list[int], alpha: float = 0.5) -> float:
    level = float(series[0]) if series else 0.0
    for value in series[1:]:
        level = alpha * value + (1 - alpha) * level
    return round(level, 2)


def _anomalies(s: Snapshot) -> list[str]:
    cohorts: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for player, cohort, earned in s.earners_7d:
        cohorts[cohort].append((player, earned))
    found: list[tuple[float, str]] = []
    for members in cohorts.values():
        if len(members) < 10:
            continue
        values = [e for _, e in members]
        mean, sd = statistics.fmean(values), statistics.pstdev(values)
        for player, earned in members:
            z = (earned - mean) / sd if sd else 0.0
            if z >= ANOMALY_Z:
                found.append(
                    (
                        z,
                        f"{player} earned {earned} tokens in 7 days, z={z:.1f} against "
                        f"{len(members)} players of the same signup week (mean {mean:.1f})",
                    )
                )
    return [text for _, text in sorted(found, key=lambda f: (-f[0], f[1]))[:10]]


def _capacity(s: Snapshot) -> dict[str, float | str]:
    hours = [(h, a, c) for h, a, c in s.hourly if h < s.now_ms // 3_600_000][-24:]
    actions = sum(a for _, a, _ in hours)
    ms_per_action = sum(c for _, _, c in hours) / actions if actions else 0.0
    last = hours[-1][1] if hours else 0
    slope = 0.0
    if len(hours) >= 2:
        xs = [h for h, _, _ in hours]
        ys = [a for _, a, _ in hours]
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        var = sum((x - mx) ** 2 for x in xs)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0
    load = last * ms_per_action / 3_600_000
    limit = CORE_BUDGET * 3_600_000 / ms_per_action if ms_per_action else math.inf
    if last >= limit:
        advice = "add a process now: the last hour used more than 70% of one core on commands"
    elif slope > 0 and math.isfinite(limit):
        hours_left = (limit - last) / slope
        advice = f"at the current trend the loop reaches 70% of a core in {hours_left:.0f} hours"
    else:
        advice = "no growth trend: one process is enough"
    return {
        "actions_last_hour": last,
        "trend_per_hour": round(slope, 2),
        "ms_per_action": round(ms_per_action, 3),
        "core_load": round(load, 4),
        "actions_per_hour_limit": round(limit, 0) if math.isfinite(limit) else -1.0,
        "advice": advice,
    }


def analyse(s: Snapshot, policy: Policy, now_ms: int) -> DomingoReport:
    supply = -(s.mint + s.sink)  # minted less burned: players' balances plus escrow
    faucet_24h, sink_24h = _sum(s.flows_24h, is_faucet), _sum(s.flows_24h, is_sink)
    net = faucet_24h - sink_24h
    base = supply - net  # the supply 24 h ago
    day_old = s.economy_since is not None and s.economy_since <= now_ms - 86_400_000
    # Growth against a supply that did not exist 24 h ago is no rate: say "n/a", not 284%.
    inflation: float | None = round(net / base, 4) if day_old and base > 0 else None
    week = [d for d in s.daily if d[0] > now_ms // 86_400_000 - 7]
    p2p = _sum(s.flows_24h, is_p2p)
    n = len(s.balances)
    total = sum(s.balances)
    desc = sorted(s.balances, reverse=True)
    runways = sorted(b / (spent / 7) for _, spent, b in s.spenders_7d)
    faucets = _by_code(s.flows_24h, s.flows_prev_24h, s.flows_all, is_faucet)
    top_faucet = faucets[0] if faucets else None
    anomalies = _anomalies(s)
    if top_faucet and faucet_24h >= 100 and float(top_faucet["share_24h"]) > DOMINANT_FAUCET:
        anomalies.append(
            f"faucet {top_faucet['label']} ({top_faucet['code']}) is "
            f"{float(top_faucet['share_24h']):.0%} of 24h issuance"
            f" ({top_faucet['tokens_24h']} of {faucet_24h})"
        )
    ratio = round(sink_24h / faucet_24h, 3) if faucet_24h else 0.0
    recs: list[str] = []
    if inflation is not None and inflation > INFLATION_HIGH and ratio < 0.8:
        recs.append(
            f"inflation {inflation:.2%} in 24h with sinks at {ratio:.2f} of faucets "
            f"({sink_24h} burned, {faucet_24h} minted): raise a sink price or lower the top faucet"
        )
    if inflation is not None and inflation < -INFLATION_HIGH:
        recs.append(
            f"deflation {inflation:.2%} in 24h ({sink_24h} burned, {faucet_24h} minted): "
            "rewards are too small for what things cost"
        )
    short = sum(r < 1 for r in runways)
    if runways and short / len(runways) > 0.2:
        recs.append(
            f"{short} of {len(runways)} spenders have less than one day of runway: "
            "offer a cheaper path or a free-tier top-up"
        )
    checks = [{"name": name, "ok": ok, "detail": detail} for name, ok, detail in s.checks]
    if not all(ok for _, ok, _ in s.checks):
        recs.insert(0, "ledger invariant failed: stop rewards and run `sshrealm ledger verify`")
    tuning: list[Change] = []
    tunable = [f for f in faucets if int(f["code"]) in policy.tunable and float(f["tokens_24h"])]
    if policy.tuning and tunable and inflation is not None and abs(inflation) > INFLATION_HIGH:
        top_faucet = tunable[0]  # the largest reward faucet in the last 24 h
        code = int(top_faucet["code"])
        old = s.multipliers.get(code, 1.0)
        step = -policy.step if inflation > 0 else policy.step
        new = round(min(1 + policy.band, max(1 - policy.band, old + step)), 4)
        if new != old:
            tuning.append(
                Change(
                    code,
                    old,
                    new,
                    f"inflation {inflation:.2%} in 24h; "
                    f"{top_faucet['label']} is {float(top_faucet['share_24h']):.0%} of issuance",
                )
            )
    return DomingoReport(
        cycle_id=s.cycle_id,
        now_ms=now_ms,
        supply={
            "supply": supply,
            "minted": -s.mint,
            "burned": s.sink,
            "escrow": s.escrow,
            "faucet_24h": faucet_24h,
            "sink_24h": sink_24h,
            "net_24h": net,
            "net_7d": sum(f - k for _, f, k in week),
            "inflation_24h": inflation,
            "sink_faucet_ratio": ratio,
            "new_wallets_24h": s.new_wallets_24h,
        },
        faucets=faucets,
        sinks=_by_code(s.flows_24h, s.flows_prev_24h, s.flows_all, is_sink),
        velocity={
            "velocity_24h": round(sink_24h / supply, 4) if supply else 0.0,
            "p2p_24h": p2p,
            "p2p_share": round(p2p / (p2p + sink_24h), 4) if p2p + sink_24h else 0.0,
            "spend_per_spender_7d": round(
                sum(x for _, x, _ in s.spenders_7d) / len(s.spenders_7d), 2
            )
            if s.spenders_7d
            else 0.0,
        },
        distribution={
            "wallets": n,
            "gini": gini(s.balances),
            "top1_share": round(sum(desc[: max(1, n // 100)]) / total, 4) if total else 0.0,
            "top10_share": round(sum(desc[: max(1, n // 10)]) / total, 4) if total else 0.0,
            "p10": percentile(s.balances, 10),
            "p50": percentile(s.balances, 50),
            "p90": percentile(s.balances, 90),
            "p99": percentile(s.balances, 99),
            "zero_share": round(sum(b == 0 for b in s.balances) / n, 4) if n else 0.0,
            "top10": [list(t) for t in s.top],
        },
        runway={
            "spenders_7d": len(runways),
            "under_one_day": short,
            "median_days": round(statistics.median(runways), 2) if runways else 0.0,
            "demand_next_24h": _ewma([k for _, _, k in s.daily]),
            "issuance_next_24h": _ewma([f for _, f, _ in s.daily]),
        },
        checks=checks,
        anomalies=anomalies,
        recommendations=recs,
        tuning=tuning,
        capacity=_capacity(s),
        multipliers={str(c): v for c, v in sorted(s.multipliers.items())},
        escrow=_by_code(s.flows_24h, s.flows_prev_24h, s.flows_all, is_escrow),
    )
