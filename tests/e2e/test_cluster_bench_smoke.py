"""The cluster benchmark itself works: the smallest version of each scenario (a world
ceiling with 20 synthetic sessions, a world restart and a gateway kill with 4 SSH bots)
yields every figure. Redis, the world and the gateways run as child processes, exactly as
``python -m bench --only cluster`` starts them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import cluster_bench
from game.cluster.processes import find_redis
from tests.e2e.conftest import ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(find_redis() is None, reason="needs redis-server (Debian redis-server)"),
]


@pytest.fixture(autouse=True)
def content(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_CONTENT_DIR", str(Path(ROOT) / "content"))


def test_ceiling_tiny_run_has_every_figure() -> None:
    result = cluster_bench.ceiling((20,), 50, 1.0, (50,), 0.5, 30.0)
    level = result["levels"]["20"]
    assert level["sessions"] == 20, level
    assert level["closed_by_world"] == 0, level
    for figure in ("p50_ms", "p99_ms", "completed_per_s", "world_cpu_pct", "bench_cpu_pct"):
        assert isinstance(level[figure], float | int), (figure, level)
    assert level["commands"] >= 20, level
    assert level["unacked"] == 0, level
    assert level["world_rss_mb"] > 0
    assert len(result["steps"]) == 1
    assert set(result["met"]) == {"rate_at_p99"}


def test_restart_tiny_run_loses_nothing() -> None:
    result = cluster_bench.restart(4, 0.5, 1.0)
    assert result["looks"] >= 4, result
    assert result["lost"] == 0, result
    assert result["disconnects"] == 0, result
    for sig in ("SIGTERM", "SIGKILL"):
        assert 0 < result[sig]["restart_s"] < 30, result


def test_gateway_kill_tiny_run_loses_nothing() -> None:
    result = cluster_bench.gateway_kill(4, 1.0, 1.0)
    assert result["payments_acked"] >= 4, result
    assert result["lost"] == 0, result
    assert result["balance_change"] == 0, result
    assert result["reconnect_max_s"] < 10, result
