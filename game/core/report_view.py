"""A reflection report as sections and tables, built from the report's JSON body.

``@report`` and the admin console's Economy and Growth tabs read the same :class:`ReportView`:
line mode speaks it as one fact per line (headings as plain lines such as "Funnel:", every
table row as a sentence, never pipes or dashes), the full-screen UI draws each
:class:`Table` as a real table (game/fronts/tui/report_table.py). The fields come from
reflection/report.py ``to_json`` (Domingo's ``DomingoReport``, Cal's ``CalReport``); a body
missing some of them (an older report) just leaves those facts out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

SPARKS = "▁▂▃▄▅▆▇█"
SHOWN = 20
"""Unlocks and players listed (the JSON keeps the first 20 insights; SQLite has them all)."""


@dataclass(frozen=True, slots=True)
class Section:
    """A heading (may be empty) and its facts, one per line."""

    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A heading, a table for the screen, and the same rows as sentences for line mode."""

    heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    facts: tuple[str, ...]


Block = Section | Table


@dataclass(frozen=True, slots=True)
class ReportView:
    """A report's title, its charted series (name, values over the last reports), blocks."""

    title: str
    series: tuple[tuple[str, tuple[float, ...]], ...]
    blocks: tuple[Block, ...]

    def lines(self) -> list[str]:
        """Line mode: the title, the series as numbers, then each heading as "Heading:" and
        one fact per line."""
        out = [self.title]
        out.extend(spoken(name, values) for name, values in self.series)
        for block in self.blocks:
            facts = block.lines if isinstance(block, Section) else block.facts
            if not block.heading:
                out.extend(facts)
            elif facts:
                out.append(f"{block.heading}:")
                out.extend(facts)
            else:
                out.append(f"{block.heading}: none.")
        return out


def num(value: Any) -> str:
    """A count or amount as the Markdown report writes it (``:g``), 'n/a' when unknown."""
    if value is None:
        return "n/a"
    return f"{float(value):g}" if isinstance(value, int | float) else str(value)


def pct(value: Any, places: int = 1) -> str:
    """A share as a percentage without a useless ".0": 1.0 -> "100%", 0.6667 -> "66.7%"."""
    text = f"{float(value) * 100:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + "%"


def plural(count: Any, word: str) -> str:
    return f"{num(count)} {word}{'' if float(count) == 1 else 's'}"


def facts(*builders: Callable[[], str]) -> tuple[str, ...]:
    """The facts whose fields are all in the body; a missing field drops only its fact."""
    out = []
    for build in builders:
        try:
            out.append(build())
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return tuple(out)


def _signed(delta: Any) -> str:
    value = float(delta)
    if value == 0:
        return "no change on the previous 24 h"
    return f"{'+' if value > 0 else '-'}{num(abs(value))} on the previous 24 h"


def _flows(title: str, word: str, share_of: str, rows: Iterable[dict[str, Any]]) -> Table:
    rows = list(rows)
    cells = tuple(
        (
            num(r["code"]),
            str(r["label"]),
            num(r["count_24h"]),
            num(r["tokens_24h"]),
            pct(r["share_24h"]),
            f"{float(r['delta_24h']):+g}",
        )
        for r in rows
    )
    said = tuple(
        f"{word} {r['label']} (code {num(r['code'])}): {plural(r['count_24h'], 'transfer')}, "
        f"{plural(r['tokens_24h'], 'token')}, {pct(r['share_24h'])} of {share_of}, "
        f"{_signed(r['delta_24h'])}."
        for r in rows
    )
    head = ("Code", "Reason", "Count", "Tokens", "Share", "Δ vs previous 24 h")
    return Table(f"{title} in the last 24 hours", head, cells, said)


def economy(body: dict[str, Any]) -> tuple[Block, ...]:
    """Domingo's report (``DomingoReport``) as blocks."""
    s: dict[str, Any] = body.get("supply") or {}
    v: dict[str, Any] = body.get("velocity") or {}
    d: dict[str, Any] = body.get("distribution") or {}
    r: dict[str, Any] = body.get("runway") or {}
    infl = s.get("inflation_24h")
    rate = "n/a (the economy is younger than 24 hours)" if infl is None else pct(infl, 2)
    summary = facts(
        lambda: (
            f"Supply {num(s['supply'])}: minted {num(s['minted'])}, burned "
            f"{num(s['burned'])}, in escrow {num(s['escrow'])}."
        ),
        lambda: (
            f"Last 24 hours: minted {num(s['faucet_24h'])}, burned {num(s['sink_24h'])}, "
            f"net {num(s['net_24h'])}, inflation {rate}, "
            f"sinks per faucet {float(s['sink_faucet_ratio']):.2f}."
        ),
        lambda: (
            f"Velocity {float(v['velocity_24h']):.4f}; player-to-player share "
            f"{pct(v['p2p_share'])}."
        ),
        lambda: (
            f"Gini {num(d['gini'])}; the top 1% hold {pct(d['top1_share'])}, the top 10% "
            f"hold {pct(d['top10_share'])}; median balance {num(d['p50'])}."
        ),
        lambda: (
            f"Runway: {num(r['under_one_day'])} of {num(r['spenders_7d'])} spenders under "
            f"one day; predicted demand in the next 24 hours {num(r['demand_next_24h'])}."
        ),
        lambda: f"Capacity: {str(body['capacity']['advice']).rstrip('.')}.",
    )
    blocks: list[Block] = [Section("", summary)]
    if "faucets" in body:
        blocks.append(_flows("Faucets", "Faucet", "issuance", body["faucets"]))
    if "sinks" in body:
        blocks.append(_flows("Sinks", "Sink", "sinks", body["sinks"]))
    if body.get("escrow"):  # holds and mail tokens (4xx); older reports have none
        blocks.append(_flows("Escrow", "Escrow", "escrow flows", body["escrow"]))
    if "checks" in body:
        checks = [
            (str(c["name"]), "ok" if c["ok"] else "FAILED", str(c["detail"]))
            for c in body["checks"]
        ]
        said = tuple(f"Check {name}: {result}, {detail}." for name, result, detail in checks)
        blocks.append(Table("Ledger checks", ("Check", "Result", "Detail"), tuple(checks), said))
    for key, title in (("anomalies", "Anomalies"), ("recommendations", "Recommendations")):
        if key in body:
            blocks.append(Section(title, tuple(str(a) for a in body[key])))
    if "tuning" in body:
        blocks.append(
            Section(
                "Reward tuning",
                tuple(
                    f"Code {c['code']}: {num(c['old'])} to {num(c['new'])}, {c['reason']}."
                    for c in body["tuning"]
                )
                or ("No change.",),
            )
        )
    return tuple(blocks)


def growth(body: dict[str, Any]) -> tuple[Block, ...]:
    """Cal's report (``CalReport``) as blocks."""
    b = body
    summary = facts(
        lambda: (
            f"Players: {num(b['players_total'])}; active in the last 14 days: "
            f"{num(b['active_players'])}."
        ),
        lambda: (
            f"Daily active {num(b['dau'])}, weekly {num(b['wau'])}, monthly "
            f"{num(b['mau'])}; daily over monthly {float(b['stickiness']):.2f}."
        ),
    )
    retention = facts(
        *(
            (
                lambda name=name, v=v: (
                    f"{name.upper()} retention: {num(v['retained'])} of "
                    f"{num(v['cohort'])} ({pct(v['rate'])})."
                )
            )
            for name, v in (b.get("retention") or {}).items()
        )
    )
    blocks: list[Block] = [Section("", summary + retention)]
    if "funnel" in b:
        steps = b["funnel"]
        blocks.append(
            Table(
                "Funnel",
                ("Step", "Reached", "Conversion", "Drop-off"),
                tuple(
                    (str(f["title"]), num(f["reached"]), pct(f["conversion"]), pct(f["drop_off"]))
                    for f in steps
                ),
                tuple(
                    f"{f['title']}: {plural(f['reached'], 'player')} reached it, conversion "
                    f"{pct(f['conversion'])}, drop-off {pct(f['drop_off'])}."
                    for f in steps
                ),
            )
        )
    for key, title, column in (
        ("styles", "Play styles", "Style"),
        ("churn", "Churn risk", "Churn risk"),
    ):
        if key in b:
            counts = b[key]
            blocks.append(
                Table(
                    title,
                    (column, "Players"),
                    tuple((str(k), num(n)) for k, n in counts.items()),
                    tuple(f"{column} {k}: {plural(n, 'player')}." for k, n in counts.items()),
                )
            )
    if (b.get("feedback") or {}).get("total"):  # reports before feedback existed have none
        blocks.extend(_asks(b["feedback"]))
    if "unlocks" in b:
        unlocks = b["unlocks"]
        total = int(b.get("unlocks_total", len(unlocks)))
        lines = tuple(f"{u['player']}: {u['grant']}, {u['reason']}" for u in unlocks[:SHOWN])
        if total > len(lines):
            lines += (f"And {total - len(lines)} more.",)
        blocks.append(Section(f"Unlocks this cycle ({total})", lines))
    if "insights" in b:
        blocks.extend(_insights(b["insights"], int(b.get("insights_total", len(b["insights"])))))
    return tuple(blocks)


def _asks(f: dict[str, Any]) -> tuple[Block, ...]:
    """What players ask for most (bug, idea, typo): counts by kind, then the latest open."""
    kinds = f["total"]
    table = Table(
        "What players ask for",
        ("Kind", "Open", "Last 7 days", "All"),
        tuple(
            (str(k), num(f["open"].get(k, 0)), num(f["week"].get(k, 0)), num(n))
            for k, n in kinds.items()
        ),
        tuple(
            f"{k}: {num(f['open'].get(k, 0))} open, {num(f['week'].get(k, 0))} in the last "
            f"7 days, {num(n)} in all."
            for k, n in kinds.items()
        ),
    )
    latest = tuple(
        f"#{a['id']} {a['kind']} from {a['player']} ({a['room']}): {a['text']}"
        for a in f.get("recent_open") or []
    )
    return (table, Section("Latest open reports", latest)) if latest else (table,)


def _insights(insights: list[dict[str, Any]], total: int) -> tuple[Block, ...]:
    shown = insights[:SHOWN]
    heading = f"Players who played since the last report ({total}"
    heading += f"; the first {len(shown)} shown)" if total > len(shown) else ")"

    def mix(i: dict[str, Any]) -> str:
        return ", ".join(f"{k} {pct(v, 0)}" for k, v in (i.get("shares") or {}).items())

    rows = tuple(
        (str(i["player"]), str(i["style"]), mix(i), str(i["churn"]), str(i["next_milestone"] or ""))
        for i in shown
    )
    said = tuple(
        f"{i['player']}: plays as {i['style']} ({mix(i)}); churn risk {i['churn']}"
        + (f"; next milestone {i['next_milestone']}." if i["next_milestone"] else ".")
        for i in shown
    )
    table = Table(heading, ("Player", "Style", "Mix", "Churn risk", "Next milestone"), rows, said)
    tips = tuple(
        f"{i['player']}: {s['text']} ({s['rule']})" for i in shown for s in i.get("suggestions", ())
    )
    return (table, Section("Suggestions", tips)) if shown else (table,)


def sparkline(values: Iterable[float]) -> str:
    """Eight-level block characters scaled between the series' min and max."""
    values = list(values)
    if not values:
        return ""
    low, high = min(values), max(values)
    span = high - low or 1.0
    return "".join(SPARKS[min(7, int((v - low) / span * 7.999))] for v in values)


def spoken(name: str, values: Iterable[float]) -> str:
    """A series as a screen reader should hear it: numbers, not glyphs."""
    values = list(values)
    first, last = values[0], values[-1]
    trend = "up" if last > first else "down" if last < first else "flat"
    return (
        f"{name}: {len(values)} point{'s' if len(values) != 1 else ''}, "
        f"from {first:g} to {last:g} ({trend}), "
        f"low {min(values):g}, high {max(values):g}"
    )
