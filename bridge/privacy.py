"""What of an event may leave the process: the one place that redacts by the reader's scopes.

Every transport that carries events out of the process (the HTTP WebSocket stream, the
webhook relay, any later one) asks :func:`redact` for the wire form. The rules live on the
event classes themselves (``Event.private`` for a whole event, ``Event.scoped`` per field),
next to the fields they protect, so a new event states its privacy where it is written:

* a ``private`` event (``player-told``) goes only to readers granted ``events.private``;
* a ``scoped`` field is ``null`` for a reader without its scope, and the envelope lists the
  hidden fields under ``"redacted"`` so a client can tell "hidden" from "empty".

In-process plugins receive the event objects themselves: they run inside the process
already and are trusted with what it holds.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from bridge.events import Event, event_to_dict

#: The scopes that change what an event shows.
PRIVACY_SCOPES = frozenset({"events.private", "state.balances"})


def may_see(event_type: type[Event], scopes: Collection[str]) -> bool:
    """Whether a reader with ``scopes`` may receive events of this type at all."""
    return not event_type.private or "events.private" in scopes


def hidden_fields(event_type: type[Event], scopes: Collection[str]) -> tuple[str, ...]:
    """The fields of ``event_type`` a reader with ``scopes`` gets as ``null``."""
    return tuple(f for f, scope in event_type.scoped.items() if scope not in scopes)


def redact(event: Event, scopes: Collection[str]) -> dict[str, Any] | None:
    """The wire form of ``event`` for a reader with ``scopes``, or ``None`` if it may not
    see the event at all."""
    if not may_see(type(event), scopes):
        return None
    wire = event_to_dict(event)
    hidden = hidden_fields(type(event), scopes)
    if hidden:
        for name in hidden:
            wire["data"][name] = None
        wire["redacted"] = list(hidden)
    return wire


def redact_json(event: Event, scopes: Collection[str]) -> str | None:
    """:func:`redact` as compact JSON text (what streams and webhooks send)."""
    wire = redact(event, scopes)
    if wire is None:
        return None
    return json.dumps(wire, separators=(",", ":"), ensure_ascii=False)
