"""Test doubles for the TUI: a PlayerPort that records, a channel that collects bytes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from game.core.reply import RoomView, StatusView

HALL = RoomView(
    id="hall",
    title="The Great Hall",
    description="A long hall of grey stone.\nTorches flicker on the walls.",
    exits=("north", "south"),
    people=("bob",),
    items=("a rusty key",),
    npcs=("an old guard",),
    area="Castle",
)

GARDEN = RoomView(
    id="garden",
    title="The Rose Garden",
    description="Roses everywhere.",
    exits=("west",),
    area="Castle",
)


@dataclass
class FakePort:
    """A PlayerPort that records submitted lines and serves fixed completions."""

    name: str = "alice"
    room: RoomView | None = HALL
    status: StatusView = field(
        default_factory=lambda: StatusView("alice", "The Great Hall", 12, "free", 5)
    )
    words: tuple[str, ...] = ("look", "locate", "say", "north", "south", "bob")
    submitted: list[str] = field(default_factory=list)

    def submit(self, line: str) -> None:
        self.submitted.append(line)

    def completions(self) -> Sequence[str]:
        return self.words

    def current_room(self) -> RoomView | None:
        return self.room

    def current_status(self) -> StatusView:
        return self.status


@dataclass
class FakeChannel:
    """Collects what the driver writes; can pretend to be congested."""

    data: bytearray = field(default_factory=bytearray)
    closed: bool = False
    queued: int = 0

    def write(self, data: bytes) -> None:
        if self.closed:
            raise BrokenPipeError("channel closed")
        self.data.extend(data)

    def close(self) -> None:
        self.closed = True

    def get_write_buffer_size(self) -> int:
        return self.queued

    def text(self, since: int = 0) -> str:
        """What was written (from byte offset ``since``), decoded."""
        return self.data[since:].decode("utf-8", "replace")
