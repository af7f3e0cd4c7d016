"""The HTTP API plugin: registration, state, requests, errors (checked against OpenAPI)."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from bridge.builtin.http_clients import CLIENT_MIGRATIONS, open_store
from bridge.gate import RateLimit
from tests.bridge.fakes import FakeGame
from tests.bridge.http_harness import running_api

GRANT = {
    "target": "tokens",
    "action": "grant",
    "data": {"player": "ana", "amount": 100, "reason": "contest"},
}


async def test_squatter_cannot_take_an_admin_added_name(game: FakeGame) -> None:
    """The review's attack: a local process posts the name of a client that may mint
    tokens. Without the admin's code it gets nothing, and the real client still can."""
    async with running_api(game, clients={"contest-bot": ["tokens.grant"]}) as api:
        squat = {"name": "contest-bot", "language": "sh"}
        status, body, _ = await api.call("POST", "/register", json=squat)
        assert (status, body["error"]) == (403, "code-required")
        status, body, _ = await api.call("POST", "/register", json={**squat, "code": "guess"})
        assert (status, body["error"]) == (403, "bad-code")
        status, body, _ = await api.call("POST", "/register", json={**squat, "claim": "x"})
        assert (status, body["error"]) == (403, "code-required")
        assert api.plugin.pending() == []
        token = await api.token("contest-bot")
        assert (await api.call("GET", "/universal", token))[0] == 200


async def test_code_gives_one_token_and_rotation_ends_it(game: FakeGame) -> None:
    async with running_api(game) as api:
        first = {"name": "ana-bot", "language": "js", "code": api.codes["ana-bot"]}
        status, body, _ = await api.call("POST", "/register", json=first)
        assert (status, body["status"]) == (200, "approved")
        assert "tokens.grant" in body["capabilities"]
        token = body["token"]
        status, body, _ = await api.call("POST", "/register", json={**first, "name": "ANA-BOT"})
        assert (status, body["error"]) == (409, "already-registered")
        code = api.plugin.add("ana-bot")  # rotate: same grants, old token dead at once
        assert (await api.call("GET", "/universal", token))[0] == 401
        status, body, _ = await api.call("POST", "/register", json=first)  # the spent code
        assert (status, body["error"]) == (403, "bad-code")
        status, body, _ = await api.call("POST", "/register", json={**first, "code": code})
        assert status == 200
        assert "tokens.grant" in body["capabilities"]
        assert (await api.call("GET", "/universal", body["token"]))[0] == 200


async def test_unknown_names_are_refused_unless_pending_is_allowed(game: FakeGame) -> None:
    async with running_api(game) as api:
        status, body, _ = await api.call(
            "POST", "/register", json={"name": "nobody", "language": "x"}
        )
        assert (status, body["error"]) == (403, "registration-closed")
        assert api.plugin.pending() == []


async def test_pending_registration_needs_admin_approval(game: FakeGame) -> None:
    async with running_api(game, allow_pending=True, default_capabilities=["post"]) as api:
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
        status, body, _ = await api.call("POST", "/register", json=first)  # not the claimant
        assert (status, body["error"]) == (409, "name-pending")
        status, body, _ = await api.call("POST", "/register", json={**first, "claim": claim})
        assert (status, body["capabilities"]) == (200, ["post"])
        assert api.plugin.pending() == []
        token = body["token"]
        assert (await api.call("GET", "/universal", token))[0] == 200
        assert api.plugin.revoke("newbie")
        assert (await api.call("GET", "/universal", token))[0] == 401


async def test_one_caller_cannot_fill_the_pending_queue(game: FakeGame) -> None:
    """Today's 50 requests locked everyone out; now one address holds at most a few."""
    async with running_api(game, allow_pending=True, max_pending_per_address=3) as api:
        answers = [
            (await api.call("POST", "/register", json={"name": f"spam{i}", "language": "x"}))[0]
            for i in range(50)
        ]
        assert answers == [202] * 3 + [429] * 47
        assert api.plugin.pending() == ["spam0", "spam1", "spam2"]
        assert [c.name for c in api.plugin.client_list()] == [
            "ana-bot",
            "spam0",
            "spam1",
            "spam2",
            "viewer",
        ]
        token = await api.token("viewer")  # admin-issued clients are unaffected
        assert (await api.call("GET", "/universal", token))[0] == 200


async def test_tokens_survive_a_restart(game: FakeGame, tmp_path: Path) -> None:
    store = str(tmp_path / "clients.sqlite")
    async with running_api(game, store=store) as api:
        token = await api.token()
    async with running_api(game, store=store, clients={}) as api:
        assert (await api.call("GET", "/universal", token))[0] == 200
        again = {"name": "ana-bot", "language": "js"}
        status, body, _ = await api.call("POST", "/register", json=again)
        assert (status, body["error"]) == (409, "already-registered")


async def test_deeply_nested_bodies_are_400_not_500(game: FakeGame) -> None:
    deep = b"[" * 30_000 + b"]" * 30_000
    headers = {"Content-Type": "application/json"}
    async with running_api(game) as api:
        async with api.http.post("/register", data=deep, headers=headers) as r:
            assert (r.status, (await r.json())["error"]) == (400, "bad-json")
        async with api.http.post("/bridge", data=deep, headers=headers) as r:
            assert r.status == 401  # no token: refused before the body is read
        token = await api.token()
        async with api.http.post(
            "/bridge", data=deep, headers={**headers, "Authorization": f"Bearer {token}"}
        ) as r:
            assert (r.status, (await r.json())["error"]) == (400, "bad-json")
        nested = b'{"a":' * 33 + b"1" + b"}" * 33
        async with api.http.post("/register", data=nested, headers=headers) as r:
            assert (r.status, (await r.json())["detail"]) == (400, "nested deeper than 32 levels")
        fine = b'{"name": "deep-bot", "language": "[[[[[[[[[[[[[[[[{{{{{{{{{{{{{{{{{{{{{{{{"}'
        async with api.http.post("/register", data=fine, headers=headers) as r:
            assert r.status == 403  # brackets inside strings are not nesting


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


async def test_half_characters_are_400_not_500(game: FakeGame) -> None:
    """Security review: a lone surrogate in /register's language was a 500 with a logged
    traceback on every try, and in a post it stopped delivery at the first reader."""
    headers = {"Content-Type": "application/json"}
    lone = b'{"name": "odd-bot", "language": "\\ud800", "code": "x"}'
    pair = b'{"name": "odd-bot", "language": "\\ud83d\\ude00", "code": "x"}'
    async with running_api(game) as api:
        async with api.http.post("/register", data=lone, headers=headers) as r:
            body = await r.json()
            assert (r.status, body["error"]) == (400, "bad-json")
        async with api.http.post("/register", data=pair, headers=headers) as r:
            assert r.status == 403  # an emoji is a whole character: on to the code check


def test_the_client_store_schema_comes_from_its_migrations(tmp_path: Path) -> None:
    """The last release had no client store; the first open creates it by migration
    0001_clients, and later opens (and later migrations) find it recorded."""
    path = tmp_path / "clients.sqlite"
    first = open_store(path)
    first.close()
    again = open_store(path)
    try:
        applied = [
            tuple(row)
            for row in again.execute("SELECT migration_set, name FROM _sqlite_migrations")
        ]
        assert applied == [("bridge-clients", "0001_clients")]
        assert CLIENT_MIGRATIONS.pending(Database(again)) == []
        columns = {row[1] for row in again.execute("PRAGMA table_info(clients)")}
        assert {"key", "token_hash", "code_hash", "claim_hash", "address"} <= columns
    finally:
        again.close()
