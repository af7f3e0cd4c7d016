"""Events: naming, immutability and the wire form."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from bridge.events import (
    EVENT_TYPES,
    ContentReloaded,
    Event,
    PlayerSaid,
    QuestCompleted,
    event_from_dict,
    event_to_dict,
    event_to_json,
)


def test_every_event_docstring_names_it() -> None:
    for name, cls in EVENT_TYPES.items():
        assert cls.name == name
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", name)
        assert f"Event name: ``{name}``" in (cls.__doc__ or ""), cls


def test_every_event_subclass_is_registered() -> None:
    assert set(Event.__subclasses__()) == set(EVENT_TYPES.values())


def test_events_are_frozen_and_need_a_timestamp() -> None:
    event = PlayerSaid("ana", "hall", "hi", ts=1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.text = "bye"  # type: ignore[misc]
    with pytest.raises(TypeError):
        PlayerSaid("ana", "hall", "hi")  # type: ignore[call-arg]


def test_event_to_dict_nests_fields_under_data() -> None:
    event = ContentReloaded(("rooms/a",), (), ("rooms/b",), "admin", ts=5.5)
    assert event_to_dict(event) == {
        "type": "content-reloaded",
        "ts": 5.5,
        "data": {"added": ["rooms/a"], "changed": [], "removed": ["rooms/b"], "by": "admin"},
    }


def test_event_json_round_trips() -> None:
    for event in (
        PlayerSaid("ana", "hall", 'héllo "there"', ts=1.25),
        QuestCompleted("ana", "first-steps", {"tokens": 50}, ts=2.0),
        ContentReloaded(("a",), ("b", "c"), (), "watcher", ts=3.0),
    ):
        assert event_from_dict(json.loads(event_to_json(event))) == event


def test_event_from_dict_rejects_unknown_and_partial() -> None:
    with pytest.raises(ValueError, match="unknown event type"):
        event_from_dict({"type": "nope", "ts": 1, "data": {}})
    with pytest.raises(ValueError, match="exactly the fields"):
        event_from_dict({"type": "player-said", "ts": 1, "data": {"player": "ana"}})
