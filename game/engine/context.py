"""The engine's command context: what game/commands/base.py's ``Context`` protocol asks for.

The game makes one per command (``Game.command_context``) with the player, their session
and the services it wired; mypy checks both the fields and this class against the protocol.
Output helpers only put deliveries in the outbox, so what a command says leaves when its
step commits, never before.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bridge.events import Event
from economy import Ledger
from game.commands.base import Registry
from game.core.config import Settings
from game.core.outbox import Outbox
from game.core.reply import Reply
from game.services.access import Access
from game.services.audit import Audit
from game.services.channels import Channels
from game.services.combat import Combat
from game.services.containers import Containers
from game.services.equipment import Equipment
from game.services.explored import Explored
from game.services.feedback import FeedbackQueue
from game.services.groups import Groups
from game.services.limits import Cooldowns
from game.services.mail import Mailroom
from game.services.metrics import Metrics
from game.services.moderation import Moderation
from game.services.payments import Payments
from game.services.people import People
from game.services.positions import Positions
from game.services.premium import Premium
from game.services.presence import Online, Seat
from game.services.progress import Skills, Unlocks
from game.services.quests import QuestBook
from game.services.reload import ContentWatcher
from game.services.reports import Reports
from game.services.shortcuts import Shortcuts
from game.services.triggers import Triggers
from game.services.wallet import Wallet
from game.services.webaccess import WebAccess
from game.world.state import Player, World
from game.world.store import Store


@dataclass(slots=True)
class CommandContext:
    player: Player
    session: Seat
    world: World
    settings: Settings
    online: Online
    registry: Registry
    outbox: Outbox
    rng: random.Random
    store: Store
    ledger: Ledger
    wallet: Wallet
    premium: Premium
    payments: Payments
    mail: Mailroom
    feedback: FeedbackQueue
    skills: Skills
    unlocks: Unlocks
    access: Access
    quests: QuestBook
    triggers: Triggers
    positions: Positions
    cooldowns: Cooldowns
    moderation: Moderation
    audit: Audit
    reports: Reports
    metrics: Metrics
    content_watcher: ContentWatcher
    channels: Channels
    people: People
    groups: Groups
    shortcuts: Shortcuts
    explored: Explored
    equipment: Equipment
    containers: Containers
    combat: Combat
    web: WebAccess
    clock: Callable[[], int]
    restart: Callable[[], None] | None = None
    """Restart the world under its players (the world role sets it; None elsewhere)."""

    def now(self) -> float:
        return float(self.clock())

    def to_room(self, room: str, reply: Reply, *, exclude: Sequence[Player] = ()) -> None:
        self.outbox.tell_room(room, reply, exclude=[p.key for p in exclude])

    def to_player(self, name: str, reply: Reply) -> bool:
        self.outbox.tell(name, reply)
        return self.online.get(name) is not None

    def refresh_room(self, room: str) -> None:
        self.outbox.room_changed(room)

    def publish(self, event: Event) -> None:
        self.outbox.publish(event)
