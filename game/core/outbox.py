"""The one path out: everything the game tells anyone leaves through the outbox, after commit.

A command, a timer or a plugin request changes the world inside a *step*. What the step
has to say (lines to a player, to a room, to everyone; a room's panel and plan to redraw; a
status bar to refresh; an event for listeners and plugins) is put in the outbox as plain
data (:data:`Delivery`), addressed by session id, player name or room id, never by live
objects, so the front end that renders it could live in another process. When the step
ends normally, the outbox releases its deliveries in the order they were made; when it
fails, they are dropped and the step's undo actions (in-memory world changes) run in
reverse, so a rollback leaves nothing behind: no line, no event, no moved body.

Outside any step (a plain call from a test or a tool) a delivery is released at once.
Deliveries made while a batch is being released (a listener that rewards a move) join the
queue and are released in the same flush, after what caused them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import structlog

from bridge.events import Event
from game.core.reply import Reply

log = structlog.get_logger("sshrealm.outbox")


@dataclass(frozen=True, slots=True)
class ToSession:
    """Lines for one session (a command's own reply, to the session that typed it)."""

    session_id: str
    replies: tuple[Reply, ...]


@dataclass(frozen=True, slots=True)
class ToPlayer:
    """Lines for a player's interactive session, if they are online."""

    name: str
    replies: tuple[Reply, ...]


@dataclass(frozen=True, slots=True)
class ToRoom:
    """Lines for everyone in a room but the excluded (lower-cased names)."""

    room: str
    replies: tuple[Reply, ...]
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ToAll:
    """Lines for every interactive session."""

    replies: tuple[Reply, ...]


@dataclass(frozen=True, slots=True)
class RoomChanged:
    """Who or what is in a room changed: redraw its panel and plan for everyone in it."""

    room: str


@dataclass(frozen=True, slots=True)
class StatusChanged:
    """A player's status bar may have changed (tokens, tier, quota, place): recomputed
    once per release, however many changes a step made."""

    name: str


@dataclass(frozen=True, slots=True)
class Close:
    """End a session's front end with a sentence, after everything queued before it."""

    session_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Publish:
    """A typed game event for the listeners (activity log, metrics, rewards) and plugins."""

    event: Event


Delivery = ToSession | ToPlayer | ToRoom | ToAll | RoomChanged | StatusChanged | Close | Publish
Release = Callable[[Sequence[Delivery]], None]


class Outbox:
    """Holds a step's deliveries until it commits; ``release`` carries them out."""

    def __init__(self, release: Release) -> None:
        self._release = release
        self._pending: list[Delivery] = []
        self._undo: list[Callable[[], None]] = []
        self._depth = 0
        self._releasing = False

    def put(self, delivery: Delivery) -> None:
        """Queue a delivery; outside a step it is released at once."""
        self._pending.append(delivery)
        if self._depth == 0:
            self.flush()

    # -- what services say, by address (shorthands for put) ------------------------------------
    def publish(self, event: Event) -> None:
        """A typed event for listeners and plugins, when the step commits."""
        self.put(Publish(event))

    def tell(self, name: str, *replies: Reply) -> None:
        """Lines for ``name``'s interactive session, if they are online then."""
        self.put(ToPlayer(name, replies))

    def tell_room(self, room: str, *replies: Reply, exclude: Sequence[str] = ()) -> None:
        """Lines for everyone in ``room`` but the excluded (lower-cased names)."""
        self.put(ToRoom(room, replies, tuple(exclude)))

    def tell_all(self, *replies: Reply) -> None:
        self.put(ToAll(replies))

    def room_changed(self, room: str) -> None:
        """Redraw ``room``'s panel and plan for everyone in it."""
        self.put(RoomChanged(room))

    def status_changed(self, name: str) -> None:
        """Recompute ``name``'s status bar once, when the step commits."""
        self.put(StatusChanged(name))

    def on_rollback(self, undo: Callable[[], None]) -> None:
        """Register how to undo an in-memory change made in this step (no-op outside one)."""
        if self._depth > 0:
            self._undo.append(undo)

    def step(self) -> Step:
        """One all-or-nothing unit (a context manager). Entering it gives ``first``: a
        delivery passed to it is released before everything else the step made (a
        command's reply before what followed it). Steps nest; only the outermost releases."""
        return Step(self)

    def open_step(self) -> tuple[int, int]:
        """Enter a step (for :class:`Step`): where its deliveries and undo actions start."""
        self._depth += 1
        return len(self._pending), len(self._undo)

    def close_step(self, marks: tuple[int, int], head: list[Delivery], *, failed: bool) -> None:
        """Leave a step (for :class:`Step`): on failure drop what it made and undo its
        changes, newest first; else put its ``head`` first and, outermost, release."""
        self._depth -= 1
        mark, undo_mark = marks
        if failed:
            del self._pending[mark:]
            undo = self._undo[undo_mark:]
            del self._undo[undo_mark:]
            for action in reversed(undo):
                try:
                    action()
                except Exception:  # one failed undo must not skip the others
                    log.exception("undo_failed")
            return
        self._pending[mark:mark] = head
        if self._depth == 0:
            self._undo.clear()
            self.flush()

    def flush(self) -> None:
        """Release everything queued, including what releasing it queues."""
        if self._releasing:
            return  # the running flush picks it up
        self._releasing = True
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                self._release(batch)
        finally:
            self._releasing = False


class Step:
    """:meth:`Outbox.step`: a plain class, not a generator, since every command and every
    listener call opens one."""

    __slots__ = ("_head", "_marks", "_outbox")

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox
        self._head: list[Delivery] = []
        self._marks = (0, 0)

    def __enter__(self) -> Callable[[Delivery], None]:
        self._marks = self._outbox.open_step()
        return self._head.append

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        self._outbox.close_step(self._marks, self._head, failed=kind is not None)
