"""Requests: validation and the JSON envelope."""

from __future__ import annotations

import pytest

from bridge.requests import (
    REQUEST_CAPABILITIES,
    REQUEST_TYPES,
    GrantTokens,
    InvalidRequest,
    MessagePlayer,
    RequestResult,
    request_fields,
)
from bridge.wire import WireError, request_from_wire, request_to_wire


def test_capabilities_are_the_documented_five() -> None:
    assert {"message", "post", "tokens.grant", "tokens.charge", "unlock"} == REQUEST_CAPABILITIES


def test_requests_validate_their_fields() -> None:
    with pytest.raises(InvalidRequest) as err:
        GrantTokens("ana", 0, "")
    assert set(err.value.problems) == {"amount", "reason"}
    with pytest.raises(InvalidRequest):
        GrantTokens("ana", True, "contest")
    with pytest.raises(InvalidRequest):
        MessagePlayer("ana", "   ")
    with pytest.raises(InvalidRequest):
        MessagePlayer("an\x1ba", "hi")


def test_wire_round_trip_for_every_type() -> None:
    samples = {
        "player": "ana",
        "room": "hall",
        "text": "hi",
        "amount": 5,
        "reason": "contest",
        "unlock": "map",
    }
    for (target, action), cls in REQUEST_TYPES.items():
        body = {
            "target": target,
            "action": action,
            "data": {k: samples[k] for k in request_fields(cls)},
            "request_id": "r-1",
        }
        request = request_from_wire(body)
        assert isinstance(request, cls)
        assert request_to_wire(request) == body


@pytest.mark.parametrize(
    ("body", "error", "field"),
    [
        ([], "invalid-body", None),
        ({"target": "tokens", "action": "grant"}, "invalid-body", "data"),
        ({"target": "tokens", "action": "grant", "data": {}, "x": 1}, "invalid-body", "x"),
        ({"target": "tokens", "action": "steal", "data": {}}, "unknown-action", None),
        ({"target": 1, "action": "grant", "data": {}}, "invalid-body", "target"),
        (
            {
                "target": "tokens",
                "action": "grant",
                "data": {"player": "ana", "amount": "5", "reason": "x"},
            },
            "invalid-body",
            "data.amount",
        ),
        (
            {
                "target": "tokens",
                "action": "grant",
                "data": {"player": "ana", "amount": 5, "reason": "x", "extra": 1},
            },
            "invalid-body",
            "data.extra",
        ),
        (
            {
                "target": "tokens",
                "action": "grant",
                "data": {"player": "ana", "amount": -5, "reason": "x"},
            },
            "invalid-body",
            "data.amount",
        ),
        (
            {
                "target": "room",
                "action": "post",
                "data": {"room": "hall", "text": "x"},
                "request_id": 7,
            },
            "invalid-body",
            "request_id",
        ),
    ],
)
def test_wire_rejects_malformed(body: object, error: str, field: str | None) -> None:
    with pytest.raises(WireError) as err:
        request_from_wire(body)
    assert err.value.error == error
    if field:
        assert field in err.value.detail


def test_result_outcome_follows_ok() -> None:
    assert RequestResult(True).outcome == "ok"
    assert RequestResult(False, "no").outcome == "refused"
    with pytest.raises(ValueError, match="outcome"):
        RequestResult(False, "x", "sideways")
