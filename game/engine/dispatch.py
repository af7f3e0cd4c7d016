"""Carries released deliveries (game/core/outbox.py) to front ends, listeners and plugins.

This is the only place that calls a front end's ``deliver``, ``set_room`` and
``set_status`` for game output. A failing front end or listener is logged and skipped:
one broken connection never stops the others from hearing what happened.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

import structlog

from bridge.events import Event
from game.core.outbox import (
    Close,
    Delivery,
    Publish,
    RoomChanged,
    StatusChanged,
    ToAll,
    ToPlayer,
    ToRoom,
    ToSession,
)
from game.core.reply import Reply, RoomView, Spoken

if TYPE_CHECKING:
    from game.engine.session import Session, Sessions
    from game.world.state import Player

log = structlog.get_logger("sshrealm.dispatch")


class Dispatcher:
    """``Outbox`` release function over the presence table."""

    def __init__(
        self,
        sessions: Sessions,
        view: Callable[[Player], RoomView],
        push_plan: Callable[[str], None],
        announce: Callable[[Event], None],
        ignorers: Callable[[str], AbstractSet[str]] = lambda talker: frozenset(),
        occupants: Callable[[str], Sequence[Player]] | None = None,
    ) -> None:
        self.sessions = sessions
        # Who is in a room (World.occupants): a room's sessions without a look at all.
        self.occupants = occupants
        self.ignorers = ignorers  # talker -> who ignores them: their words stay away
        self.view = view
        self.push_plan = push_plan
        self.announce = announce

    def release(self, batch: Sequence[Delivery]) -> None:
        statuses: dict[str, None] = {}  # ordered set: one status per player per release
        rooms: set[str] = set()  # one panel and plan redraw per room per release
        for delivery in batch:
            try:
                if isinstance(delivery, StatusChanged):
                    statuses[delivery.name.lower()] = None
                elif isinstance(delivery, Publish):
                    self.announce(delivery.event)
                elif isinstance(delivery, RoomChanged):
                    if delivery.room not in rooms:
                        rooms.add(delivery.room)
                        self._room_changed(delivery.room)
                elif isinstance(delivery, Close):
                    self._close(delivery)
                else:
                    deaf = self._deaf(delivery.replies)
                    for session in self._targets(delivery):
                        if session.ended:
                            continue
                        replies = delivery.replies
                        if deaf and session.player.key in deaf:  # rare: most say to all
                            replies = self._heard(session, replies)
                            if not replies:
                                continue
                        _guarded(session.front_end.deliver, replies)
            except Exception:
                log.exception("delivery_failed", delivery=type(delivery).__name__)
        for name in statuses:
            online = self.sessions.get(name)
            if online is not None and not online.ended:
                try:
                    online.refresh_status()
                except Exception:
                    log.exception("status_failed", player=name)

    def _deaf(self, replies: tuple[Reply, ...]) -> Collection[str]:
        """Who ignores a talker of any of ``replies`` (usually nobody: then no session
        needs its own copy)."""
        found: set[str] = set()
        for reply in replies:
            if isinstance(reply.data, Spoken):
                found |= self.ignorers(reply.data.talker)
        return found

    def _heard(self, session: Session, replies: tuple[Reply, ...]) -> tuple[Reply, ...]:
        """``replies`` without the lines of talkers this session's player ignores."""
        key = session.player.key
        return tuple(
            r
            for r in replies
            if not (isinstance(r.data, Spoken) and key in self.ignorers(r.data.talker))
        )

    def _targets(self, d: ToSession | ToPlayer | ToRoom | ToAll) -> list[Session]:
        if isinstance(d, ToSession):
            found = self.sessions.by_id.get(d.session_id)
            return [found] if found is not None else []
        if isinstance(d, ToPlayer):
            player = self.sessions.get(d.name)
            return [player] if player is not None else []
        if isinstance(d, ToRoom):
            return [s for s in self._in_room(d.room) if s.player.key not in d.exclude]
        return list(self.sessions)

    def _in_room(self, room: str) -> list[Session]:
        if self.occupants is None:
            return [s for s in self.sessions if s.player.room == room]
        found = []
        for player in self.occupants(room):
            session = self.sessions.by_player.get(player.key)
            if session is not None and session.player is player:
                found.append(session)
        return found

    def _close(self, d: Close) -> None:
        session = self.sessions.by_id.get(d.session_id)
        if session is None or session.ended:
            return
        session.ended = True
        session.front_end.close(d.reason)
        if session.on_close is not None:
            session.on_close()

    def _room_changed(self, room: str) -> None:
        for session in self._in_room(room):
            # A front end without a room panel (line mode: arrivals came as sentences) says
            # so with ``shows_room = False``, and no view is worked out for it.
            if not session.ended and getattr(session.front_end, "shows_room", True):
                _guarded(lambda s=session: s.front_end.set_room(self.view(s.player)))
        _guarded(self.push_plan, room)


def _guarded(call: Callable[..., None], *args: object) -> None:
    """One front end failing (a broken pipe, a bug) never keeps the others from hearing."""
    try:
        call(*args)
    except Exception:
        log.exception("front_end_failed")
