"""The out-of-band data MUD clients read: GMCP packages and the MSDP variables beside them.

Pure functions from what a front end is given (a :class:`~game.core.reply.RoomView`, a
:class:`~game.core.reply.StatusView`, replies) and from :class:`~game.fronts.telnet.source`
facts to JSON-ready values. docs/gmcp.md documents every package and field in
:data:`PACKAGES`; a test checks the two agree, so a package cannot ship undocumented.

MSDP carries the same facts, as the variables in :data:`MSDP_FROM` (each read from one GMCP
package), for clients that prefer it; MSDP values are strings, arrays and tables, so
numbers travel as strings there.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from game.core.reply import Kind, Reply, RoomView, Spoken, StatusView
from game.fronts.telnet.source import RoomFacts

Json = Any

PACKAGES = (
    "Char.Name",
    "Char.Status",
    "Char.Vitals",
    "Char.Skills",
    "Char.Items.Inv",
    "Room.Info",
    "Room.Players",
    "Comm.Channel.Text",
    "sshrealm.Growth",
)
"""Every package the server sends. It reads Core.Hello and Core.Supports.* from clients."""

CHANNELS = {Kind.SAY: "say", Kind.EMOTE: "emote", Kind.TELL: "tell", Kind.CHANNEL: ""}


def room_num(room_id: str) -> int:
    """A stable positive number for a room id (CRC-32): the same on every server start, for
    mappers that key rooms by number (Mudlet's ``gmcp.Room.Info.num``)."""
    return zlib.crc32(room_id.encode()) & 0x7FFFFFFF


def char_name(name: str) -> Json:
    return {"name": name, "fullname": name}


def char_status(status: StatusView) -> Json:
    return {
        "name": status.name,
        "location": status.location,
        "tokens": status.tokens,
        "tier": status.tier,
        "quota_left": status.quota_left,
    }


def char_vitals(status: StatusView) -> Json:
    """Health and stamina the way MUD clients' gauges read them (``hp``/``maxhp``,
    ``mp``-style pairs as ``sp``/``maxsp``); numbers, or null before the game knows them."""
    return {
        "hp": status.health,
        "maxhp": status.max_health,
        "sp": status.stamina,
        "maxsp": status.max_stamina,
    }


def room_info(view: RoomView, facts: RoomFacts) -> Json:
    """Mapper-shaped (IRE's ``Room.Info``, which Mudlet's mappers read): ``num`` and
    ``exits`` by number, beside the stable string ids."""
    return {
        "num": room_num(view.id),
        "id": view.id,
        "name": view.title,
        "area": view.area,
        "area_id": facts.area_id,
        "exits": {d: room_num(to) for d, to in facts.exits.items()},
        "exit_ids": dict(facts.exits),
        "doors": {d: state for d, state in facts.doors.items()},
        "coords": list(facts.coordinates) if facts.coordinates is not None else None,
    }


def room_players(view: RoomView) -> Json:
    return [{"name": n, "fullname": n} for n in view.people]


def channel_texts(replies: Sequence[Reply]) -> list[Json]:
    """A ``Comm.Channel.Text`` for each say, emote, tell and channel line among ``replies``
    (a channel line's channel is the chat channel's name)."""
    out = []
    for reply in replies:
        channel = CHANNELS.get(reply.kind)
        if channel is not None:
            spoken = reply.data if isinstance(reply.data, Spoken) else Spoken("")
            talker, channel = spoken.talker, channel or spoken.channel
            out.append({"channel": channel, "talker": talker, "text": reply.text})
    return out


# -- MSDP ---------------------------------------------------------------------------------------
def _text(value: object) -> str:
    return "" if value is None else str(value)


def _room(info: Json) -> Json:
    coords = info.get("coords") or []
    return {
        "VNUM": str(info["num"]),
        "ID": info["id"],
        "NAME": info["name"],
        "AREA": info["area"],
        "EXITS": {d: str(n) for d, n in info["exits"].items()},
        "COORDS": {k: str(v) for k, v in zip(("X", "Y", "Z"), coords, strict=False)},
    }


MSDP_FROM: Mapping[str, tuple[str, Callable[[Json], Json]]] = {
    "CHARACTER_NAME": ("Char.Name", lambda d: d["name"]),
    "TOKENS": ("Char.Status", lambda d: str(d["tokens"])),
    "TIER": ("Char.Status", lambda d: d["tier"]),
    "QUOTA_LEFT": ("Char.Status", lambda d: _text(d["quota_left"])),
    "LOCATION": ("Char.Status", lambda d: d["location"]),
    "HEALTH": ("Char.Vitals", lambda d: _text(d["hp"])),
    "HEALTH_MAX": ("Char.Vitals", lambda d: _text(d["maxhp"])),
    "STAMINA": ("Char.Vitals", lambda d: _text(d["sp"])),
    "STAMINA_MAX": ("Char.Vitals", lambda d: _text(d["maxsp"])),
    "SKILLS": (
        "Char.Skills",
        lambda d: {s["name"]: {"LEVEL": str(s["level"]), "XP": str(s["xp"])} for s in d},
    ),
    "INVENTORY": ("Char.Items.Inv", lambda d: [f"{i['count']} {i['name']}" for i in d["items"]]),
    "ROOM": ("Room.Info", _room),
    "ROOM_VNUM": ("Room.Info", lambda d: str(d["num"])),
    "ROOM_NAME": ("Room.Info", lambda d: d["name"]),
    "AREA_NAME": ("Room.Info", lambda d: d["area"]),
    "ROOM_EXITS": ("Room.Info", lambda d: {k: str(v) for k, v in d["exits"].items()}),
    "ROOM_PLAYERS": ("Room.Players", lambda d: [p["name"] for p in d]),
    "GROWTH": ("sshrealm.Growth", lambda d: [s for s in d["suggestions"]]),
}
"""MSDP variable -> (the GMCP package it is read from, how)."""

MSDP_COMMANDS = ("LIST", "REPORT", "RESET", "SEND", "UNREPORT")


def msdp_values(package: str, data: Json) -> dict[str, Json]:
    """The MSDP variables that ``package``'s new ``data`` sets."""
    return {var: read(data) for var, (pkg, read) in MSDP_FROM.items() if pkg == package}
