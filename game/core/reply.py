"""Structured output: what commands return and what sessions receive.

A command never writes to a terminal. It returns :class:`Reply` objects (kind + plain text +
optional structured data) and each front end renders them: the TUI as styled Rich ``Text``
(never parsing markup), line mode as plain ``\\r\\n`` lines with one fact per line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from game.core.text import join_words


class Kind(StrEnum):
    """What a line of output is; front ends style by kind, screen readers hear the text."""

    INFO = "info"
    ERROR = "error"
    ROOM = "room"
    SAY = "say"
    EMOTE = "emote"
    TELL = "tell"
    CHANNEL = "channel"  # a channel line, always "[channel] name: text"
    MOVE = "move"
    SYSTEM = "system"
    HELP = "help"
    ECONOMY = "economy"
    PLAN = "plan"  # visual form only: data is a PlanView, a Bubble, or None (hide)


@dataclass(frozen=True, slots=True)
class Spoken:
    """The data of a line made of a player's words (a say, an emote, a tell, a social, a
    channel line): who spoke, and on which channel. A player who ignores the talker never
    gets the line, whatever path it takes (game/engine/dispatch.py); telnet sends it as
    GMCP Comm.Channel.Text."""

    talker: str
    channel: str = ""


@dataclass(frozen=True, slots=True)
class RoomView:
    """Everything a player perceives of a room, in the order line mode reads it."""

    id: str
    title: str
    description: str
    exits: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    npcs: tuple[str, ...] = ()
    area: str = ""

    def lines(self) -> list[str]:
        """Title, exits, description, contents: the order screen-reader players expect."""
        out = [self.title]
        out.append(f"Exits: {join_words(list(self.exits))}." if self.exits else "No exits.")
        out.extend(p for p in self.description.split("\n") if p.strip())
        if self.npcs:
            out.append(f"Here: {join_words(list(self.npcs))}.")
        if self.people:
            verb = "is" if len(self.people) == 1 else "are"
            out.append(f"{join_words(list(self.people))} {verb} here.")
        if self.items:
            out.append(f"You see {join_words(list(self.items))}.")
        return out


@dataclass(frozen=True, slots=True)
class StatusView:
    """The status bar: who, where, tokens, tier, and what a free player has left today."""

    name: str
    location: str = ""
    tokens: int = 0
    tier: str = "free"
    quota_left: int | None = None
    health: int | None = None  # None: the front end shows no health
    max_health: int | None = None
    stamina: int | None = None
    max_stamina: int | None = None

    def text(self) -> str:
        """The status line; health and stamina last, as a bar and numbers."""
        parts = [self.name, self.location, f"{self.tokens} tokens", self.tier]
        if self.quota_left is not None:
            parts.append(f"{self.quota_left} priced actions left today")
        parts.append(self.vitals())
        return " | ".join(p for p in parts if p)

    def vitals(self) -> str:
        """``health [########--] 16/20 stamina 9/10``, or nothing when not known."""
        if self.health is None or not self.max_health:
            return ""
        out = f"health {self.health_bar()} {self.health}/{self.max_health}"
        if self.stamina is not None and self.max_stamina:
            out += f" stamina {self.stamina}/{self.max_stamina}"
        return out

    def health_bar(self, width: int = 10) -> str:
        """``[#######---]``: health as a bar of ``width`` cells, for the status area."""
        if self.health is None or not self.max_health:
            return ""
        full = round(width * max(0, self.health) / self.max_health)
        return "[" + "#" * full + "-" * (width - full) + "]"


@dataclass(frozen=True, slots=True)
class Reply:
    """One piece of output. ``text`` is plain text: never markup, never escape sequences."""

    kind: Kind
    text: str
    data: Any = field(default=None, compare=False)

    @property
    def ok(self) -> bool:
        return self.kind is not Kind.ERROR

    @classmethod
    def info(cls, text: str) -> Reply:
        return cls(Kind.INFO, text)

    @classmethod
    def error(cls, text: str) -> Reply:
        return cls(Kind.ERROR, text)

    @classmethod
    def room(cls, view: RoomView) -> Reply:
        return cls(Kind.ROOM, "\n".join(view.lines()), view)

    def lines(self) -> list[str]:
        """Plain lines for line mode and exec mode."""
        return self.text.split("\n") if self.text else []
