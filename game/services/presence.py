"""Who is connected, as services and commands see it: read-only protocols.

The presence table itself (:class:`~game.engine.session.Sessions`) belongs to the engine,
which opens and closes sessions. Services and commands only ask who is online and where,
and send a session its own lines, so they depend on these two protocols and nothing above
them; the engine's classes satisfy both.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from game.core.reply import Reply
from game.world.state import Player


class Seat(Protocol):
    """One connected session: its id, body, front end kind, and its own output."""

    @property
    def id(self) -> str: ...
    @property
    def player(self) -> Player: ...
    @property
    def kind(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def last_input_ms(self) -> int: ...

    def send(self, replies: Sequence[Reply]) -> None:
        """Lines for this session alone, when the step commits."""

    def close(self, reason: str) -> None:
        """End this session with a sentence, after what was said before it."""


class Online(Protocol):
    """The interactive sessions, at most one per player."""

    def __iter__(self) -> Iterator[Seat]: ...
    def __len__(self) -> int: ...
    def get(self, name: str) -> Seat | None: ...
