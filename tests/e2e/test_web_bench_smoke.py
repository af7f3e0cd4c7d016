"""The browser-vs-SSH benchmark itself works: a tiny run (2 players each, 3 s) yields every
figure. It starts ``sshrealm serve`` as child processes, exactly as ``make bench`` does."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import web_bench
from tests.e2e.conftest import ROOT

FIGURES = ("server_cpu_pct", "cpu_pct_per_player", "kb_per_player", "look_p95_ms")


@pytest.mark.slow
def test_web_bench_tiny_run_has_every_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_CONTENT_DIR", str(Path(ROOT) / "content"))
    result = web_bench.measure(n=2, duration=3.0)
    for front in ("tui", "web"):
        run = result[front]
        for figure in FIGURES:
            assert isinstance(run[figure], float | int), (front, figure, run)
        assert run["looks"] >= 2, run
        assert run["says_unfinished"] == 0, run
    assert set(result["web_over_ssh"]) == {"cpu_per_player", "kb_per_player", "within_target"}
