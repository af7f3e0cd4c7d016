"""Reports as JSON (for machines and replays) and Markdown (for people): one pair per analyst
per cycle under ``<data_dir>/reports/<cycle_id>/``."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

from reflection.cal import CalReport
from reflection.domingo import DomingoReport

MD_INSIGHTS = 20
"""Players listed in the Markdown growth report (all of them are in SQLite and the JSON)."""


def to_json(report: CalReport | DomingoReport) -> str:
    """The report as JSON; Cal's lists the first MD_INSIGHTS insights (every one is stored
    per player in ``refl_insights``), so the file stays small at 100k players."""
    body = dataclasses.asdict(report)
    if isinstance(report, CalReport):
        body["insights_total"] = len(report.insights)
        body["insights"] = body["insights"][:MD_INSIGHTS]
        body["unlocks_total"] = len(report.unlocks)
    return json.dumps(body, sort_keys=True, separators=(",", ":"))


def _table(head: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out.extend("| " + " | ".join(str(c) for c in row) + " |" for row in rows)
    return out


def cal_markdown(r: CalReport) -> str:
    lines = [f"# Cal — growth report, cycle {r.cycle_id}", ""]
    lines += [
        f"- Players: {r.players_total}; active in the last 14 days: {r.active_players}",
        f"- DAU {r.dau}, WAU {r.wau}, MAU {r.mau}; DAU/MAU {r.stickiness:.2f}",
    ]
    for name, v in r.retention.items():
        lines.append(
            f"- {name.upper()} retention: {v['retained']:g} of {v['cohort']:g} ({v['rate']:.1%})"
        )
    lines += ["", "## Funnel", ""]
    lines += _table(
        ["step", "reached", "conversion", "drop-off"],
        [[f.title, f.reached, f"{f.conversion:.1%}", f"{f.drop_off:.1%}"] for f in r.funnel],
    )
    lines += ["", "## Play styles and churn risk", ""]
    lines += _table(["style", "players"], [[k, v] for k, v in r.styles.items()])
    lines += ["", *_table(["churn risk", "players"], [[k, v] for k, v in r.churn.items()])]
    lines += ["", *_asks(r)]
    lines += ["", f"## Unlocks this cycle ({len(r.unlocks)})", ""]
    lines += [f"- {u.player}: {u.grant} — {u.reason}" for u in r.unlocks[:MD_INSIGHTS]]
    shown = f"; the first {MD_INSIGHTS} shown" if len(r.insights) > MD_INSIGHTS else ""
    lines += ["", f"## Players who played since the last report ({len(r.insights)}{shown})", ""]
    for i in r.insights[:MD_INSIGHTS]:
        mix = ", ".join(f"{k} {v:.0%}" for k, v in i.shares.items())
        lines.append(f"### {i.player}: {i.style} ({mix}); churn {i.churn}")
        lines += [f"- {s.text} [{s.rule}]" for s in i.suggestions]
        if i.next_milestone:
            lines.append(f"- Next milestone: {i.next_milestone}")
        lines.append("")
    return "\n".join(lines) + "\n"


def _asks(r: CalReport) -> list[str]:
    """What players ask for most (bug, idea, typo), and the latest open items."""
    f = r.feedback
    lines = ["## What players ask for", ""]
    if not f.total:
        return [*lines, "- nothing filed yet (players use bug, idea and typo)"]
    lines += _table(
        ["kind", "open", "last 7 days", "all"],
        [[k, f.open.get(k, 0), f.week.get(k, 0), n] for k, n in f.total.items()],
    )
    if f.recent_open:
        lines += ["", "Latest open:"]
        lines += [f"- #{a.id} {a.kind} from {a.player} ({a.room}): {a.text}" for a in f.recent_open]
    return lines


def _rate(value: float | None) -> str:
    return "n/a (the economy is younger than 24 hours)" if value is None else f"{value:.2%}"


def domingo_markdown(r: DomingoReport) -> str:
    s = r.supply
    lines = [f"# Domingo — economy report, cycle {r.cycle_id}", ""]
    lines += [
        f"- Supply {s['supply']:g} (minted {s['minted']:g}, burned {s['burned']:g},"
        f" escrow {s['escrow']:g})",
        f"- 24h: minted {s['faucet_24h']:g}, burned {s['sink_24h']:g}, net {s['net_24h']:g}, "
        f"inflation {_rate(s['inflation_24h'])}, sinks/faucets {s['sink_faucet_ratio']:.2f}",
        f"- Velocity {r.velocity['velocity_24h']:.4f}; p2p share {r.velocity['p2p_share']:.1%}",
        f"- Gini {r.distribution['gini']}; top 1% hold {r.distribution['top1_share']}, "
        f"top 10% hold {r.distribution['top10_share']}; p50 {r.distribution['p50']}",
        f"- Runway: {r.runway['under_one_day']:g} of {r.runway['spenders_7d']:g} spenders"
        " under one day; "
        f"predicted demand next 24h {r.runway['demand_next_24h']:g}",
        f"- Capacity: {r.capacity['advice']}",
        "",
    ]
    for title, rows in (("Faucets", r.faucets), ("Sinks", r.sinks), ("Escrow", r.escrow)):
        lines += [f"## {title} (24h)", ""]
        lines += _table(
            ["code", "reason", "count", "tokens", "share", "Δ vs previous 24h"],
            [
                [
                    x["code"],
                    x["label"],
                    x["count_24h"],
                    x["tokens_24h"],
                    f"{float(x['share_24h']):.1%}",
                    x["delta_24h"],
                ]
                for x in rows
            ],
        )
        lines.append("")
    lines += ["## Ledger checks", ""]
    lines += [f"- {'ok' if c['ok'] else 'FAILED'} {c['name']}: {c['detail']}" for c in r.checks]
    for title, items in (("Anomalies", r.anomalies), ("Recommendations", r.recommendations)):
        lines += ["", f"## {title}", ""] + ([f"- {a}" for a in items] or ["- none"])
    lines += ["", "## Reward tuning", ""]
    lines += [f"- code {c.code}: {c.old:g} -> {c.new:g} ({c.reason})" for c in r.tuning] or [
        "- no change"
    ]
    return "\n".join(lines) + "\n"


def write(folder: Path, analyst: str, body_json: str, markdown: str) -> Path:
    """Write ``<analyst>.json`` and ``<analyst>.md`` atomically (rename over a temp file)."""
    folder.mkdir(parents=True, exist_ok=True)
    for suffix, text in ((".json", body_json), (".md", markdown)):
        target = folder / f"{analyst}{suffix}"
        tmp = target.with_suffix(suffix + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    return folder / f"{analyst}.md"
