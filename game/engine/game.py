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
from bridge.events import Event, PlayerJoined, PlayerLeft
from economy import Ledger, Tiers, system_clock
from economy.clock import DAY_MS, utc_day
from game.commands import (
    admin,
    admin_ops,
    authoring,
    bridge_clients,
    channels,
    combat,
    equipment,
    finding,
    info,
    items,
    keys,
    movement,
    npcs,
    options,
    payments,
    quests,
    shops,
    shortcuts,
    skills,
    social,
    speech,
    travel,
    visual,
    web,
)
from game.commands import economy as economy_commands
from game.commands import feedback as feedback_commands
from game.commands import growth as growth_commands
from game.commands import mail as mail_commands
from game.commands.base import Registry
from game.core.config import Settings
from game.core.outbox import Outbox, Publish, RoomChanged
from game.core.port import FrontEnd
from game.core.reply import Kind, Reply, RoomView, StatusView
from game.engine.context import CommandContext
from game.engine.dispatch import Dispatcher
from game.engine.execute import Engine
from game.engine.session import Session, Sessions
from game.services.access import Access
from game.services.activity import ActivityLog
from game.services.attempt import Attempt
from game.services.audit import Audit
from game.services.channels import Channels
from game.services.combat import Combat
from game.services.containers import Containers
from game.services.equipment import Equipment
from game.services.explored import Explored
from game.services.feedback import FeedbackQueue
from game.services.groups import Groups
from game.services.limits import CommandLimit, Cooldowns
from game.services.mail import Mailroom
from game.services.metrics import Metrics
from game.services.moderation import Moderation
from game.services.notices import Notices
from game.services.payments import Payments
from game.services.people import People
from game.services.positions import Positions
from game.services.premium import Premium
from game.services.presence import Seat
from game.services.progress import Skills, Unlocks
from game.services.quests import QuestBook
from game.services.reload import ContentWatcher
from game.services.reports import Reports
from game.services.rewards import Rewards
from game.services.shortcuts import Shortcuts, render_prompt
from game.services.triggers import Triggers
from game.services.tuning import RewardMultipliers, load_rules
from game.services.wallet import Wallet
from game.services.wander import Wanderers
from game.services.webaccess import WebAccess
from game.world.model import Content
from game.world.state import Player, World
from game.world.store import Store

log = structlog.get_logger("sshrealm.game")

Clock = Callable[[], int]
COMMAND_MODULES: tuple[ModuleType, ...] = (
    info,
    finding,
    movement,
    speech,
    channels,
    social,
    shortcuts,
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
    mail_commands,
    feedback_commands,
    combat,
    equipment,
    web,
)


wall_clock_ms = system_clock
"""The game's real clock: milliseconds since the epoch, the ledger's own clock."""


class Game:
    """The composition of the engine and the services, and the presence table's owner.

    Front ends and operations code use it (``connect``, ``disconnect``, ``status``); the
    services below it never see it: each gets the few collaborators it needs.
    """

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
        # How ``@restart`` restarts the world under its players: the world role of a
        # scaled-out cluster sets it (game/cluster/roles.py); the all-in-one server cannot.
        self.restart: Callable[[], None] | None = None
        # The one path out (game/core/outbox.py): a step's output leaves on commit, in
        # order, through the dispatcher; a failed step leaves nothing, its world changes
        # undone.
        self.outbox = outbox = Outbox(lambda batch: self.dispatcher.release(batch))
        self.sessions = Sessions()
        self.store = store = Store(conn)
        self.world = world = World(content, store, clock)
        world.on_rollback = outbox.on_rollback
        self.ledger = ledger = Ledger(conn, clock)
        self.tiers = Tiers(conn, clock)
        self.wallet = wallet = Wallet(
            ledger, self.tiers, outbox, clock, lambda: world.content.economy.free_daily_quota
        )
        self.skills = Skills(conn, lambda: world.content.economy)
        self.unlocks = Unlocks(conn, clock, outbox)
        self.premium = Premium(self.tiers, store, outbox, clock)
        self.payments = Payments(wallet, outbox, clock)  # a payment waiting for "yes"
        self.people = people = People(conn, outbox.on_rollback)  # ignores, friends, away
        # Mail; tokens held in escrow; nothing from someone the recipient ignores.
        self.mail = Mailroom(conn, store, wallet, outbox, clock, ignores=people.ignores)
        self.feedback = FeedbackQueue(conn, clock)  # bug, idea, typo; answered by admins
        self.multipliers = RewardMultipliers(conn)  # Domingo's bounded reward tuning
        self.rewards = Rewards(world, wallet, self.multipliers, conn, outbox, clock)
        self.quests = QuestBook(
            conn, world, store, wallet, self.skills, self.unlocks, self.multipliers, outbox, clock
        )
        # NPC triggers (on_enter, on_say, on_give, on_time; combat calls fire() for
        # on_attack and on_death); its clock tick is a Component in app.py.
        self.triggers = Triggers(conn, world, wallet, self.quests, self.skills, outbox, clock)
        self.access = Access(world, self.skills, self.quests, wallet, self.unlocks)
        self.positions = Positions(  # squares in rooms, the visual form
            conn, world, self.sessions, wallet, self.unlocks, outbox, clock
        )
        self.audit = Audit(conn, clock)
        self.moderation = Moderation(conn, clock)
        self.command_limit = CommandLimit(
            settings.commands_per_second, settings.command_burst, clock
        )
        self.cooldowns = Cooldowns(clock)  # rests between repeated actions (gathering)
        self.metrics = Metrics()
        self.reports = Reports(conn)
        self.activity = ActivityLog(  # the reflection cycle's activity log
            conn,
            lambda name: getattr(world.find_online(name), "room", ""),
            load_rules(settings.content_dir).categories,
        )
        self.wanderers = Wanderers(world, outbox, clock, self.rng)  # a Component in app.py
        self.content_watcher = ContentWatcher(  # opt-in live reload (reload watch on)
            settings.content_dir, world, self.sessions, store, self.audit, outbox, clock
        )
        self.channels = Channels(conn, clock, lambda: world.content.community, outbox.on_rollback)
        self.groups = Groups()  # following and groups, while online
        self.shortcuts = Shortcuts(conn, outbox.on_rollback)  # aliases, line-mode prompt
        self.explored = Explored(conn, lambda name: getattr(world.find_online(name), "room", ""))
        # Combat and gear (#20): slots, bags and chests, and fights (a Component in app.py).
        self.equipment = Equipment(conn, world, outbox.on_rollback)
        self.containers = Containers(conn, world, outbox.on_rollback)
        self.web = WebAccess(conn, clock)  # web sessions, sign-in codes, listing
        self.combat = Combat(
            conn,
            world,
            wallet,
            self.equipment,
            self.multipliers,
            outbox,
            ledger.atomic,
            clock,
            self.rng,
        )
        # NPCs' on_attack and on_death triggers fire inside the round's own step.
        self.combat.on_attack.append(lambda player, npc: self.triggers.fire(npc, "attack", player))
        self.combat.on_defeat.append(
            lambda player, npc, room: self.triggers.fire(npc, "death", player)
        )
        self.dispatcher = Dispatcher(
            self.sessions,
            lambda player: world.view(player.room, player),
            lambda room: self.positions.push(room),
            self._announce,
            people.ignorers,
            world.occupants,
        )
        self.registry = Registry.from_modules(modules)
        self._words_by_role: dict[str, list[str]] = {}
        self.engine = Engine(
            self.registry,
            world,
            wallet,
            ledger,
            outbox,
            clock,
            settings.max_line,
            self.command_context,
            self.shortcuts.alias,
        )
        # Gates run before every command, in this order; the first refusal wins.
        self.engine.gates += [self.command_limit.gate, self.moderation.gate]
        self.engine.preludes += [self.payments.prelude, self._back_at_keyboard]
        self.bus = EventBus()
        # Every published event reaches these, in this order (then the plugin bus).
        self.listeners: list[Callable[[Event], None]] = [
            self.rewards.on_event,
            self.metrics.observe,
            self.activity.record,
            self.positions.on_event,
            self.quests.on_event,
            Notices(people, self.groups, outbox, lambda name: self.sessions.get(name) is not None),
            self.explored,
            self.triggers.on_event,  # last: NPCs answer after quests and rewards
        ]

    def _back_at_keyboard(self, attempt: Attempt) -> list[Reply]:
        """Engine prelude: any command but ``afk`` itself ends being away."""
        if attempt.command != "afk" and self.people.back(attempt.player.name):
            return [Reply.info("Welcome back: you are no longer away.")]
        return []

    def command_context(self, player: Player, session: Seat) -> CommandContext:
        """The context one command runs with (game/engine/context.py): the player, their
        session and the services wired here."""
        return CommandContext(
            player,
            session,
            world=self.world,
            settings=self.settings,
            online=self.sessions,
            registry=self.registry,
            outbox=self.outbox,
            rng=self.rng,
            store=self.store,
            ledger=self.ledger,
            wallet=self.wallet,
            premium=self.premium,
            payments=self.payments,
            mail=self.mail,
            feedback=self.feedback,
            skills=self.skills,
            unlocks=self.unlocks,
            access=self.access,
            quests=self.quests,
            triggers=self.triggers,
            positions=self.positions,
            cooldowns=self.cooldowns,
            moderation=self.moderation,
            audit=self.audit,
            reports=self.reports,
            metrics=self.metrics,
            content_watcher=self.content_watcher,
            channels=self.channels,
            people=self.people,
            groups=self.groups,
            shortcuts=self.shortcuts,
            explored=self.explored,
            equipment=self.equipment,
            containers=self.containers,
            combat=self.combat,
            web=self.web,
            clock=self.clock,
            restart=self.restart,
        )

    @staticmethod
    def of(session: Session) -> Game:
        """The game a session belongs to, for front ends and tools (services never need it)."""
        host = session.host
        if not isinstance(host, Game):
            raise TypeError(f"session {session.id} is not hosted by a Game")
        return host

    # -- accounts ------------------------------------------------------------------------------
    def ensure_account(self, name: str, *, password_hash: str | None = None) -> None:
        if self.store.account(name) is None:
            self.store.create_account(
                name, self.clock(), room=self.world.content.start_room, password_hash=password_hash
            )
            log.info("account_created", player=name)

    # -- sessions ------------------------------------------------------------------------------
    def connect(
        self,
        name: str,
        front_end: FrontEnd,
        *,
        kind: str,
        address: str = "",
        resumed: bool = False,
    ) -> Session:
        """Bring ``name`` into the world on a new session; an older session is taken over.

        ``resumed``: the connection was already here before the world restarted (a gateway
        kept it, game/cluster): the body comes back without a word to anyone, no login is
        counted and no event is published; the room panel and status bar are pushed."""
        entered = self.world.find_online(name) is None
        player = self.world.enter(name)
        session = Session(self, player, front_end, kind=kind, address=address)
        if kind == "exec":
            return session  # one command, no presence, no announcements
        old = self.sessions.attach(session)
        self.outbox.on_rollback(lambda: self._unconnect(session, old, entered))
        if resumed:
            self.refresh_room(player.room)
            self.outbox.status_changed(player.name)
            return session
        self.store.touch_login(player.name, self.clock())
        if old is not None:
            old.close("You have logged in from somewhere else; this session is closed.")
            log.info("session_taken_over", player=player.name, session=session.id)
        else:
            self.outbox.tell_room(
                player.room, Reply(Kind.MOVE, f"{player.name} arrives."), exclude=[player.key]
            )
            self.refresh_room(player.room)
        log.info("session_started", player=player.name, session=session.id, kind=kind)
        self.publish(
            PlayerJoined(ts=self.now(), player=player.name, session_id=session.id, front_end=kind)
        )
        self._mail_at_login(player.name)
        return session

    def _mail_at_login(self, name: str) -> None:
        """Every interactive login (TUI, line; not exec) returns expired mail tokens to
        their senders, then tells the player of their unread mail, after the greeting."""
        self.mail.expire()
        notice = self.mail.login_notice(name)
        if notice is not None:
            self.outbox.tell(name, notice)

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
        self.outbox.tell_room(player.room, Reply(Kind.MOVE, f"{player.name} leaves the realm."))
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
        return self.unlocks.award(player, unlock, reason, source)

    def refresh_room(self, room: str) -> None:
        """Everyone in ``room`` gets a fresh room panel and plan when the step commits."""
        self.outbox.put(RoomChanged(room))

    # -- what sessions ask (engine/session.py's Host) ------------------------------------------
    def execute(self, session: Session, line: str) -> list[Reply]:
        return self.engine.execute(session, line)

    def room_view(self, player: Player) -> RoomView | None:
        return self.world.view(player.room, player)

    # -- what front ends show ------------------------------------------------------------------
    def status(self, player: Player) -> StatusView:
        vitals = self.combat.vitals(player.name)
        return StatusView(
            name=player.name,
            location=self.world.room(player.room).title,
            tokens=self.wallet.balance(player.name),
            tier=self.wallet.tier(player.name),
            quota_left=self.wallet.quota_left(player.name),
            health=vitals.health,
            max_health=vitals.max_health,
            stamina=vitals.stamina,
            max_stamina=vitals.max_stamina,
        )

    def prompt(self, player: Player) -> str | None:
        """``player``'s prompt template (``prompt`` command) with its fields filled in."""
        template = self.shortcuts.prompt(player.name)
        if template is None:
            return None
        status = self.status(player)
        left = status.quota_left
        return render_prompt(
            template,
            {
                "%t": str(status.tokens),
                "%q": "unlimited" if left is None else str(left),
                "%r": status.location,
                "%n": player.name,
                "%%": "%",
            },
        )

    def status_stale_at(self, player: Player) -> int:
        """When ``player``'s status bar goes stale by the clock alone: the next UTC midnight
        (the daily quota resets) or the end of their premium, whichever comes first."""
        now = self.clock()
        midnight = (utc_day(now) + 1) * DAY_MS
        until = self.premium.until(player.name)
        return min(midnight, until) if until > now else midnight

    def completions(self, player: Player, *, everyone: bool = True) -> list[str]:
        """Words Tab completes for ``player``: commands, exits, what is here, and (unless
        ``everyone`` is False: a gateway's copy, refreshed with every room change) the
        names of everyone online."""
        room = self.world.room(player.room)
        words = set(self._role_words(player.role))
        words.update(ex.direction for ex in room.exits)
        words.update(p.name for p in self.world.occupants(room.id, exclude=player))
        for item in self.world.items_here(room.id) + self.world.items_carried(player):
            words.update(item.keywords)
        for npc in self.world.npcs_in(room.id):  # wanderers included
            words.update(npc.keywords)
        if everyone:
            words.update(s.player.name for s in self.sessions)
        return sorted(words)

    def _role_words(self, role: str) -> list[str]:
        """The command words a role may use (the registry never changes once built)."""
        words = self._words_by_role.get(role)
        if words is None:
            words = self._words_by_role[role] = self.registry.words(role)
        return words
