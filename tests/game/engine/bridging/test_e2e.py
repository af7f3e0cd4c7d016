"""End to end over real SSH and the real HTTP plugin: what players do reaches WebSocket
clients, and what clients ask for reaches players."""

from __future__ import annotations

from pathlib import Path

import asyncssh
import pytest

from economy import Reason
from game.core.config import load_settings
from game.core.text import plural
from tests.e2e.conftest import Reader, connect, e2e_settings
from tests.game.engine.bridging.harness import Client, bridged_server, bridged_settings, next_event


@pytest.fixture(scope="module")
def keys() -> dict[str, asyncssh.SSHKey]:
    return {n: asyncssh.generate_private_key("ssh-ed25519") for n in ("ana", "bob")}


async def test_e2e_say_over_ssh_reaches_websocket(
    tmp_path: Path, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with (
        bridged_server(bridged_settings(tmp_path)) as server,
        Client.open(server) as client,
        client.events("player-said") as ws,
        await connect(server.ssh_port, "ana", keys["ana"]) as conn,
    ):
        reader = Reader(await conn.create_process(encoding=None))
        await reader.until("Exits:")
        reader.send("say hello from ssh")
        event = await next_event(ws)
    assert event["type"] == "player-said"
    assert event["data"] == {"player": "ana", "room": "town:square", "text": "hello from ssh"}


async def test_e2e_grant_over_http_reaches_player_and_balance(
    tmp_path: Path, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with (
        bridged_server(bridged_settings(tmp_path)) as server,
        Client.open(server) as client,
        await connect(server.ssh_port, "ana", keys["ana"]) as conn,
    ):
        reader = Reader(await conn.create_process(encoding=None))
        await reader.until("Exits:")
        before = await client.player("ana")
        assert before["online"]
        start = before["balance"]
        assert start == server.game.wallet.balance("ana")
        status, body = await client.bridge(
            "tokens", "grant", player="ana", amount=100, reason="contest", request_id="c-1"
        )
        assert (status, body["ok"], body["data"]["balance"]) == (200, True, start + 100)
        await reader.until(f"probe gave you 100 tokens (contest). You have {start + 100}.")
        again = await client.bridge(
            "tokens", "grant", player="ana", amount=100, reason="contest", request_id="c-1"
        )
        assert again[0] == 200
        assert again[1]["data"]["duplicate"] is True
        assert (await client.player("ana"))["balance"] == start + 100
        assert server.game.wallet.balance("ana") == start + 100


async def test_e2e_refusals_over_http_change_nothing(tmp_path: Path) -> None:
    async with (
        bridged_server(bridged_settings(tmp_path)) as server,
        Client.open(server) as client,
    ):
        server.game.ensure_account("ana")
        have = server.game.wallet.balance("ana")
        offline = await client.bridge("player", "message", player="ana", text="hi")
        broke = await client.bridge("tokens", "charge", player="ana", amount=have + 5, reason="fee")
        nowhere = await client.bridge("room", "post", room="town:atlantis", text="hi")
        assert server.game.wallet.balance("ana") == have
    assert offline == (409, {"error": "refused", "detail": "ana is not online"})
    assert broke[0] == 409
    assert broke[1]["detail"] == f"ana cannot pay {plural(have + 5, 'token')}"
    assert nowhere[0] == 409
    assert "no room named" in nowhere[1]["detail"]


async def test_e2e_balances_stay_private_in_request_results(tmp_path: Path) -> None:
    """Security review: without state.balances a client read any balance from a grant's
    result, a replayed grant, or a charge refused for want of tokens."""
    async with (
        bridged_server(bridged_settings(tmp_path)) as server,
        Client.open(server, "granter") as client,
    ):
        server.game.ensure_account("ana")
        server.game.wallet.credit("ana", 4321, Reason.ADMIN_GRANT, "seed", "seed")
        have = server.game.wallet.balance("ana")
        grant = {"player": "ana", "amount": 1, "reason": "x", "request_id": "r1"}
        first = await client.bridge("tokens", "grant", **grant)
        replay = await client.bridge("tokens", "grant", **grant)
        broke = await client.bridge("tokens", "charge", player="ana", amount=10**6, reason="y")
    assert first[0] == replay[0] == 200
    assert "balance" not in first[1]["data"]
    assert "balance" not in replay[1]["data"]
    assert broke[0] == 409
    assert str(have + 1) not in str(broke[1])


async def test_e2e_http_plugin_is_off_by_default(tmp_path: Path) -> None:
    async with bridged_server(e2e_settings(tmp_path)) as server:
        assert server.bridge.config.enabled == ()
        assert server.bridge.status() == []
        assert server.bridge.http is None


def test_e2e_bridge_port_env_sets_http_port(tmp_path: Path) -> None:
    toml = tmp_path / "sshrealm.toml"
    toml.write_text('[bridge]\nenabled = ["http"]\nport = 7001\n')
    from game.services.bridge_settings import bridge_config

    from_toml = load_settings(toml, environ={})
    assert from_toml.bridge_port == 7001
    assert bridge_config(from_toml).plugin("http").settings["port"] == 7001
    from_env = load_settings(toml, environ={"SSHREALM_BRIDGE_PORT": "7002"})
    assert bridge_config(from_env).plugin("http").settings["port"] == 7002
