"""The JavaScript example client's own tests (node --test) against the REAL server: SSH on,
the http plugin enabled from settings, player ana created by logging in over SSH."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import asyncssh
import pytest

from tests.bridge.test_js_client import _node_flags
from tests.e2e.conftest import connect
from tests.game.engine.bridging.harness import (
    CLIENTS,
    bridged_server,
    bridged_settings,
    http_plugin,
)

NODE = shutil.which("node")
EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "js-client"


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.parametrize("flags", _node_flags(), ids=lambda f: " ".join(f) or "plain")
async def test_js_client_passes_against_real_server(tmp_path: Path, flags: list[str]) -> None:
    assert NODE is not None
    key = asyncssh.generate_private_key("ssh-ed25519")
    async with bridged_server(bridged_settings(tmp_path)) as server:
        async with await connect(server.ssh_port, "ana", key) as conn:
            assert (await conn.run("look")).exit_status == 0  # ana exists now
        start = server.game.wallet.balance("ana")
        env = {**os.environ, "SSHREALM_BRIDGE_URL": http_plugin(server).url}
        env["SSHREALM_BRIDGE_CODE"] = http_plugin(server).add("js-example", CLIENTS["js-example"])
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
        balance = server.game.wallet.balance("ana")
    text = out.decode()
    assert proc.returncode == 0, text
    assert "# pass 2" in text, text
    assert "# skipped 0" in text, text
    assert balance == start + 100  # the client's grant landed in the real ledger
