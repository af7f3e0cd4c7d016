"""The HTTP API plugin: registration, state, requests, errors (checked against OpenAPI)."""

from __future__ import annotations

from bridge.gate import RateLimit
from tests.bridge.fakes import FakeGame
from tests.bridge.http_harness import running_api

GRANT = {
    "target": "tokens",
    "action": "grant",
    "data": {"player": "ana", "amount": 100, "reason": "contest"},
}


async def test_preapproved_name_gets_token_once(game: FakeGame) -> None:
    async with running_api(game) as api:
        status, body, _ = await api.call(
            "POST", "/register", json={"name": "ana-bot", "language": "js"}
        )
        assert status == 200
        assert body["status"] == "approved"
        assert "tokens.grant" in body["capabilities"]
        status, body, _ = await api.call(
            "POST", "/register", json={"name": "ANA-BOT", "language": "js"}
        )
        assert (status, body["error"]) == (409, "already-registered")


async def test_pending_registration_needs_admin_approval(game: FakeGame) -> None:
    async with running_api(game, default_capabilities=["post"]) as api:
        first = {"name": "newbie", "language": "go"}
        status, body, _ = await api.call("POST", "/register", json=first)
        assert (status, body["status"]) == (202, "pending")
        claim = body["claim"]
        assert api.plugin.pending() == ["newbie"]
        status, body, _ = await api.call("POST", "/register", json={**first, "claim": claim})
        assert (status, body) == (202, {"status": "pending", "name": "newbie"})
        status, body, _ = await api.call("POST", "/register", json=first)
        assert (status, body["error"]) == (409, "name-pending")
        assert api.plugin.approve("newbie")
        status, body, _ = await api.call("POST", "/register", json={**first, "claim": claim})
        assert (status, body["capabilities"]) == (200, ["post"])
        assert api.plugin.pending() == []
        token = body["token"]
        assert (await api.call("GET", "/universal", token))[0] == 200
        assert api.plugin.revoke("newbie")
        assert (await api.call("GET", "/universal", token))[0] == 401


async def test_admin_can_preapprove_and_limits_apply(game: FakeGame) -> None:
    async with running_api(game, max_pending=1) as api:
        assert api.plugin.approve("later", ["message"])
        status, body, _ = await api.call(
            "POST", "/register", json={"name": "later", "language": "rb"}
        )
        assert (status, body["capabilities"]) == (200, ["message"])
        assert (await api.call("POST", "/register", json={"name": "one", "language": "x"}))[
            0
        ] == 202
        status, body, _ = await api.call("POST", "/register", json={"name": "two", "language": "x"})
        assert (status, body["error"]) == (429, "too-many-pending")
        assert [c["name"] for c in api.plugin.client_list()] == [
            "ana-bot",
            "later",
            "one",
            "viewer",
        ]
    async with running_api(game, allow_pending=False) as api:
        status, body, _ = await api.call(
            "POST", "/register", json={"name": "nobody", "language": "x"}
        )
        assert (status, body["error"]) == (403, "registration-closed")


async def test_universal_hides_balances_without_scope(game: FakeGame) -> None:
    async with running_api(game) as api:
        status, body, _ = await api.call("GET", "/universal", await api.token())
        assert status == 200
        ana = body["players"][0]
        assert (ana["name"], ana["balance"], ana["progress"]["skills"]) == (
            "ana",
            500,
            {"mining": 3},
        )
        _, body, _ = await api.call("GET", "/universal", await api.token("viewer"))
        assert {p["balance"] for p in body["players"]} == {None}


async def test_grant_tokens_through_bridge(game: FakeGame) -> None:
    async with running_api(game) as api:
        status, body, _ = await api.call("POST", "/bridge", await api.token(), json=GRANT)
        assert (status, body["data"]) == (200, {"balance": 600})
        assert game.players_by_name["ana"].balance == 600
        assert [(a.principal, a.outcome) for a in api.audit] == [("http/ana-bot", "ok")]


async def test_bridge_denials_and_refusals(game: FakeGame) -> None:
    async with running_api(game, caps=frozenset({"tokens.grant", "tokens.charge"})) as api:
        status, body, _ = await api.call("POST", "/bridge", await api.token("viewer"), json=GRANT)
        assert (status, body["error"]) == (403, "denied")
        post = {"target": "room", "action": "post", "data": {"room": "hall", "text": "hi"}}
        token = await api.token()
        status, body, _ = await api.call("POST", "/bridge", token, json=post)
        assert status == 403  # the client may post, but the http plugin itself may not
        assert game.calls == []
        charge = {**GRANT, "action": "charge", "data": {**GRANT["data"], "player": "bo"}}
        status, body, _ = await api.call("POST", "/bridge", token, json=charge)
        assert (status, body) == (409, {"error": "refused", "detail": "insufficient funds"})
        assert game.players_by_name["bo"].balance == 20


async def test_rate_limit_answers_429_with_retry_after(game: FakeGame) -> None:
    async with running_api(game, limit=RateLimit(0.5, 1)) as api:
        token = await api.token()
        assert (await api.call("POST", "/bridge", token, json=GRANT))[0] == 200
        status, body, headers = await api.call("POST", "/bridge", token, json=GRANT)
        assert (status, body["error"]) == (429, "rate-limited")
        assert int(headers["Retry-After"]) >= 1
        assert len(game.calls) == 1


async def test_game_failure_and_timeout_map_to_502_504(game: FakeGame) -> None:
    async with running_api(game, request_timeout=0.2) as api:
        token = await api.token()
        game.explode = True
        assert (await api.call("POST", "/bridge", token, json=GRANT))[0] == 502
        game.explode, game.hang = False, True
        assert (await api.call("POST", "/bridge", token, json=GRANT))[0] == 504


async def test_auth_errors(game: FakeGame) -> None:
    async with running_api(game) as api:
        status, body, headers = await api.call("GET", "/universal")
        assert (status, body["error"], headers["WWW-Authenticate"]) == (
            401,
            "unauthorized",
            "Bearer",
        )
        assert (await api.call("GET", "/universal", "not-a-token"))[0] == 401
        assert (await api.call("POST", "/bridge", "not-a-token", json=GRANT))[0] == 401
        assert game.calls == []


async def test_transport_errors_are_json(game: FakeGame) -> None:
    async with running_api(game, max_body=1024) as api:
        async with api.http.get("/nope") as r:
            assert (r.status, (await r.json())["error"]) == (404, "not-found")
        async with api.http.delete("/bridge") as r:
            assert (r.status, (await r.json())["error"]) == (405, "method-not-allowed")
            assert "POST" in r.headers["Allow"]
        token = await api.token()
        status, body, _ = await api.call("POST", "/bridge", token, data=b'{"x": 1}')
        assert (status, body["error"]) == (415, "unsupported-media-type")
        big = {**GRANT, "data": {**GRANT["data"], "reason": "x" * 2000}}
        status, body, _ = await api.call("POST", "/bridge", token, json=big)
        assert (status, body["error"]) == (413, "request-entity-too-large")
        for raw in (b"", b"{", b"[1,", b"\xff\xfe", b'{"amount": NaN}'):
            headers = {"Content-Type": "application/json"}
            status, body, _ = await api.call("POST", "/bridge", token, data=raw, headers=headers)
            assert (status, body["error"]) == (400, "bad-json"), raw
        assert game.calls == []


async def test_openapi_document_is_served(game: FakeGame) -> None:
    async with running_api(game) as api, api.http.get("/openapi.json") as r:
        assert r.status == 200
        assert (await r.json())["openapi"] == "3.1.0"
