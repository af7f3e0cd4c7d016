"""Every event type, through every transport that leaves the process, to a reader with no
scopes and to one with all of them: private events and private fields never reach the
first, everything reaches the second."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import Any

import aiohttp
import pytest

from bridge.bus import EventBus
from bridge.events import EVENT_TYPES, Event, PlayerSaid, event_to_dict
from tests.bridge.fakes import FakeGame
from tests.bridge.http_harness import running_api
from tests.bridge.test_webhook import Sink, relay, sink_server

SECRET = "the-vault-code-1234"
BALANCE = 987_654


def _value(kind: str, field: str) -> Any:
    if field == "balance":
        return BALANCE
    if field == "line":  # what `tell ana ...` puts on command-run
        return f"tell ana {SECRET}"
    if kind in ("str", "string"):
        return f"{field} {SECRET}" if field == "text" else field
    return {"int": 7, "float": 1.5, "bool": True}.get(kind, ())


def sample(cls: type[Event]) -> Event:
    """One event of ``cls`` with the secret in every free-text field and a balance."""
    values = {
        f.name: _value(str(f.type), f.name) for f in dataclasses.fields(cls) if f.name != "ts"
    }
    if "rewards" in values:
        values["rewards"] = {"tokens": 5}
    return cls(ts=1.0, **values)


SAMPLES = [sample(cls) for cls in EVENT_TYPES.values()]
END = PlayerSaid("ana", "hall", "end", ts=2.0)
PUBLIC_TYPES = {cls.name for cls in EVENT_TYPES.values() if not cls.private}


def check_unscoped(seen: list[dict[str, Any]]) -> None:
    assert {m["type"] for m in seen} == PUBLIC_TYPES
    text = json.dumps(seen)
    assert "tell" not in text
    assert str(BALANCE) not in text
    by_type = {m["type"]: m for m in seen}
    assert SECRET not in json.dumps(by_type["command-run"])
    assert by_type["command-run"]["data"]["line"] is None
    assert by_type["command-run"]["redacted"] == ["line"]
    assert by_type["command-run"]["data"]["verb"] == "verb"
    for kind in ("tokens-charged", "tokens-credited"):
        assert by_type[kind]["data"]["balance"] is None
        assert by_type[kind]["redacted"] == ["balance"]
    for event in SAMPLES:  # every other field arrives unchanged
        if event.name in by_type:
            got, whole = by_type[event.name]["data"], event_to_dict(event)["data"]
            assert {k: v for k, v in got.items() if k not in event.scoped} == {
                k: v for k, v in whole.items() if k not in event.scoped
            }


def check_all_scopes(seen: list[dict[str, Any]]) -> None:
    assert seen == [event_to_dict(e) for e in SAMPLES]


async def _stream(api: Any, token: str) -> list[dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}"}
    async with api.http.ws_connect("/events", headers=headers) as ws:
        for event in (*SAMPLES, END):
            api.bus.publish(event)
        seen = []
        while True:
            message = await asyncio.wait_for(ws.receive_json(), 5)
            api.check("/events", "get", 101, message)
            if message["data"].get("text") == "end":
                return seen
            seen.append(message)


async def test_event_stream_redacts_by_the_clients_scopes(game: FakeGame) -> None:
    async with running_api(game) as api:
        check_unscoped(await _stream(api, await api.token("viewer")))
        check_all_scopes(await _stream(api, await api.token("ana-bot")))


async def test_webhook_redacts_like_the_stream(game: FakeGame) -> None:
    for scopes, check in (([], check_unscoped), (["events.private", "state.balances"], None)):
        sink, bus = Sink(), EventBus()
        async with sink_server(sink) as url, relay(game, bus, url=url, scopes=scopes) as hook:
            for event in SAMPLES:
                bus.publish(event)
            count = len(PUBLIC_TYPES) if check else len(SAMPLES)
            await asyncio.wait_for(hook.wait_for_attempts(count), 5)
        (check or check_all_scopes)(sink.bodies)


async def test_unscoped_client_asking_for_private_events_is_refused(game: FakeGame) -> None:
    async with running_api(game) as api:
        token = await api.token("viewer")
        url = "/events?types=player-told"
        headers = {"Authorization": f"Bearer {token}"}
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            async with api.http.ws_connect(url, headers=headers):
                pass
        assert refused.value.status == 403
