"""Frames on the bus: msgpack of plain lists, dicts and the core's frozen dataclasses.

Everything the world tells a gateway is already plain data (game/core/outbox.py: replies,
room views, status bars), so it crosses the bus as it is: a dataclass of
:data:`KNOWN` becomes ``[tag, field, field, ...]`` (ext type 1), a :class:`Reply` keeps its
kind, tuples come back as tuples. Anything else in a reply's data (which only the process
that made it could use) is dropped to None rather than failing the whole frame.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import msgpack

from game.core.reply import Kind, Reply, RoomView, Spoken, StatusView
from game.core.report_view import ReportView, Section, Table
from game.world.layout import Avatar, Bubble, Layout, PlanView, Tile
from reflection.sheet import GrowthSheet

KNOWN: tuple[type, ...] = (
    RoomView,
    StatusView,
    Spoken,
    PlanView,
    Bubble,
    Layout,
    Tile,
    Avatar,
    ReportView,
    Section,
    Table,
    GrowthSheet,
)
"""Every type a reply's data may hold that a front end looks at (game/fronts: isinstance
checks); a test keeps this list and those checks together."""
_TAG = {cls: i for i, cls in enumerate(KNOWN)}
_DATA_EXT = 1
_REPLY_EXT = 2


def _default(obj: Any) -> Any:
    if isinstance(obj, Reply):
        data = obj.data
        if not (data is None or isinstance(data, str) or type(data) in _TAG):
            data = None
        return msgpack.ExtType(_REPLY_EXT, pack([obj.kind.value, obj.text, data]))
    tag = _TAG.get(type(obj))
    if tag is not None:
        values = [getattr(obj, f.name) for f in dataclasses.fields(obj)]
        return msgpack.ExtType(_DATA_EXT, pack([tag, *values]))
    raise TypeError(f"cannot send {type(obj).__name__} over the bus")


def _tuples(value: Any) -> Any:
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _ext(code: int, raw: bytes) -> Any:
    items = unpack(raw)
    if code == _REPLY_EXT:
        kind, text, data = items
        return Reply(Kind(kind), text, data)
    tag, *values = items
    return KNOWN[tag](*(_tuples(v) for v in values))


def pack(value: Any) -> bytes:
    """``value`` as bytes for a stream entry."""
    return msgpack.packb(value, default=_default, use_bin_type=True)  # type: ignore[no-any-return]


def unpack(raw: bytes) -> Any:
    """What :func:`pack` made (lists stay lists at the top; dataclass fields are tuples)."""
    return msgpack.unpackb(raw, ext_hook=_ext, raw=False, strict_map_key=False)
