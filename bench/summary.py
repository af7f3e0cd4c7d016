"""The Markdown table the README quotes, made from bench/results/ssh.json."""

from __future__ import annotations

from typing import Any


def _v(value: Any, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:g}{unit}"


def _check(value: Any, limit: float) -> str:
    if value is None:
        return "n/a"
    return f"{value:g} {'✅' if value <= limit else '❌'}"


def ssh_summary(doc: dict[str, Any]) -> str:
    m = doc["machine"]
    ns = sorted(int(n) for n in doc["line"])
    top = str(max(ns))
    line, tui = doc["line"][top], doc["tui"][top]
    ref = doc["reference_n100"]
    w = doc["workload"]
    out = [
        "## SSH load benchmark",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, Python {m['python']}; "
        f"{m['date']}; load average {m['load_avg_before']} before, {m['load_avg_after']} "
        "after (other work was running on the machine).",
        f"Workload: N players in one room, each `look` every {w['look_every_s']:g} s and "
        f"`say <token>` every {w['say_every_s']:g} s for {w['duration_s']:g} s; bots are "
        "asyncssh clients in one process, the server is `sshrealm serve` in another "
        f"(fresh per run). TUI = PTY {w['tui_size']}. Produced by `make bench` "
        "(bench/ssh_bench.py); raw figures in bench/results/ssh.json.",
        "",
        f"### At N = {top}, against the targets and Evennia",
        "",
        "| figure | line mode | TUI | target | Evennia 6.1 (telnet, line) |",
        "|---|---|---|---|---|",
        f"| `look` p95 (ms) | {_check(line['look_p95_ms'], 50)} | {_v(tui['look_p95_ms'])} "
        f"| line ≤ 50 | {ref['look_p95_ms']:g} |",
        f"| say seen by all p95 (ms) | {_check(line['say_all_p95_ms'], 75)} "
        f"| {_check(tui['say_all_p95_ms'], 300)} | line ≤ 75, TUI ≤ 300 "
        f"| {ref['say_all_p95_ms']:g} |",
        f"| server CPU (% of a core) | {_v(line['server_cpu_pct'])} "
        f"| {_v(tui['server_cpu_pct'])} | — | {ref['cpu_pct']:g} |",
        f"| memory per player (KB) | {_v(line['kb_per_player'])} "
        f"| {_check(tui['kb_per_player'], 1536)} | TUI ≤ 1536 | {ref['kb_per_player']:g} |",
        f"| idle CPU, {top} connected (%) | {_check(line['idle_cpu_pct'], 2)} "
        f"| {_check(tui['idle_cpu_pct'], 2)} | < 2 | — |",
        f"| connect to first screen, alone (ms) | {_v(doc['line']['1']['connect_single_ms'])} "
        f"| {_v(doc['tui']['1']['connect_single_ms'])} | — | — |",
        f"| connect to first screen, {top} in bursts of {w['connect_burst']} p50 / p95 (ms) "
        f"| {_v(line['connect_p50_ms'])} / {_v(line['connect_p95_ms'])} "
        f"| {_v(tui['connect_p50_ms'])} / {_v(tui['connect_p95_ms'])} | — | — |",
        "",
        "### Every N",
        "",
        "| front | N | look p50 / p95 (ms) | say to all p50 / p95 (ms) | server CPU % "
        "| server waited for a CPU % | load avg | KB / player | connect p50 / p95 (ms) "
        "| bench client CPU % |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for front in (f for f in ("line", "telnet", "tui") if f in doc):
        for n in ns:
            r = doc[front][str(n)]
            out.append(
                f"| {front} | {n} | {_v(r['look_p50_ms'])} / {_v(r['look_p95_ms'])} "
                f"| {_v(r['say_all_p50_ms'])} / {_v(r['say_all_p95_ms'])} "
                f"| {_v(r['server_cpu_pct'])} | {_v(r.get('server_runq_wait_pct'))} "
                f"| {_v(r.get('load_avg_1m'))} | {_v(r['kb_per_player'])} "
                f"| {_v(r['connect_p50_ms'])} / {_v(r['connect_p95_ms'])} "
                f"| {_v(r['bench_cpu_pct'])} |"
            )
    if "telnet" in doc:
        tel = doc["telnet"][top]
        out += [
            "",
            f"Telnet at N = {top} (MUD client bots asking for EOR and GMCP) beside SSH line "
            f"mode: `look` p95 {_v(tel['look_p95_ms'])} ms (line {_v(line['look_p95_ms'])}), "
            f"say to all p95 {_v(tel['say_all_p95_ms'])} ms (line "
            f"{_v(line['say_all_p95_ms'])}), server CPU {_v(tel['server_cpu_pct'])}% (line "
            f"{_v(line['server_cpu_pct'])}%).",
        ]
    out += [
        "",
        'At N = 1 "say to all" is the sender\'s own echo. Memory per player is (RSS with N '
        'connected − RSS after one session came and went) / N. "Server waited for a CPU" '
        "is the share of wall time the server's event loop was runnable but not running "
        "(Linux schedstat): CPU taken by other work on this shared machine.",
        "",
    ]
    return "\n".join(out)
