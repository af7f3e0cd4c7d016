"""``community.yaml``: the world's chat channels and socials (targeted emotes).

Channels are named rooms for talk that reach every listener wherever they are. Each has a
title, who may read and who may write (a role: player, builder or admin), and whether new
players start out listening (``join: auto``) or join themselves (``join: open``). Socials
are emotes with up to five views: alone (``you``, ``room``) and aimed at someone
(``you_target``, ``target``, ``room_target``); ``{actor}`` and ``{target}`` are the names.
Errors are located to file:line:col like the rest of the content.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path

from game.world.reader import Reader
from game.world.source import LocatedDict, where_of

ROLES = ("player", "builder", "admin")
JOIN_MODES = ("auto", "open")
CHANNEL_KEYS = {"title", "about", "read", "write", "join", "history"}
SOCIAL_VIEWS = ("you", "room", "you_target", "target", "room_target")
COMMUNITY_KEYS = {"channels", "socials"}
NAME = re.compile(r"^[a-z][a-z0-9-]{1,19}$")
HISTORY_MAX = 50


@dataclass(frozen=True, slots=True)
class ChannelDef:
    id: str
    title: str
    about: str = ""
    read: str = "player"
    write: str = "player"
    join: str = "auto"
    history: int = 20

    @property
    def public(self) -> bool:
        """Every player may read it (its lines may go to plugins without the private scope)."""
        return self.read == "player"


@dataclass(frozen=True, slots=True)
class SocialDef:
    name: str
    you: str
    room: str
    you_target: str = ""
    target: str = ""
    room_target: str = ""

    @property
    def aimed(self) -> bool:
        """It can be aimed at someone (``wave ana``)."""
        return bool(self.you_target)


@dataclass(frozen=True)
class Community:
    channels: dict[str, ChannelDef] = field(default_factory=dict)
    socials: dict[str, SocialDef] = field(default_factory=dict)


def load_community(reader: Reader, path: Path) -> Community:
    if not path.exists():
        return Community()
    node = reader.file(path)
    if node is None:
        return Community()
    if not isinstance(node, LocatedDict):
        reader.error(where_of(node), "community.yaml must be a mapping")
        return Community()
    reader.unknown_keys(node, COMMUNITY_KEYS, "community.yaml")
    return Community(
        channels=_channels(reader, node.get("channels")),
        socials=_socials(reader, node.get("socials")),
    )


def _names(reader: Reader, raw: object, what: str) -> list[tuple[str, LocatedDict]]:
    """The entries of a ``name: {fields}`` mapping, each name checked."""
    if raw is None:
        return []
    if not isinstance(raw, LocatedDict):
        reader.error(where_of(raw), f"{what}s must be a mapping of name to fields")
        return []
    out = []
    for name, spec in raw.items():
        if not isinstance(name, str) or not NAME.match(name):
            reader.error(
                where_of(raw, name),
                f"{what} name {name!r} must be 2-20 lower-case letters, digits or '-'",
            )
        elif not isinstance(spec, LocatedDict):
            reader.error(where_of(raw, name), f"{what} {name!r} must be a mapping of fields")
        else:
            out.append((name, spec))
    return out


def _channels(reader: Reader, raw: object) -> dict[str, ChannelDef]:
    channels: dict[str, ChannelDef] = {}
    for name, spec in _names(reader, raw, "channel"):
        reader.unknown_keys(spec, CHANNEL_KEYS, "channel")
        title = reader.field(spec, "title", str) or name
        roles = {}
        for key in ("read", "write"):
            role = reader.field(spec, key, str, required=False) or "player"
            if role not in ROLES:
                reader.error(where_of(spec, key), f"{key!r} must be one of {', '.join(ROLES)}")
            roles[key] = role
        if (
            roles["read"] in ROLES
            and roles["write"] in ROLES
            and ROLES.index(roles["write"]) < ROLES.index(roles["read"])
        ):
            reader.error(where_of(spec, "write"), "who may write must also be allowed to read")
        join = reader.field(spec, "join", str, required=False) or "auto"
        if join not in JOIN_MODES:
            reader.error(where_of(spec, "join"), f"'join' must be one of {', '.join(JOIN_MODES)}")
        history = reader.field(spec, "history", int, required=False)
        if history is not None and not 0 <= history <= HISTORY_MAX:
            reader.error(where_of(spec, "history"), f"'history' must be 0 to {HISTORY_MAX}")
            history = None
        channels[name] = ChannelDef(
            id=name,
            title=title,
            about=reader.field(spec, "about", str, required=False) or "",
            read=roles["read"],
            write=roles["write"],
            join=join,
            history=20 if history is None else history,
        )
    return channels


def _socials(reader: Reader, raw: object) -> dict[str, SocialDef]:
    socials: dict[str, SocialDef] = {}
    for name, spec in _names(reader, raw, "social"):
        reader.unknown_keys(spec, set(SOCIAL_VIEWS), "social")
        views: dict[str, str] = {}
        for view in SOCIAL_VIEWS:
            required = view in ("you", "room")
            text = reader.field(spec, view, str, required=required)
            if text is None:
                continue
            allowed = {"actor"} if view in ("you", "room") else {"actor", "target"}
            if _template_error(reader, spec, view, text, allowed):
                continue
            views[view] = text
        aimed = [v for v in ("you_target", "target", "room_target") if v in views]
        if aimed and len(aimed) < 3:
            missing = sorted({"you_target", "target", "room_target"} - set(aimed))
            reader.error(spec.where, f"social {name!r} aimed at someone also needs {missing}")
            continue
        if "you" in views and "room" in views:
            socials[name] = SocialDef(name=name, **views)
    return socials


def _template_error(
    reader: Reader, spec: LocatedDict, view: str, text: str, allowed: set[str]
) -> bool:
    """Report a view whose placeholders are not ``{actor}``/``{target}`` as allowed."""
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    except ValueError as exc:
        reader.error(where_of(spec, view), f"{view!r} is not a valid template: {exc}")
        return True
    unknown = fields - allowed
    if unknown:
        names = ", ".join("{" + f + "}" for f in sorted(allowed))
        reader.error(where_of(spec, view), f"{view!r} may only use {names}, not {sorted(unknown)}")
        return True
    return False
