"""The /events WebSocket: filtering, private events, drop notices, shutdown."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from bridge.events import PlayerMoved, PlayerSaid, PlayerTold
from tests.bridge.fakes import FakeGame
from tests.bridge.http_harness import Api, running_api

UPGRADE = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}


def said(i: int) -> PlayerSaid:
    return PlayerSaid("ana", "hall", f"line {i}", ts=float(i))


def subscribed(api: Api, count: int = 1) -> None:
    """The server subscribes before it answers the handshake: no waiting needed."""
    assert api.bus.subscriber_count == count


async def receive(api: Api, ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    message = await asyncio.wait_for(ws.receive_json(), 2)
    api.check("/events", "get", 101, message)
    return dict(message)


async def test_stream_filters_by_type(game: FakeGame) -> None:
    async with running_api(game) as api:
        token = await api.token()
        url = "/events?types=player-said"
        async with api.http.ws_connect(url, headers={"Authorization": f"Bearer {token}"}) as ws:
            subscribed(api)
            api.bus.publish(PlayerMoved("ana", "hall", "yard", "north", ts=1.0))
            api.bus.publish(said(2))
            message = await receive(api, ws)
            assert message == {
                "type": "player-said",
                "ts": 2.0,
                "data": {"player": "ana", "room": "hall", "text": "line 2"},
            }


async def test_private_events_need_the_scope(game: FakeGame) -> None:
    async with running_api(game) as api:
        viewer, bot = await api.token("viewer"), await api.token()
        async with (
            api.http.ws_connect(f"/events?token={viewer}") as plain,
            api.http.ws_connect(f"/events?token={bot}") as trusted,
        ):
            subscribed(api, 2)
            api.bus.publish(PlayerTold("ana", "bo", "secret", ts=1.0))
            api.bus.publish(said(2))
            assert (await receive(api, plain))["type"] == "player-said"
            assert (await receive(api, trusted))["type"] == "player-told"
        status, body, _ = await api.call("GET", f"/events?types=player-told&token={viewer}")
        assert (status, body["error"]) == (403, "denied")


async def test_stream_handshake_errors(game: FakeGame) -> None:
    async with running_api(game, max_streams=1) as api:
        token = await api.token()
        status, body, _ = await api.call("GET", f"/events?types=player-sang&token={token}")
        assert (status, body["error"]) == (400, "unknown-event-type")
        assert "player-said" in body["detail"]["known"]
        status, body, _ = await api.call("GET", "/events", token)
        assert (status, body["error"]) == (426, "upgrade-required")
        assert (await api.call("GET", "/events"))[0] == 401
        async with api.http.ws_connect(f"/events?token={token}"):
            subscribed(api)
            status, body, _ = await api.call("GET", f"/events?token={token}", headers=dict(UPGRADE))
            assert (status, body["error"]) == (429, "too-many-streams")


async def test_slow_client_gets_a_drop_notice(game: FakeGame) -> None:
    async with (
        running_api(game, stream_queue=2) as api,
        api.http.ws_connect(f"/events?token={await api.token()}") as ws,
    ):
        subscribed(api)
        for i in range(5):  # no await: the stream's queue of 2 overflows by 3
            api.bus.publish(said(i))
        first = await receive(api, ws)
        assert first == {"type": "stream.dropped", "ts": 3.0, "data": {"count": 3}}
        assert [(await receive(api, ws))["data"]["text"] for _ in range(2)] == [
            "line 3",
            "line 4",
        ]


async def test_stopping_the_plugin_closes_streams(game: FakeGame) -> None:
    async with running_api(game) as api:
        ws = await api.http.ws_connect(f"/events?token={await api.token()}")
        subscribed(api)
        await api.host.stop()
        message = await asyncio.wait_for(ws.receive(), 2)
        assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        await ws.close()
        assert api.bus.subscriber_count == 0


async def test_revoking_a_client_ends_its_streams(game: FakeGame) -> None:
    async with running_api(game) as api:
        viewer, bot = await api.token("viewer"), await api.token()
        async with (
            api.http.ws_connect(f"/events?token={viewer}") as kept,
            api.http.ws_connect(f"/events?token={bot}") as ended,
        ):
            assert api.plugin.revoke("ana-bot")
            message = await asyncio.wait_for(ended.receive(), 2)
            assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
            api.bus.publish(said(1))
            assert (await receive(api, kept))["data"]["text"] == "line 1"


async def test_a_token_revoked_elsewhere_ends_its_stream_without_waiting_for_events(
    game: FakeGame,
) -> None:
    """Security review: a stream revoked from the shell or the console (which share the
    store, not the plugin) went on until an event came, holding a stream slot meanwhile."""
    async with running_api(game, token_recheck=0.05) as api:
        bot = await api.token()
        async with api.http.ws_connect(f"/events?token={bot}") as ws:
            assert api.plugin.clients is not None
            assert api.plugin.clients.revoke("ana-bot")  # as `sshrealm bridge revoke` does
            message = await asyncio.wait_for(ws.receive(), 5)  # no event is ever published
            assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)


async def test_one_client_cannot_take_every_stream(game: FakeGame) -> None:
    async with running_api(game, streams_per_client=2) as api:
        bot, viewer = await api.token(), await api.token("viewer")
        async with (
            api.http.ws_connect(f"/events?token={bot}"),
            api.http.ws_connect(f"/events?token={bot}"),
        ):
            status, body, _ = await api.call("GET", f"/events?token={bot}", headers=dict(UPGRADE))
            assert (status, body["detail"]) == (429, "at most 2 streams per client")
            async with api.http.ws_connect(f"/events?token={viewer}"):
                pass  # another client still gets one
