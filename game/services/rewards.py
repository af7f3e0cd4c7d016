"""Faucets that need no command: the daily login bonus and first-visit exploration rewards.

Both listen to game events (the game's listeners): ``PlayerJoined`` pays the daily bonus,
``PlayerMoved`` pays a room's first visit. Exactly-once comes from the ledger itself: the
idempotency key is the natural key of the reward (``d:<player>:<utc day>``,
``v:<player>:<room>``), so a reconnect, a crash and replay, or two sessions racing can never
pay twice. Amounts come from content: ``economy.daily_bonus``, and ``Room.reward`` or else
``economy.first_visit``, scaled by Domingo's reward multipliers when tuning is on.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import structlog

from bridge.events import Event, PlayerJoined, PlayerMoved
from economy import IdempotencyConflict, Reason
from economy.clock import utc_day
from game.core.outbox import Outbox
from game.core.reply import Kind, Reply
from game.core.text import plural
from game.services.tuning import RewardMultipliers
from game.services.wallet import Wallet
from game.world.state import World

log = structlog.get_logger("sshrealm.rewards")


class Rewards:
    """Listens for joins and moves (``on_event``); pays through the wallet, once per key."""

    def __init__(
        self,
        world: World,
        wallet: Wallet,
        multipliers: RewardMultipliers,
        conn: sqlite3.Connection,
        outbox: Outbox,
        clock: Callable[[], int],
    ) -> None:
        self.world = world
        self.wallet = wallet
        self.multipliers = multipliers
        self.conn = conn
        self.outbox = outbox
        self.clock = clock

    def on_event(self, event: Event) -> None:
        if isinstance(event, PlayerJoined):
            self.daily(event.player)
            body = self.world.find_online(event.player)
            if body is not None:  # a new player's first room counts as visited at once
                self.first_visit(event.player, body.room)
        elif isinstance(event, PlayerMoved):
            self.first_visit(event.player, event.to_room)

    def daily(self, name: str) -> int:
        """Pay today's login bonus once per UTC day; returns what was paid (0 if nothing)."""
        amount = self.scaled(Reason.DAILY_BONUS, self.world.content.economy.daily_bonus)
        key = f"d:{name.lower()}:{utc_day(self.clock())}"
        if not self._pay(name, amount, Reason.DAILY_BONUS, key):
            return 0
        self._tell(name, f"Daily bonus: +{plural(amount, 'token')}. Come back tomorrow for more.")
        return amount

    def first_visit(self, name: str, room_id: str) -> int:
        """Pay the exploration reward the first time ``name`` enters ``room_id``."""
        room = self.world.content.rooms.get(room_id)
        if room is None:
            return 0
        base = room.reward if room.reward is not None else self.world.content.economy.first_visit
        amount = self.scaled(Reason.EXPLORATION, base)
        if not self._pay(name, amount, Reason.EXPLORATION, f"v:{name.lower()}:{room_id}"):
            return 0
        self._tell(name, f"First visit to {room.title}: +{plural(amount, 'token')} for exploring.")
        return amount

    def scaled(self, reason: Reason, amount: int) -> int:
        """``amount`` after Domingo's bounded reward tuning (1.0 unless tuning is enabled)."""
        return int(self.multipliers.apply(int(reason), amount))

    def _pay(self, name: str, amount: int, reason: Reason, key: str) -> bool:
        if amount <= 0 or self._paid(key):
            return False
        try:
            done = self.wallet.credit(name, amount, reason, key)
        except IdempotencyConflict:  # paid before with another amount (content changed)
            return False
        return not done.duplicate

    def _paid(self, key: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM transfers WHERE idem_key=?", (key,))
        return row.fetchone() is not None

    def _tell(self, name: str, text: str) -> None:
        """Tell the player; the step's own reply (the room a move shows) comes first."""
        self.outbox.tell(name, Reply(Kind.ECONOMY, text))
