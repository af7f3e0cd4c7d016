"""Run the JavaScript example's own tests (node --test) against the HTTP plugin."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bridge.bus import EventBus
from bridge.events import TokensCredited
from bridge.requests import GrantTokens, Request, RequestResult
from tests.bridge.fakes import FakeGame
from tests.bridge.http_harness import CLIENTS, running_api

NODE = shutil.which("node")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "js-client"


class PublishingGame(FakeGame):
    """Like the real game: a grant publishes TokensCredited."""

    def __init__(self, bus: EventBus) -> None:
        super().__init__()
        self.bus = bus

    async def apply(self, plugin: str, request: Request) -> RequestResult:
        result = await super().apply(plugin, request)
        if result.ok and isinstance(request, GrantTokens):
            balance = int(result.data["balance"])
            event = TokensCredited(
                request.player, request.amount, request.reason, balance, "t-1", ts=1.0
            )
            self.bus.publish(event)
        return result


def _node_flags() -> list[list[str]]:
    flags: list[list[str]] = [[]]  # Node 20: no global WebSocket, the example's ws.mjs is used
    if NODE is not None:
        probe = [NODE, "--experimental-websocket", "-e", ""]
        if subprocess.run(probe, capture_output=True, check=False).returncode == 0:
            flags.append(["--experimental-websocket"])  # the global WebSocket path
    return flags


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.parametrize("flags", _node_flags(), ids=lambda f: " ".join(f) or "plain")
async def test_js_client_passes_against_http_plugin(flags: list[str]) -> None:
    assert NODE is not None
    bus = EventBus()
    clients = {**CLIENTS, "js-example": ["tokens.grant", "state.balances"]}
    async with running_api(PublishingGame(bus), bus=bus, clients=clients) as api:
        env = {**os.environ, "SSHREALM_BRIDGE_URL": api.plugin.url}
        env["SSHREALM_BRIDGE_CODE"] = api.codes["js-example"]
        env.pop("SSHREALM_BRIDGE_TOKEN", None)
        proc = await asyncio.create_subprocess_exec(
            NODE,
            *flags,
            "--test",
            str(EXAMPLE),
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await asyncio.wait_for(proc.communicate(), 60)
    text = out.decode()
    assert proc.returncode == 0, text
    assert "# pass 2" in text, text
    assert "# skipped 0" in text, text
