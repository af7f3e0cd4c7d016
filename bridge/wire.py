"""JSON envelopes for requests: ``{"target", "action", "data", "request_id"?}``.

Shared by the HTTP plugin and the docs test so that the documented JSON and the server
accept exactly the same shapes. Parsing is strict (unknown, missing or mistyped fields are
errors) because a typo in a grant should fail loudly, not grant the wrong thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bridge.requests import (
    FIELD_JSON_TYPES,
    REQUEST_TYPES,
    InvalidRequest,
    Request,
    request_fields,
)

ENVELOPE_FIELDS = frozenset({"target", "action", "data", "request_id"})


class WireError(ValueError):
    """A body that cannot become a request; ``detail`` lists each problem."""

    def __init__(self, error: str, detail: Any) -> None:
        self.error = error
        self.detail = detail
        super().__init__(f"{error}: {detail}")


def _type_ok(value: object, json_type: str) -> bool:
    if json_type == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, str)


def _envelope(body: object) -> tuple[type[Request], Mapping[str, Any], Any]:
    if not isinstance(body, Mapping):
        raise WireError("invalid-body", "the body must be a JSON object")
    problems: dict[str, str] = {}
    for key in sorted(set(body) - ENVELOPE_FIELDS):
        problems[str(key)] = "unknown field"
    for key in ("target", "action", "data"):
        if key not in body:
            problems[key] = "required"
    for key in ("target", "action"):
        if key in body and not isinstance(body[key], str):
            problems[key] = "must be a string"
    if "data" in body and not isinstance(body["data"], Mapping):
        problems["data"] = "must be an object"
    if problems:
        raise WireError("invalid-body", problems)
    cls = REQUEST_TYPES.get((body["target"], body["action"]))
    if cls is None:
        known = sorted(f"{t}/{a}" for t, a in REQUEST_TYPES)
        raise WireError(
            "unknown-action",
            {"target/action": f"{body['target']}/{body['action']}", "known": known},
        )
    return cls, body["data"], body.get("request_id")


def request_from_wire(body: object) -> Request:
    """Build the request a JSON body describes, or raise ``WireError``."""
    cls, data, request_id = _envelope(body)
    fields = request_fields(cls)
    problems: dict[str, str] = {}
    for key in sorted(set(data) - set(fields)):
        problems[f"data.{key}"] = "unknown field"
    for name in fields:
        if name not in data:
            problems[f"data.{name}"] = "required"
        elif not _type_ok(data[name], FIELD_JSON_TYPES[name]):
            problems[f"data.{name}"] = f"must be a JSON {FIELD_JSON_TYPES[name]}"
    if request_id is not None and not isinstance(request_id, str):
        problems["request_id"] = "must be a string"
    if problems:
        raise WireError("invalid-body", problems)
    try:
        return cls(**{name: data[name] for name in fields}, request_id=request_id)
    except InvalidRequest as exc:
        prefixed = {(k if k == "request_id" else f"data.{k}"): v for k, v in exc.problems.items()}
        raise WireError("invalid-body", prefixed) from None


def request_to_wire(request: Request) -> dict[str, Any]:
    """The JSON envelope for a request (the inverse of ``request_from_wire``)."""
    body: dict[str, Any] = {
        "target": request.target,
        "action": request.action,
        "data": {name: getattr(request, name) for name in request_fields(type(request))},
    }
    if request.request_id is not None:
        body["request_id"] = request.request_id
    return body
