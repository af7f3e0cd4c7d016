"""The OpenAPI document is complete, matches the code, and drives a negative test."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from bridge.builtin.http_api import openapi_text
from bridge.builtin.http_clients import CLIENT_CAPABILITIES
from bridge.events import EVENT_TYPES, event_field_names
from bridge.requests import FIELD_JSON_TYPES, REQUEST_TYPES, request_fields
from tests.bridge.fakes import FakeGame
from tests.bridge.http_harness import running_api
from tests.bridge.schema_check import Schemas

DOC: dict[str, Any] = json.loads(openapi_text())
SCHEMAS = Schemas(DOC)
PY_TO_JSON = {
    "str": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "tuple[str, ...]": "array",
    "Mapping[str, int]": "object",
}


def component(name: str) -> dict[str, Any]:
    return dict(DOC["components"]["schemas"][name])


def test_document_is_openapi_3_1_with_every_operation_id() -> None:
    assert DOC["openapi"] == "3.1.0"
    ops = {op["operationId"] for path in DOC["paths"].values() for op in path.values()}
    assert ops == {"register", "universal", "bridge", "events", "openapi"}
    for path in DOC["paths"].values():
        for op in path.values():
            for response in op["responses"].values():
                assert response["description"]


async def test_every_served_route_is_documented_and_vice_versa(game: FakeGame) -> None:
    async with running_api(game) as api:
        app = api.plugin._runner.app  # type: ignore[union-attr]
        served = {
            (r.resource.canonical, r.method.lower())
            for r in app.router.routes()
            if r.method != "HEAD" and r.resource is not None
        }
    documented = {(path, method) for path, ops in DOC["paths"].items() for method in ops}
    assert served == documented


def test_every_request_type_is_documented_exactly() -> None:
    variants = [SCHEMAS.resolve(v) for v in component("BridgeRequest")["oneOf"]]
    assert len(variants) == len(REQUEST_TYPES)
    for variant in variants:
        props = variant["properties"]
        cls = REQUEST_TYPES[(props["target"]["const"], props["action"]["const"])]
        assert variant["x-capability"] == cls.capability
        data = props["data"]
        assert data["required"] == list(request_fields(cls))
        for name, schema in data["properties"].items():
            assert schema["type"] == FIELD_JSON_TYPES[name]


def test_every_event_type_is_documented_exactly() -> None:
    variants = [SCHEMAS.resolve(v) for v in component("StreamMessage")["oneOf"]]
    by_name = {v["properties"]["type"]["const"]: v for v in variants}
    assert set(by_name) == {*EVENT_TYPES, "stream.dropped"}
    for name, cls in EVENT_TYPES.items():
        data = by_name[name]["properties"]["data"]
        hints = {f.name: f.type for f in dataclasses.fields(cls)}
        assert data["required"] == list(event_field_names(cls))
        for field_name, schema in data["properties"].items():
            expected = PY_TO_JSON[str(hints[field_name])]
            if field_name in cls.scoped:  # redacted to null for readers without the scope
                expected = [expected, "null"]
            assert schema["type"] == expected, (name, field_name)
        assert ("redacted" in by_name[name]["properties"]) == bool(cls.scoped), name


def test_capability_enum_matches_code() -> None:
    assert set(component("Capability")["enum"]) == CLIENT_CAPABILITIES


def test_schema_checker_sanity() -> None:
    grant = {
        "target": "tokens",
        "action": "grant",
        "data": {"player": "ana", "amount": 1, "reason": "x"},
    }
    assert SCHEMAS.errors(grant, {"$ref": "#/components/schemas/BridgeRequest"}) == []
    assert SCHEMAS.errors({**grant, "x": 1}, {"$ref": "#/components/schemas/BridgeRequest"})


async def test_malformed_bodies_from_the_document_get_4xx_and_change_nothing(
    game: FakeGame,
) -> None:
    """For every operation with a body: each one-step corruption of a valid body is a 4xx
    with the documented error shape, and neither the game nor the registry changes."""
    async with running_api(game) as api:
        token = await api.token()
        sent = 0
        for path, ops in DOC["paths"].items():
            for method, op in ops.items():
                if "requestBody" not in op:
                    continue
                schema = op["requestBody"]["content"]["application/json"]["schema"]
                roots = SCHEMAS.resolve(schema).get("oneOf", [schema])
                for root in roots:
                    valid = SCHEMAS.sample(root)
                    for why, body in SCHEMAS.malformed(root, valid):
                        if not SCHEMAS.errors(body, schema):
                            continue  # still valid as another oneOf variant (e.g. charge)
                        async with api.http.request(
                            method, path, json=body, headers={"Authorization": f"Bearer {token}"}
                        ) as resp:
                            answer = await resp.json()
                            assert 400 <= resp.status < 500, (path, why, body, resp.status)
                            api.check(path, method, resp.status, answer)
                        sent += 1
        assert sent > 100
        assert game.calls == []
        assert api.plugin.pending() == []
        assert game.players_by_name["ana"].balance == 500


async def test_valid_samples_from_the_document_succeed(game: FakeGame) -> None:
    """The other half of accuracy: bodies the document calls valid are accepted."""
    async with running_api(game, allow_pending=True) as api:
        token = await api.token()
        for variant in component("BridgeRequest")["oneOf"]:
            body = SCHEMAS.sample(variant)
            status, answer, _ = await api.call("POST", "/bridge", token, json=body)
            assert status == 200, (body, answer)
        register = SCHEMAS.sample(component("RegisterRequest"))
        assert (await api.call("POST", "/register", json=register))[0] == 202
    assert len(game.calls) == len(REQUEST_TYPES)


async def test_every_secured_operation_rejects_missing_and_wrong_tokens(game: FakeGame) -> None:
    async with running_api(game) as api:
        valid_grant = SCHEMAS.sample(component("GrantTokens"))
        secured = [
            (path, method, op)
            for path, ops in DOC["paths"].items()
            for method, op in ops.items()
            if op.get("security")
        ]
        assert {p for p, _, _ in secured} == {"/universal", "/bridge", "/events"}
        for path, method, _ in secured:
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}):
                body = valid_grant if method == "post" else None
                async with api.http.request(method, path, json=body, headers=headers) as resp:
                    assert resp.status == 401, (path, headers)
                    api.check(path, method, resp.status, await resp.json())
    assert game.calls == []
