"""Typed game events: what the game tells the bridge happened.

Events are frozen dataclasses named in the past tense. Each carries a class-level wire
``name`` (the kebab-case string used on the HTTP stream, in webhook bodies and in docs)
and a ``ts`` stamped by the publisher in milliseconds since the epoch. The game creates
them; plugins only read them. ``ts`` is keyword-only and required so that every publisher
stamps events from its injected clock instead of the bridge reading the wall clock.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every bridge event; never published on its own."""

    name: ClassVar[str] = "event"
    #: True for events that reveal something one player said to another in private: they
    #: leave the process only for readers granted ``events.private``.
    private: ClassVar[bool] = False
    #: Fields that leave the process only for readers holding a scope: field -> scope.
    #: Everything else in an event is public (see bridge/privacy.py).
    scoped: ClassVar[Mapping[str, str]] = {}
    ts: float


@dataclass(frozen=True)
class PlayerJoined(Event):
    """A player's session began (any front end).

    Event name: ``player-joined``
    """

    name: ClassVar[str] = "player-joined"
    player: str
    session_id: str
    front_end: str  # "tui", "line" or "exec"


@dataclass(frozen=True)
class PlayerLeft(Event):
    """A player's session ended.

    Event name: ``player-left``
    """

    name: ClassVar[str] = "player-left"
    player: str
    session_id: str
    reason: str  # "quit", "disconnected", "idle", "kicked", ...


@dataclass(frozen=True)
class PlayerMoved(Event):
    """A player went from one room to another.

    Event name: ``player-moved``
    """

    name: ClassVar[str] = "player-moved"
    player: str
    from_room: str
    to_room: str
    via: str  # the exit taken ("north"), or "teleport" / "login"


@dataclass(frozen=True)
class PlayerSaid(Event):
    """A player said something aloud in a room.

    Event name: ``player-said``
    """

    name: ClassVar[str] = "player-said"
    player: str
    room: str
    text: str


@dataclass(frozen=True)
class PlayerEmoted(Event):
    """A player performed an emote in a room.

    Event name: ``player-emoted``
    """

    name: ClassVar[str] = "player-emoted"
    player: str
    room: str
    text: str


@dataclass(frozen=True)
class PlayerTold(Event):
    """A player sent a private message to another player.

    Private: the HTTP API streams it only to clients granted ``events.private``.

    Event name: ``player-told``
    """

    name: ClassVar[str] = "player-told"
    private: ClassVar[bool] = True
    player: str
    target: str
    text: str


@dataclass(frozen=True)
class ChannelSaid(Event):
    """A player said something on a chat channel every player may read.

    Event name: ``channel-said``
    """

    name: ClassVar[str] = "channel-said"
    player: str
    channel: str
    text: str


@dataclass(frozen=True)
class ChannelSaidRestricted(Event):
    """A player said something on a channel only some roles may read (staff).

    Private: the HTTP API streams it only to clients granted ``events.private``.

    Event name: ``channel-said-restricted``
    """

    name: ClassVar[str] = "channel-said-restricted"
    private: ClassVar[bool] = True
    player: str
    channel: str
    text: str


@dataclass(frozen=True)
class CommandRun(Event):
    """The engine finished running one command line.

    ``line`` (the whole typed line, with the command's arguments) is private: readers
    without ``events.private`` get ``null`` there; ``verb`` is public.

    Event name: ``command-run``
    """

    name: ClassVar[str] = "command-run"
    scoped: ClassVar[Mapping[str, str]] = {"line": "events.private"}
    player: str
    verb: str
    line: str
    ok: bool
    duration_ms: float


@dataclass(frozen=True)
class TokensCharged(Event):
    """Tokens left a player's account (a price, a fee, an admin or plugin charge).

    ``balance`` is ``null`` for readers without ``state.balances``.

    Event name: ``tokens-charged``
    """

    name: ClassVar[str] = "tokens-charged"
    scoped: ClassVar[Mapping[str, str]] = {"balance": "state.balances"}
    player: str
    amount: int
    reason: str
    balance: int  # the player's balance after the transfer
    transfer_id: str


@dataclass(frozen=True)
class TokensCredited(Event):
    """Tokens arrived in a player's account (a reward, a grant, a transfer).

    ``balance`` is ``null`` for readers without ``state.balances``.

    Event name: ``tokens-credited``
    """

    name: ClassVar[str] = "tokens-credited"
    scoped: ClassVar[Mapping[str, str]] = {"balance": "state.balances"}
    player: str
    amount: int
    reason: str
    balance: int
    transfer_id: str


@dataclass(frozen=True)
class QuestCompleted(Event):
    """A player completed a quest and received its rewards.

    Event name: ``quest-completed``
    """

    name: ClassVar[str] = "quest-completed"
    player: str
    quest: str
    rewards: Mapping[str, int]  # e.g. {"tokens": 50, "skill.mining": 1}


@dataclass(frozen=True)
class UnlockGranted(Event):
    """A player gained an unlock (a command, an area, a cosmetic).

    Event name: ``unlock-granted``
    """

    name: ClassVar[str] = "unlock-granted"
    player: str
    unlock: str
    reason: str


@dataclass(frozen=True)
class ReflectionReportWritten(Event):
    """An analyst (Cal or Domingo) stored a reflection report.

    Event name: ``reflection-report-written``
    """

    name: ClassVar[str] = "reflection-report-written"
    cycle_id: str
    analyst: str
    path: str


@dataclass(frozen=True)
class ContentReloaded(Event):
    """The world content was reloaded from YAML.

    Event name: ``content-reloaded``
    """

    name: ClassVar[str] = "content-reloaded"
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    by: str  # the admin who ran the reload, or "watcher"


@dataclass(frozen=True)
class MailSent(Event):
    """A player mailed another account, perhaps with tokens attached (held in escrow).

    Metadata only: the subject and body never leave the game.

    Event name: ``mail-sent``
    """

    name: ClassVar[str] = "mail-sent"
    sender: str
    recipient: str
    mail_id: int
    tokens: int  # attached and held in escrow; 0 for none


@dataclass(frozen=True)
class MailTokensTaken(Event):
    """A mail's recipient took the tokens attached to it (escrow -> recipient).

    Event name: ``mail-tokens-taken``
    """

    name: ClassVar[str] = "mail-tokens-taken"
    sender: str
    recipient: str
    mail_id: int
    tokens: int


@dataclass(frozen=True)
class MailReturned(Event):
    """A mail's held tokens went back to its sender (escrow -> sender).

    Event name: ``mail-returned``
    """

    name: ClassVar[str] = "mail-returned"
    sender: str
    recipient: str
    mail_id: int
    tokens: int
    why: str  # "returned" (by the recipient), "deleted" or "expired"


def _index(*types: type[Event]) -> Mapping[str, type[Event]]:
    return {t.name: t for t in types}


#: Every published event type by wire name. Read-only by convention (a tuple-built dict).
EVENT_TYPES: Mapping[str, type[Event]] = _index(
    ChannelSaid,
    ChannelSaidRestricted,
    PlayerJoined,
    PlayerLeft,
    PlayerMoved,
    PlayerSaid,
    PlayerEmoted,
    PlayerTold,
    CommandRun,
    TokensCharged,
    TokensCredited,
    QuestCompleted,
    UnlockGranted,
    ReflectionReportWritten,
    ContentReloaded,
    MailSent,
    MailTokensTaken,
    MailReturned,
)


def _field_names(cls: type[Event]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.name != "ts")


# Computed once at import (read-only afterwards): serialising is on the streaming hot path.
_FIELDS: Mapping[type[Event], tuple[str, ...]] = {t: _field_names(t) for t in EVENT_TYPES.values()}


def _fields(cls: type[Event]) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    return names if names is not None else _field_names(cls)


def _plain(value: object) -> Any:
    """Turn tuples and mappings into JSON-ready lists and dicts."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def event_to_dict(event: Event) -> dict[str, Any]:
    """The wire form: ``{"type": name, "ts": ms, "data": {field: value}}``.

    Fields sit under ``data`` so that an event field can never collide with the envelope.
    """
    data = {f: _plain(getattr(event, f)) for f in _fields(type(event))}
    return {"type": event.name, "ts": event.ts, "data": data}


def event_to_json(event: Event) -> str:
    """``event_to_dict`` as compact JSON text (what the WebSocket stream and webhooks send)."""
    return json.dumps(event_to_dict(event), separators=(",", ":"), ensure_ascii=False)


def event_from_dict(raw: Mapping[str, Any]) -> Event:
    """Rebuild an event from its wire form; used by tests and by relays that re-publish.

    Raises ``ValueError`` for an unknown type or a field set that does not match exactly.
    """
    cls = EVENT_TYPES.get(str(raw.get("type")))
    if cls is None:
        raise ValueError(f"unknown event type {raw.get('type')!r}")
    data = raw.get("data")
    if not isinstance(data, Mapping) or set(data) != set(_fields(cls)):
        raise ValueError(f"{cls.name}: data must have exactly the fields {_fields(cls)}")
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    return cls(ts=float(raw["ts"]), **values)


def event_field_names(cls: type[Event]) -> tuple[str, ...]:
    """The payload fields of an event type, in declaration order (docs and schema tests)."""
    return _fields(cls)
