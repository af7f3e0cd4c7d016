"""Server metrics, collected from game events and rendered in the Prometheus text format.

:class:`Metrics` is an in-process listener on ``game.listeners``: it counts commands,
token transfers, logins and reports as the events fly by, and keeps a command-latency
histogram. Gauges that are cheap to read (sessions, memory, CPU, event-loop lag, plugin
states) are read at scrape time. No client library: the text format is a few lines.
"""

from __future__ import annotations

import bisect
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bridge.events import (
    CommandRun,
    Event,
    PlayerJoined,
    PlayerLeft,
    ReflectionReportWritten,
    TokensCharged,
    TokensCredited,
)

if TYPE_CHECKING:
    from game.services.presence import Seat

LATENCY_BUCKETS_S = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
CYCLE_BUCKETS_S = (0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)


@dataclass
class Histogram:
    """Cumulative-bucket histogram plus a bounded ring of recent samples for percentiles."""

    bounds: tuple[float, ...]
    counts: list[int] = field(default_factory=list)
    total: float = 0.0
    n: int = 0
    recent: list[float] = field(default_factory=list)
    keep: int = 2048

    def __post_init__(self) -> None:
        self.counts = [0] * (len(self.bounds) + 1)

    def observe(self, value: float) -> None:
        self.counts[bisect.bisect_left(self.bounds, value)] += 1
        self.total += value
        self.n += 1
        self.recent.append(value)
        if len(self.recent) > self.keep:
            del self.recent[: len(self.recent) - self.keep]

    def percentile(self, p: float) -> float | None:
        if not self.recent:
            return None
        ordered = sorted(self.recent)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    def lines(self, name: str) -> list[str]:
        out, running = [], 0
        for bound, count in zip((*self.bounds, float("inf")), self.counts, strict=True):
            running += count
            le = "+Inf" if bound == float("inf") else repr(bound)
            out.append(f'{name}_bucket{{le="{le}"}} {running}')
        out.append(f"{name}_sum {self.total:.6f}")
        out.append(f"{name}_count {self.n}")
        return out


def _labels(**labels: str) -> str:
    def esc(v: str) -> str:
        return v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")

    inner = ",".join(f'{k}="{esc(v)}"' for k, v in labels.items())
    return f"{{{inner}}}" if inner else ""


class Metrics:
    """Counters fed by events; gauges read from the game and the process when scraped."""

    def __init__(self) -> None:
        self.commands: Counter[tuple[str, str]] = Counter()
        self.latency = Histogram(LATENCY_BUCKETS_S)
        self.cycles = Histogram(CYCLE_BUCKETS_S)
        self.transfers: Counter[tuple[str, str]] = Counter()
        self.tokens: Counter[str] = Counter()
        self.joined = 0
        self.left: Counter[str] = Counter()
        self.reports = 0
        self.refused: Counter[str] = Counter()  # logins refused, by why (SSH front)
        self.loop_lag_s = 0.0
        self.plugins: Callable[[], Iterable[Any]] = tuple  # PluginStatus-like objects

    def observe(self, event: Event) -> None:
        """The ``game.listeners`` hook: cheap, never raises on a well-formed event."""
        if isinstance(event, CommandRun):
            self.commands[(event.verb, "ok" if event.ok else "error")] += 1
            self.latency.observe(event.duration_ms / 1000)
        elif isinstance(event, TokensCredited | TokensCharged):
            direction = "credit" if isinstance(event, TokensCredited) else "charge"
            self.transfers[(direction, event.reason)] += 1
            self.tokens[direction] += event.amount
        elif isinstance(event, PlayerJoined):
            self.joined += 1
        elif isinstance(event, PlayerLeft):
            self.left[event.reason] += 1
        elif isinstance(event, ReflectionReportWritten):
            self.reports += 1

    def render(self, sessions: Iterable[Seat]) -> str:
        """The /metrics body (Prometheus text exposition format 0.0.4); ``sessions`` are
        the interactive sessions now, counted by front end."""
        out: list[str] = []

        def family(name: str, kind: str, help_: str, rows: Iterable[str]) -> None:
            out.append(f"# HELP {name} {help_}")
            out.append(f"# TYPE {name} {kind}")
            out.extend(rows)

        kinds = Counter(s.kind for s in sessions)
        family(
            "sshrealm_sessions",
            "gauge",
            "Connected interactive sessions by front end.",
            [
                f"sshrealm_sessions{_labels(front_end=k)} {kinds.get(k, 0)}"
                for k in ("tui", "line", "telnet")
            ],
        )
        family(
            "sshrealm_commands_total",
            "counter",
            "Commands run, by verb and outcome.",
            [
                f"sshrealm_commands_total{_labels(verb=v, outcome=o)} {n}"
                for (v, o), n in sorted(self.commands.items())
            ],
        )
        family(
            "sshrealm_command_duration_seconds",
            "histogram",
            "Time to run one command, parse to reply.",
            self.latency.lines("sshrealm_command_duration_seconds"),
        )
        family(
            "sshrealm_ledger_transfers_total",
            "counter",
            "Token transfers touching players, by direction and reason.",
            [
                f"sshrealm_ledger_transfers_total{_labels(direction=d, reason=r)} {n}"
                for (d, r), n in sorted(self.transfers.items())
            ],
        )
        family(
            "sshrealm_tokens_moved_total",
            "counter",
            "Tokens credited to or charged from players.",
            [
                f"sshrealm_tokens_moved_total{_labels(direction=d)} {self.tokens.get(d, 0)}"
                for d in ("credit", "charge")
            ],
        )
        family(
            "sshrealm_reflection_cycle_duration_seconds",
            "histogram",
            "Reflection cycle durations.",
            self.cycles.lines("sshrealm_reflection_cycle_duration_seconds"),
        )
        family(
            "sshrealm_reflection_reports_total",
            "counter",
            "Reflection reports written.",
            [f"sshrealm_reflection_reports_total {self.reports}"],
        )
        family(
            "sshrealm_logins_total",
            "counter",
            "Sessions started.",
            [f"sshrealm_logins_total {self.joined}"],
        )
        family(
            "sshrealm_logins_refused_total",
            "counter",
            "Connections or logins refused, by why.",
            [
                f"sshrealm_logins_refused_total{_labels(why=w)} {n}"
                for w, n in sorted(self.refused.items())
            ],
        )
        plugins = list(self.plugins())
        family(
            "sshrealm_plugin_errors_total",
            "counter",
            "Plugin exceptions and timeouts since start.",
            [f"sshrealm_plugin_errors_total{_labels(plugin=p.name)} {p.errors}" for p in plugins],
        )
        family(
            "sshrealm_plugin_up",
            "gauge",
            "1 when the plugin is running.",
            [
                f"sshrealm_plugin_up{_labels(plugin=p.name)} {int(p.state == 'running')}"
                for p in plugins
            ],
        )
        family(
            "sshrealm_event_loop_lag_seconds",
            "gauge",
            "How late the event loop ran a timer, last sample.",
            [f"sshrealm_event_loop_lag_seconds {self.loop_lag_s:.6f}"],
        )
        rss, cpu = process_usage()
        family(
            "process_resident_memory_bytes",
            "gauge",
            "Resident memory.",
            [f"process_resident_memory_bytes {rss}"],
        )
        family(
            "process_cpu_seconds_total",
            "counter",
            "CPU time used.",
            [f"process_cpu_seconds_total {cpu:.3f}"],
        )
        return "\n".join(out) + "\n"


def process_usage() -> tuple[int, float]:
    """(resident bytes, CPU seconds) of this process."""
    import psutil

    proc = psutil.Process(os.getpid())
    times = proc.cpu_times()
    return int(proc.memory_info().rss), float(times.user + times.system)
