"""The game: world, sessions, commands and engine, wired once and shared by every front end.

This object knows nothing of SSH or Textual. The SSH layer calls :meth:`Game.connect` after
authentication with a front end, and gets a :class:`~game.engine.session.Session` back.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable, Sequence
from types import ModuleType

import structlog

from bridge.bus import EventBus
from bridge.events import Event, PlayerJoined, PlayerLeft, UnlockGranted
from economy import Ledger, Tiers, system_clock
from game.commands import (
    admin,
    admin_ops,
    authoring,
    bridge_clients,
    info,
    items,
    keys,
    movement,
    npcs,
    options,
    payments,
    quests,
    shops,
    skills,
    speech,
    travel,
    visual,
)
from game.commands import economy as economy_commands
from game.commands import growth as growth_commands
from game.commands.base import Registry
from game.core.config import Settings
from game.core.outbox import Outbox, Publish, RoomChanged
from game.core.port import FrontEnd
from game.core.reply import Kind, Reply, StatusView
from game.engine.dispatch import Dispatcher
from game.engine.execute import Engine
from game.engine.reflecting import RewardMultipliers, load_rules
from game.engine.reload import ContentWatcher
from game.engine.session import Session, Sessions
from game.services.activity import ActivityLog
from game.services.audit import Audit
from game.services.limits import CommandLimit, Cooldowns
from game.services.metrics import Metrics
from game.services.moderation import Moderation
from game.services.positions import Positions
from game.services.progress import Skills, Unlocks
from game.services.quests import QuestBook
from game.services.rewards import Rewards
from game.services.store import Store
from game.services.wallet import Wallet
from game.services.wander import Wanderers
from game.world.model import Content
from game.world.state import Player, World

log = structlog.get_logger("sshrealm.game")

Clock = Callable[[], int]
COMMAND_MODULES: tuple[ModuleType, ...] = (
    info,
    movement,
    speech,
    items,
    keys,
    options,
    admin,
    admin_ops,
    bridge_clients,
    economy_commands,
    payments,
    skills,
    shops,
    travel,
    visual,
    growth_commands,
    npcs,
    quests,
    authoring,
)


wall_clock_ms = system_clock
"""The game's real clock: milliseconds since the epoch, the ledger's own clock."""


class Game:
    def __init__(
        self,
        settings: Settings,
        conn: sqlite3.Connection,
        content: Content,
        *,
        clock: Clock = wall_clock_ms,
        rng: random.Random | None = None,
        modules: Sequence[ModuleType] = COMMAND_MODULES,
    ) -> None:
        self.settings = settings
        self.conn = conn
        self.clock = clock
        self.rng = rng or random.Random()
        self.store = Store(conn)
        self.ledger = Ledger(conn, clock)
        self.tiers = Tiers(conn, clock)
        self.wallet = Wallet(self, self.ledger, self.tiers)
        self.skills = Skills(conn, lambda: self.world.content.economy)
        self.unlocks = Unlocks(conn, clock)
        # The one path out (game/core/outbox.py): a step's output leaves on commit, in order,
        # through the dispatcher; a failed step leaves nothing, its world changes undone.
        self.outbox = Outbox(lambda batch: self.dispatcher.release(batch))
        self.sessions = Sessions(self.outbox)
        self.dispatcher = Dispatcher(
            self.sessions,
            lambda player: self.world.view(player.room, player),
            lambda room: self.positions.push(room),
            self._announce,
        )
        self.world = World(content, self.store, clock)
        self.world.on_rollback = self.outbox.on_rollback
        self.registry = Registry.from_modules(modules)
        self.engine = Engine(self)
        self.bus = EventBus()
        self.listeners: list[Callable[[Event], None]] = []
        self.audit = Audit(conn, clock)
        self.moderation = Moderation(conn, clock)
        self.command_limit = CommandLimit(
            settings.commands_per_second, settings.command_burst, clock
        )
        self.cooldowns = Cooldowns(clock)  # rests between repeated actions (gathering)
        self.payments = payments.Payments(self)  # a payment waiting for "yes"
        self.rewards = Rewards(self)  # daily bonus and first-visit faucets
        self.metrics = Metrics()
        self.multipliers = RewardMultipliers(conn)  # Domingo's bounded reward tuning
        self.activity = ActivityLog(  # the reflection cycle's activity log
            conn,
            lambda name: getattr(self.world.find_online(name), "room", ""),
            load_rules(settings.content_dir).categories,
        )
        # Gates run before every command, in this order; the first refusal wins.
        self.engine.gates += [self.command_limit.gate, self.moderation.gate]
        self.engine.preludes.append(self.payments.prelude)
        # Every published event reaches these, in this order (then the plugin bus).
        self.listeners += [self.rewards.on_event, self.metrics.observe, self.activity.record]
        # These subscribe themselves to self.listeners.
        self.positions = Positions(self)  # squares in rooms, the visual form
        self.quests = QuestBook(self)  # quest state; listens for moves and commands
        self.wanderers = Wanderers(self)  # the wander behaviour (a Component in app.py)
        self.content_watcher = ContentWatcher(self)  # opt-in live reload (reload watch on)

    # -- accounts ------------------------------------------------------------------------------
    def ensure_account(self, name: str, *, password_hash: str | None = None) -> None:
        if self.store.account(name) is None:
            self.store.create_account(
                name, self.clock(), room=self.world.content.start_room, password_hash=password_hash
            )
            log.info("account_created", player=name)

    # -- sessions ------------------------------------------------------------------------------
    def connect(self, name: str, front_end: FrontEnd, *, kind: str, address: str = "") -> Session:
        """Bring ``name`` into the world on a new session; an older session is taken over."""
        entered = self.world.find_online(name) is None
        player = self.world.enter(name)
        session = Session(self, player, front_end, kind=kind, address=address)
        if kind == "exec":
            return session  # one command, no presence, no announcements
        old = self.sessions.attach(session)
        self.outbox.on_rollback(lambda: self._unconnect(session, old, entered))
        self.store.touch_login(player.name, self.clock())
        if old is not None:
            old.close("You have logged in from somewhere else; this session is closed.")
            log.info("session_taken_over", player=player.name, session=session.id)
        else:
            self.sessions.to_room(
                player.room,
                [Reply(Kind.MOVE, f"{player.name} arrives.")],
                exclude=[player.key],
            )
            self.refresh_room(player.room)
        log.info("session_started", player=player.name, session=session.id, kind=kind)
        self.publish(
            PlayerJoined(ts=self.now(), player=player.name, session_id=session.id, front_end=kind)
        )
        return session

    def _unconnect(self, session: Session, old: Session | None, entered: bool) -> None:
        """The login step failed: the presence table and the world are as they were."""
        self.sessions.forget(session)
        if old is not None:
            self.sessions.by_player[old.player.key] = old
        if entered:
            self.world.leave(session.player)

    def disconnect(self, session: Session, reason: str = "disconnected") -> None:
        """The connection is gone: drop the session and, if it was the last, the body.

        Safe to call more than once (EOF and connection loss both end up here).
        """
        if session.gone:
            return
        session.gone = session.closed = True
        self.sessions.forget(session)
        player = session.player
        if session.kind != "exec":
            self.publish(
                PlayerLeft(ts=self.now(), player=player.name, session_id=session.id, reason=reason)
            )
        if self.sessions.get(player.name) is not None:
            return  # another session still holds the body
        self.world.leave(player)
        if session.kind == "exec":
            return  # a one-shot command never showed the body to anyone
        self.sessions.to_room(player.room, [Reply(Kind.MOVE, f"{player.name} leaves the realm.")])
        self.refresh_room(player.room)
        log.info("session_ended", player=player.name, session=session.id)

    # -- events ------------------------------------------------------------------------------
    def publish(self, event: Event) -> None:
        """Announce an event when the current step commits (at once outside a step)."""
        self.outbox.put(Publish(event))

    def _announce(self, event: Event) -> None:
        """Fan a committed event out: in-process listeners first (activity log, metrics,
        rewards), then the plugin bus. Neither can raise into the caller or block it."""
        for listener in self.listeners:
            try:
                with self.outbox.step():  # what it says leaves only if it finished
                    listener(event)
            except Exception:
                log.exception("listener_failed", listener=repr(listener), event=event.name)
        self.bus.publish(event)

    def now(self) -> float:
        return float(self.clock())

    def grant_unlock(self, player: str, unlock: str, reason: str, source: str) -> bool:
        """Grant an unlock once, tell the player in game, and publish UnlockGranted."""
        if not self.unlocks.grant(player, unlock, reason, source):
            return False
        self.sessions.to_player(player, [Reply(Kind.SYSTEM, f"Unlocked: {unlock}. {reason}")])
        self.publish(UnlockGranted(ts=self.now(), player=player, unlock=unlock, reason=reason))
        return True

    def refresh_room(self, room: str) -> None:
        """Everyone in ``room`` gets a fresh room panel and plan when the step commits."""
        self.outbox.put(RoomChanged(room))

    # -- what front ends show ------------------------------------------------------------------
    def status(self, player: Player) -> StatusView:
        return StatusView(
            name=player.name,
            location=self.world.room(player.room).title,
            tokens=self.wallet.balance(player.name),
            tier=self.wallet.tier(player.name),
            quota_left=self.wallet.quota_left(player.name),
        )

    def completions(self, player: Player) -> list[str]:
        room = self.world.room(player.room)
        words = set(self.registry.words(player.role))
        words.update(ex.direction for ex in room.exits)
        words.update(p.name for p in self.world.occupants(room.id, exclude=player))
        for item in self.world.items_here(room.id) + self.world.items_carried(player):
            words.update(item.keywords)
        for npc in self.world.npcs_in(room.id):  # wanderers included
            words.update(npc.keywords)
        words.update(s.player.name for s in self.sessions)
        return sorted(words)
