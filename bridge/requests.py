"""Requests a plugin may make of the game, and what the game answers.

A plugin never changes the world itself: it builds one of these frozen dataclasses and
passes it to ``ctx.request``. The bridge checks the plugin's capability, rate limit and
the request's own validity, writes an audit record, and only then hands it to the game's
``RequestHandler`` (the single writer). Each request type names the capability it needs
and its HTTP form (``target`` + ``action``), so the in-process and HTTP paths share one
table and one set of checks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol


class InvalidRequest(ValueError):
    """A request field is out of range; carries one problem per field."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.problems.items()))


def _ident(value: object) -> str | None:
    if not isinstance(value, str):
        return "must be a string"
    if not 1 <= len(value) <= 64:
        return "must be 1 to 64 characters"
    if not value.isprintable() or value.strip() != value:
        return "must be printable with no surrounding spaces"
    return None


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return "must be a string"
    if not value.strip() or len(value) > 2000:
        return "must be 1 to 2000 characters and not blank"
    return None


def _amount(value: object) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool):
        return "must be an integer"
    if not 1 <= value <= 1_000_000:
        return "must be between 1 and 1000000"
    return None


def _optional_ident(value: object) -> str | None:
    return None if value is None else _ident(value)


#: How each field name is checked, wherever a request comes from.
FIELD_RULES: Mapping[str, Callable[[object], str | None]] = {
    "player": _ident,
    "room": _ident,
    "unlock": _ident,
    "reason": _ident,
    "text": _text,
    "amount": _amount,
    "request_id": _optional_ident,
}

#: JSON type of each field on the wire (the OpenAPI document says the same).
FIELD_JSON_TYPES: Mapping[str, str] = {
    "player": "string",
    "room": "string",
    "unlock": "string",
    "reason": "string",
    "text": "string",
    "amount": "integer",
}


@dataclass(frozen=True, kw_only=True)
class Request:
    """Base of every request. ``request_id`` lets the game make retries idempotent."""

    capability: ClassVar[str] = ""
    target: ClassVar[str] = ""
    action: ClassVar[str] = ""
    request_id: str | None = None

    def __post_init__(self) -> None:
        problems = {}
        for f in dataclasses.fields(self):
            problem = FIELD_RULES[f.name](getattr(self, f.name))
            if problem:
                problems[f.name] = problem
        if problems:
            raise InvalidRequest(problems)


@dataclass(frozen=True)
class MessagePlayer(Request):
    """Send a line of text to one player (shown as coming from the plugin)."""

    capability: ClassVar[str] = "message"
    target: ClassVar[str] = "player"
    action: ClassVar[str] = "message"
    player: str
    text: str


@dataclass(frozen=True)
class PostToRoom(Request):
    """Show a line of text to everyone in a room."""

    capability: ClassVar[str] = "post"
    target: ClassVar[str] = "room"
    action: ClassVar[str] = "post"
    room: str
    text: str


@dataclass(frozen=True)
class GrantTokens(Request):
    """Credit tokens to a player from the bridge's system account."""

    capability: ClassVar[str] = "tokens.grant"
    target: ClassVar[str] = "tokens"
    action: ClassVar[str] = "grant"
    player: str
    amount: int
    reason: str


@dataclass(frozen=True)
class ChargeTokens(Request):
    """Debit tokens from a player (refused by the game if it would overdraw)."""

    capability: ClassVar[str] = "tokens.charge"
    target: ClassVar[str] = "tokens"
    action: ClassVar[str] = "charge"
    player: str
    amount: int
    reason: str


@dataclass(frozen=True)
class GrantUnlock(Request):
    """Give a player an unlock."""

    capability: ClassVar[str] = "unlock"
    target: ClassVar[str] = "unlock"
    action: ClassVar[str] = "grant"
    player: str
    unlock: str
    reason: str


#: Every request type, keyed by its HTTP ``(target, action)``.
REQUEST_TYPES: Mapping[tuple[str, str], type[Request]] = {
    (t.target, t.action): t
    for t in (MessagePlayer, PostToRoom, GrantTokens, ChargeTokens, GrantUnlock)
}

#: Capabilities that allow requests; a plugin's config may grant any of them.
REQUEST_CAPABILITIES: frozenset[str] = frozenset(t.capability for t in REQUEST_TYPES.values())


def request_fields(cls: type[Request]) -> tuple[str, ...]:
    """The payload fields of a request type (``request_id`` is part of the envelope)."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.name != "request_id")


OUTCOMES = ("ok", "refused", "denied", "rate-limited", "invalid", "error", "timeout")


@dataclass(frozen=True)
class RequestResult:
    """What happened to a request.

    ``outcome`` is ``ok`` or ``refused`` when the game decided (``ok`` tells which),
    ``denied`` (no capability), ``rate-limited``, ``invalid``, ``error`` (the handler
    raised) or ``timeout`` (the handler took too long) when the bridge decided.
    """

    ok: bool
    detail: str = ""
    outcome: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.outcome:
            object.__setattr__(self, "outcome", "ok" if self.ok else "refused")
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")


class RequestHandler(Protocol):
    """The game's side: applies an already-authorised request. The only writer.

    ``plugin`` is the principal that asked: a plugin name, or ``"http/<client>"`` for a
    client of the HTTP API. Return ``RequestResult(False, "why")`` to refuse.
    """

    async def apply(self, plugin: str, request: Request) -> RequestResult:
        """Carry out ``request`` and report the result."""
        ...
