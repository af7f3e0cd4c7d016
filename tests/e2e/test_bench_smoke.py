"""The SSH load benchmark itself works: a tiny run (2 bots, 3 s) yields every figure.

The only benchmark that runs under pytest; it starts ``sshrealm serve`` as a child process,
exactly as ``make bench`` does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import ssh_bench
from bench.summary import ssh_summary
from tests.e2e.conftest import ROOT

FIGURES = (
    "look_p50_ms",
    "look_p95_ms",
    "say_all_p50_ms",
    "say_all_p95_ms",
    "server_cpu_pct",
    "kb_per_player",
    "connect_single_ms",
    "connect_p95_ms",
    "idle_cpu_pct",
    "server_runq_wait_pct",
)


@pytest.mark.parametrize("front", ["line", "telnet"])
def test_ssh_bench_tiny_run_has_every_figure(front: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Line mode over SSH, and the same workload over telnet (MUD client bots)."""
    monkeypatch.setenv("BENCH_CONTENT_DIR", str(Path(ROOT) / "content"))  # as e2e uses
    result = ssh_bench.measure(fronts=(front,), ns=(2,), duration=3.0, idle_s=1.0)
    run = result[front]["2"]
    for figure in FIGURES:
        assert isinstance(run[figure], float | int), (figure, run)
    assert run["looks"] >= 2
    assert run["looks_lost"] == 0
    assert run["says_unfinished"] == 0
    assert 0 < run["look_p95_ms"] < 2000
    assert run["server_cpu_pct"] >= 0
    assert run["rss_mb_at_n"] > 0


def test_ssh_summary_table_marks_targets() -> None:
    run = {
        "look_p50_ms": 5.0,
        "look_p95_ms": 40.0,
        "say_all_p50_ms": 8.0,
        "say_all_p95_ms": 90.0,
        "server_cpu_pct": 20.0,
        "kb_per_player": 100.0,
        "idle_cpu_pct": 0.5,
        "connect_single_ms": 30.0,
        "connect_p50_ms": 40.0,
        "connect_p95_ms": 60.0,
        "bench_cpu_pct": 10.0,
    }
    doc = {
        "machine": {
            "cpu": "Test CPU",
            "cores": 2,
            "ram_gb": 4,
            "python": "3.11",
            "date": "today",
            "load_avg_before": [0],
            "load_avg_after": [0],
        },
        "workload": {
            "look_every_s": 2,
            "say_every_s": 10,
            "duration_s": 60,
            "tui_size": "100x30",
            "connect_burst": 10,
        },
        "reference_n100": ssh_bench.EVENNIA_N100,
        "line": {"1": run, "100": run},
        "tui": {"1": run, "100": run},
    }
    table = ssh_summary(doc)
    assert "| `look` p95 (ms) | 40 ✅ |" in table
    assert "| say seen by all p95 (ms) | 90 ❌ | 90 ✅ |" in table
    assert "Test CPU, 2 cores" in table
