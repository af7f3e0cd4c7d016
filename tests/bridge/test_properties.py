"""Property tests: the bus queue is a drop-oldest ring; the wire parser only ever raises
WireError; events survive the JSON round trip."""

from __future__ import annotations

import dataclasses
import json
from collections import deque

from hypothesis import given, settings
from hypothesis import strategies as st

from bridge.bus import EventBus
from bridge.events import (
    EVENT_TYPES,
    Event,
    PlayerSaid,
    event_field_names,
    event_from_dict,
    event_to_json,
)
from bridge.requests import REQUEST_TYPES, Request, request_fields
from bridge.wire import WireError, request_from_wire, request_to_wire

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(
    maxsize=st.integers(1, 8),
    ops=st.lists(st.one_of(st.integers(1, 5), st.just(0)), max_size=60),
)
def test_bus_queue_is_a_drop_oldest_ring(maxsize: int, ops: list[int]) -> None:
    bus = EventBus()
    sub = bus.subscribe(PlayerSaid, maxsize=maxsize)
    model: deque[int] = deque()
    dropped = seq = 0
    for op in ops:
        if op == 0:  # read one
            got = sub.get_nowait()
            expected = model.popleft() if model else None
            assert (got.ts if got else None) == expected
            continue
        for _ in range(op):  # publish `op` events
            if len(model) == maxsize:
                model.popleft()
                dropped += 1
            model.append(seq)
            bus.publish(PlayerSaid("ana", "hall", "x", ts=seq))
            seq += 1
    assert sub.dropped == dropped
    assert sub.depth == len(model)
    assert bus.published == seq


@settings(max_examples=300)
@given(
    body=st.one_of(
        json_values,
        st.fixed_dictionaries(
            {
                "target": st.sampled_from(["tokens", "player", "room", "unlock", "x"]),
                "action": st.sampled_from(["grant", "charge", "message", "post", "x"]),
                "data": st.dictionaries(
                    st.sampled_from(["player", "room", "text", "amount", "reason", "unlock", "z"]),
                    json_values,
                    max_size=4,
                ),
            },
        ),
    )
)
def test_wire_parser_returns_a_request_or_raises_wire_error(body: object) -> None:
    try:
        request = request_from_wire(body)
    except WireError as exc:
        json.dumps({"error": exc.error, "detail": exc.detail})  # always serialisable
    else:
        assert isinstance(request, Request)
        assert request_to_wire(request)["data"] == {
            k: getattr(request, k) for k in request_fields(type(request))
        }


def _event_strategy(cls: type[Event]) -> st.SearchStrategy[Event]:
    text = st.text(max_size=20)
    by_type = {
        "str": text,
        "int": st.integers(-(2**40), 2**40),
        "float": st.floats(allow_nan=False, allow_infinity=False),
        "bool": st.booleans(),
        "tuple[str, ...]": st.lists(text, max_size=3).map(tuple),
        "Mapping[str, int]": st.dictionaries(text, st.integers(0, 10**6), max_size=3),
    }
    types = {f.name: str(f.type) for f in dataclasses.fields(cls)}
    fields = {name: by_type[types[name]] for name in event_field_names(cls)}
    return st.builds(cls, ts=st.floats(0, 2e12), **fields)


@given(st.sampled_from(list(EVENT_TYPES.values())).flatmap(_event_strategy))
def test_events_round_trip_through_json(event: Event) -> None:
    assert event_from_dict(json.loads(event_to_json(event))) == event


def test_request_types_cover_every_capability() -> None:
    assert len({t.capability for t in REQUEST_TYPES.values()}) == len(REQUEST_TYPES)
