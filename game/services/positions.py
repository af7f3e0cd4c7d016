"""Where everyone stands inside a room: squares ``(x, y)`` (y grows south) on its plan.

Runtime state only: a player is placed on a free square when first seen in a room (by the
door they came through), NPCs on fixed squares derived from the plan. Visual viewers (a TUI
session whose player chose ``form visual``) get one immutable PlanView snapshot per change,
shared by all of them and batched per PUSH_TICK; everyone else gets one sentence per walk.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import deque
from collections.abc import Callable, Collection, Iterable

from bridge.events import Event, PlayerJoined, PlayerLeft, PlayerMoved, PlayerSaid
from game.core.outbox import Outbox
from game.core.reply import Kind, Reply
from game.services.presence import Online, Seat
from game.services.progress import Unlocks
from game.services.wallet import Wallet
from game.world.layout import Avatar, Bubble, Layout, PlanView, generated
from game.world.model import OPPOSITE, Room
from game.world.state import Player, World

Spot = tuple[int, int]
STEPS: dict[str, Spot] = {
    "north": (0, -1),
    "south": (0, 1),
    "east": (1, 0),
    "west": (-1, 0),
    "northeast": (1, -1),
    "northwest": (-1, -1),
    "southeast": (1, 1),
    "southwest": (-1, 1),
}
FORMS = ("text", "visual")
VISUAL_UNLOCK = "form:visual"
PUSH_TICK = 0.03
"""Seconds: walks in one room within this window reach each viewer as one snapshot."""


class Forms:
    """Each player's chosen form, persisted in its own table and cached in memory."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._cache: dict[str, str] = {}
        self.visual: set[str] = set()  # lower-cased names known to be in the visual form

    def get(self, name: str) -> str:
        key = name.lower()
        form = self._cache.get(key)
        if form is None:
            row = self.conn.execute(
                "SELECT form FROM player_forms WHERE player = ?", (name,)
            ).fetchone()
            form = row[0] if row else "text"
            self._remember(key, form)
        return form

    def forget(self, name: str) -> None:
        """Drop a player who left from the cache (read from the table when they return)."""
        self._cache.pop(name.lower(), None)
        self.visual.discard(name.lower())

    def _remember(self, key: str, form: str) -> None:
        self._cache[key] = form
        if form == "visual":
            self.visual.add(key)
        else:
            self.visual.discard(key)

    def set(self, name: str, form: str, now_ms: int) -> None:
        if form not in FORMS:
            raise ValueError(f"unknown form {form!r}")
        self.conn.execute(
            "INSERT INTO player_forms (player, form, changed_ms) VALUES (?, ?, ?)"
            " ON CONFLICT(player) DO UPDATE SET form = excluded.form,"
            " changed_ms = excluded.changed_ms",
            (name, form, now_ms),
        )
        self._remember(name.lower(), form)


class Positions:
    """Squares of players and NPCs, plans per room, and who is shown what."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        world: World,
        online: Online,
        wallet: Wallet,
        unlocks: Unlocks,
        outbox: Outbox,
        clock: Callable[[], int],
    ) -> None:
        self.world = world
        self.online = online
        self.wallet = wallet
        self.unlocks = unlocks
        self.outbox = outbox
        self.clock = clock
        self.forms = Forms(conn)
        self.spots: dict[str, tuple[str, Spot]] = {}  # player key -> (room id, square)
        self._layouts: dict[str, tuple[Room, Layout]] = {}
        self._npcs: dict[str, tuple[Room, tuple[str, ...], tuple[Avatar, ...]]] = {}
        self._views: dict[str, PlanView] = {}  # room id -> snapshot, dropped on any change
        self._due: set[str] = set()  # rooms with a push scheduled

    # -- plans ---------------------------------------------------------------------------------
    def layout(self, room_id: str) -> Layout:
        """The room's authored plan, or its generated one (cached per content version)."""
        room = self.world.room(room_id)
        cached = self._layouts.get(room.id)
        if cached is not None and cached[0] is room:
            return cached[1]
        layout = room.layout or generated([e.direction for e in room.exits], room.features)
        self._layouts[room.id] = (room, layout)
        return layout

    def npcs(self, room_id: str) -> tuple[Avatar, ...]:
        """NPCs in the room now (wanderers passing by too) on fixed squares: middle rows
        first, from the east wall, away from doors."""
        room = self.world.room(room_id)
        names = tuple(npc.name for npc in self.world.npcs_in(room.id))
        cached = self._npcs.get(room.id)
        if cached is not None and cached[0] is room and cached[1] == names:
            return cached[2]
        layout = self.layout(room.id)
        doors = set(layout.doors().values())
        free = sorted(
            (abs(y - layout.height // 2), -x, y, x)
            for x, y, tile in layout.cells()
            if tile.kind == "floor"
            and not any(abs(x - dx) <= 1 and abs(y - dy) <= 1 for dx, dy in doors)
        )
        avatars = tuple(
            Avatar(name, x, y, "npc") for name, (_, _, y, x) in zip(names, free, strict=False)
        )
        self._npcs[room.id] = (room, names, avatars)
        return avatars

    def occupied(self, room_id: str, exclude: str | None = None) -> dict[Spot, str]:
        """Squares taken by NPCs and by players already placed in the room."""
        out = {(a.x, a.y): a.name for a in self.npcs(room_id)}
        for player in self.world.occupants(room_id):
            entry = self.spots.get(player.key)
            if player.key != exclude and entry is not None and entry[0] == room_id:
                out[entry[1]] = player.name
        return out

    # -- players -------------------------------------------------------------------------------
    def spot(self, player: Player) -> Spot:
        entry = self.spots.get(player.key)
        if entry is not None and entry[0] == player.room:
            return entry[1]
        return self.place(player)

    def place(self, player: Player, near: Spot | None = None) -> Spot:
        """Put ``player`` on the free floor square nearest ``near`` (default: the middle)."""
        layout = self.layout(player.room)
        taken = self.occupied(player.room, exclude=player.key)
        start = near or (layout.width // 2, layout.height // 2)
        spot = _nearest(layout, start, lambda s: _floor(layout, s) and s not in taken)
        self.move_to(player, spot or start)
        return spot or start

    def move_to(self, player: Player, spot: Spot) -> None:
        self.spots[player.key] = (player.room, spot)
        self._views.pop(player.room, None)

    def path(self, player: Player, goals: Collection[Spot]) -> list[Spot] | None:
        """Shortest walk (8 directions, never through doors or people) to any goal square."""
        layout = self.layout(player.room)
        start = self.spot(player)
        taken = self.occupied(player.room, exclude=player.key)
        came: dict[Spot, Spot | None] = {start: None}
        queue = deque([start])
        while queue:
            here = queue.popleft()
            if here in goals:
                steps = []
                at: Spot | None = here
                while at is not None and at != start:
                    steps.append(at)
                    at = came[at]
                return steps[::-1]
            for dx, dy in STEPS.values():
                nxt = (here[0] + dx, here[1] + dy)
                if nxt not in came and _floor(layout, nxt) and nxt not in taken:
                    came[nxt] = here
                    queue.append(nxt)
        return None

    # -- who sees what -------------------------------------------------------------------------
    def is_visual(self, session: Seat) -> bool:
        return session.kind == "tui" and self.forms.get(session.player.name) == "visual"

    def may_use_visual(self, name: str) -> bool:
        """Premium players, and anyone Cal granted the ``form:visual`` unlock."""
        return self.wallet.tier(name) == "premium" or self.unlocks.has(name, VISUAL_UNLOCK)

    def snapshot(self, room_id: str) -> PlanView:
        view = self._views.get(room_id)
        if view is None:
            people = [Avatar(p.name, *self.spot(p)) for p in self.world.occupants(room_id)]
            room = self.world.room(room_id)
            view = PlanView(
                room.id, room.title, self.layout(room.id), (*self.npcs(room.id), *people)
            )
            self._views[room_id] = view
        return view

    def plan_reply(self, room_id: str) -> Reply:
        return Reply(Kind.PLAN, "", self.snapshot(room_id))

    def viewers(self, room_id: str) -> Iterable[Seat]:
        """The sessions of the players in ``room_id`` (the world's index of who is where,
        not a walk over everyone online)."""
        for player in self.world.occupants(room_id):
            session = self.online.get(player.name)
            if session is not None and session.player is player:
                yield session

    def visual_viewers(self, room_id: str) -> list[Seat]:
        """The sessions in ``room_id`` showing the plan: a walk over the few players in the
        visual form, not over everyone online (a say in a crowded room asks this)."""
        found = []
        for key in self.forms.visual:
            session = self.online.get(key)
            if session is not None and session.player.room == room_id and self.is_visual(session):
                found.append(session)
        return found

    def push(self, room_id: str, *, exclude: Player | None = None) -> None:
        """Send the room's fresh snapshot to its visual viewers (one object for all)."""
        self._views.pop(room_id, None)
        reply: Reply | None = None
        for session in self.visual_viewers(room_id):
            if session.player is not exclude:
                reply = reply or self.plan_reply(room_id)
                session.send([reply])

    def announce(self, mover: Player, sentence: str) -> None:
        """One sentence to the room's non-visual viewers; a snapshot to the visual ones."""
        line = Reply(Kind.MOVE, sentence)
        for session in self.viewers(mover.room):
            if session.player is not mover and not self.is_visual(session):
                session.send([line])
        self.push_soon(mover.room)

    def push_soon(self, room_id: str) -> None:
        """Push within :data:`PUSH_TICK`: all the steps taken in a room meanwhile travel as
        one snapshot per viewer, not one message per step (outside a loop: at once)."""
        self._views.pop(room_id, None)
        if room_id in self._due:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.push(room_id)
            return
        self._due.add(room_id)
        loop.call_later(PUSH_TICK, self._push_due, room_id)

    def _push_due(self, room_id: str) -> None:
        self._due.discard(room_id)
        self.push(room_id)

    # -- events --------------------------------------------------------------------------------
    def on_event(self, event: Event) -> None:
        if isinstance(event, PlayerMoved):
            player = self.world.find_online(event.player)
            if player is not None and player.room == event.to_room:
                door = self.layout(event.to_room).doors().get(OPPOSITE.get(event.via, ""))
                self.place(player, near=door)
                self.push(event.to_room)
        elif isinstance(event, PlayerSaid):
            bubble = Reply(Kind.PLAN, "", Bubble(event.player, event.text))
            for session in self.visual_viewers(event.room):
                session.send([bubble])
        elif isinstance(event, PlayerJoined) and event.front_end == "tui":
            self._joined(event.player)
        elif isinstance(event, PlayerLeft) and self.online.get(event.player) is None:
            self.forms.forget(event.player)

    def _joined(self, name: str) -> None:
        """Check the stored form still allowed; show the plan once the TUI is attached."""
        if self.forms.get(name) != "visual":
            return
        if not self.may_use_visual(name):
            self.forms.set(name, "text", self.clock())
            self.outbox.tell(
                name, Reply.info("The visual form needs premium or its unlock; back to text.")
            )
            return
        try:
            # The SSH layer attaches the TUI front end right after connect() returns.
            asyncio.get_running_loop().call_soon(self._show_plan, name)
        except RuntimeError:
            self._show_plan(name)

    def _show_plan(self, name: str) -> None:
        session = self.online.get(name)
        if session is not None and self.is_visual(session):
            session.send([self.plan_reply(session.player.room)])


def _floor(layout: Layout, spot: Spot) -> bool:
    tile = layout.tile(*spot)
    return tile is not None and tile.kind == "floor"


def _nearest(layout: Layout, start: Spot, ok: Callable[[Spot], bool]) -> Spot | None:
    """Breadth-first over every square of the plan from ``start`` to the first ``ok`` one."""
    seen = {start}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        if ok(here):
            return here
        for dx, dy in STEPS.values():
            nxt = (here[0] + dx, here[1] + dy)
            if nxt not in seen and layout.tile(*nxt) is not None:
                seen.add(nxt)
                queue.append(nxt)
    return None
