"""/healthz and /metrics over real HTTP, beside a real SSH server."""

from __future__ import annotations

import re

import aiohttp
import asyncssh

from game.app import Server
from tests.e2e.conftest import connect


def url(server: Server, path: str) -> str:
    assert server.ops_http is not None
    return f"http://127.0.0.1:{server.ops_http.port}{path}"


async def test_readyz_ready_then_not_ready_while_shutting_down(ops_server: Server) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(url(ops_server, "/readyz")) as resp:
            assert resp.status == 200
            body = await resp.json()
        assert body["status"] == "ready"
        assert body["reasons"] == []
        ops_server.ssh.accepting = False
        async with http.get(url(ops_server, "/readyz")) as resp:
            assert resp.status == 503
            body = await resp.json()
        assert body["status"] == "not ready"
        assert body["reasons"] == ["shutting down: new logins are refused"]
        async with http.get(url(ops_server, "/healthz")) as resp:  # alive all the same
            assert resp.status == 200
            assert (await resp.json())["status"] == "not ready"


async def test_readyz_reports_lagging_loop(ops_server: Server) -> None:
    ops_server.game.metrics.loop_lag_s = 2.5
    async with aiohttp.ClientSession() as http, http.get(url(ops_server, "/readyz")) as resp:
        assert resp.status == 503
        assert (await resp.json())["reasons"] == ["event loop lagging 2.50s (limit 1s)"]


async def test_metrics_count_commands_over_ssh(
    ops_server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(ops_server.ssh_port, "ana", keys["ana"]) as conn:
        assert (await conn.run("look")).exit_status == 0
        assert (await conn.run("dance")).exit_status == 1
    async with aiohttp.ClientSession() as http, http.get(url(ops_server, "/metrics")) as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"].startswith("text/plain")
        text = await resp.text()
    assert 'sshrealm_commands_total{verb="look",outcome="ok"} 1' in text
    assert "# TYPE sshrealm_command_duration_seconds histogram" in text
    assert 'sshrealm_command_duration_seconds_bucket{le="+Inf"} 1' in text
    assert "sshrealm_command_duration_seconds_count 1" in text
    assert 'sshrealm_sessions{front_end="line"} 0' in text
    assert re.search(r"^process_resident_memory_bytes [1-9]\d+$", text, re.M)
    assert "sshrealm_event_loop_lag_seconds " in text
    # Every sample line is NAME{labels} VALUE or NAME VALUE: parseable by Prometheus.
    sample = re.compile(r'^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?[0-9.e+-]+$')
    for line in text.splitlines():
        assert line.startswith("# ") or sample.match(line), line


async def test_metrics_count_ledger_transfers(ops_server: Server) -> None:
    game = ops_server.game
    game.ensure_account("bob")
    game.wallet.credit("bob", 40, __import__("economy").Reason.ADMIN_GRANT, "k1", "test")
    async with aiohttp.ClientSession() as http, http.get(url(ops_server, "/metrics")) as resp:
        text = await resp.text()
    assert 'sshrealm_ledger_transfers_total{direction="credit",reason="admin grant"} 1' in text
    assert 'sshrealm_tokens_moved_total{direction="credit"} 40' in text


async def test_metrics_count_reflection_cycles(ops_server: Server) -> None:
    """The review saw the cycle histogram stay at 0 while reports were written."""
    await ops_server.reflection.run_cycle()
    async with aiohttp.ClientSession() as http, http.get(url(ops_server, "/metrics")) as resp:
        text = await resp.text()
    assert "sshrealm_reflection_cycle_duration_seconds_count 1" in text
    assert "sshrealm_reflection_reports_total 2" in text
