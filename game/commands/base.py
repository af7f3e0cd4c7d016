"""What a command is: a plain function ``(ctx, args) -> Reply | list[Reply]``.

The :func:`command` decorator only attaches a :class:`CommandSpec` to the function (no
global registry); :class:`Registry` collects specs from modules. The function's docstring
is its in-game help, Evennia style, and a test checks every command has one.
"""

from __future__ import annotations

import difflib
import inspect
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Protocol

from bridge.events import Event
from economy import Ledger
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

Result = Reply | list[Reply]
Handler = Callable[["Context", str], Result]
ROLES = ("player", "builder", "admin")


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: str
    aliases: tuple[str, ...]
    func: Handler
    role: str = "player"
    category: str = "general"

    @property
    def help(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")

    @property
    def summary(self) -> str:
        """The help's first paragraph as one line: whole sentences up to :data:`SUMMARY`
        characters, or the first sentence cut after a whole word with "…"."""
        return summarize(self.help.split("\n\n", 1)[0])


SUMMARY = 100
"""Longest help summary in the command list, in characters."""


def summarize(paragraph: str, limit: int = SUMMARY) -> str:
    text = " ".join(paragraph.split())
    if len(text) <= limit:
        return text
    sentences = re.split(r"(?<=[.?!])\s+", text)
    kept = ""
    for sentence in sentences:
        joined = f"{kept} {sentence}".strip()
        if len(joined) > limit:
            break
        kept = joined
    if kept:
        return kept
    words = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return words.rstrip(",;:") + "…"


def command(
    name: str, *aliases: str, role: str = "player", category: str = "general"
) -> Callable[[Handler], Handler]:
    """Mark a function as the in-game command ``name``."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")

    def mark(func: Handler) -> Handler:
        func.__command__ = CommandSpec(name, aliases, func, role, category)  # type: ignore[attr-defined]
        return func

    return mark


def may_use(role: str, needed: str) -> bool:
    return ROLES.index(role) >= ROLES.index(needed)


class Registry:
    """Every command by name and alias, with did-you-mean for the rest."""

    def __init__(self, specs: Iterable[CommandSpec]) -> None:
        self.specs: list[CommandSpec] = []
        self.by_word: dict[str, CommandSpec] = {}
        for spec in specs:
            self.add(spec)

    @classmethod
    def from_modules(cls, modules: Iterable[ModuleType]) -> Registry:
        specs = []
        for module in modules:
            for value in vars(module).values():
                spec = getattr(value, "__command__", None)
                if isinstance(spec, CommandSpec):
                    specs.append(spec)
        return cls(specs)

    def add(self, spec: CommandSpec) -> None:
        for word in (spec.name, *spec.aliases):
            if word in self.by_word:
                raise ValueError(f"command word {word!r} is used twice")
            self.by_word[word] = spec
        self.specs.append(spec)

    def find(self, word: str) -> CommandSpec | None:
        return self.by_word.get(word.lower())

    def visible(self, role: str) -> list[CommandSpec]:
        return sorted((s for s in self.specs if may_use(role, s.role)), key=lambda s: s.name)

    def words(self, role: str) -> list[str]:
        return sorted(w for w, s in self.by_word.items() if may_use(role, s.role))

    def suggest(self, word: str, role: str) -> list[str]:
        return difflib.get_close_matches(word.lower(), self.words(role), n=3, cutoff=0.6)


class Context(Protocol):
    """What a command may touch: the player who typed it, their session, the world, and
    the game's services, each narrow. The engine builds one per command
    (game/engine/context.py). A command returns its replies; what else it says goes
    through ``to_room`` / ``to_player`` / ``publish`` into the outbox and leaves only when
    the command's step commits."""

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
    restart: Callable[[], None] | None
    """``@restart``: restart the world under its players (only a scaled-out world has it)."""

    def clock(self) -> int:
        """Milliseconds since the epoch, from the game's injected clock."""

    def now(self) -> float:
        """The clock as a float, for event timestamps."""

    def to_room(self, room: str, reply: Reply, *, exclude: Sequence[Player] = ()) -> None:
        """Tell everyone in ``room`` (but the excluded) when the step commits."""

    def to_player(self, name: str, reply: Reply) -> bool:
        """Tell ``name`` when the step commits; False when they are not online now."""

    def refresh_room(self, room: str) -> None:
        """Everyone in ``room`` gets a fresh room panel and plan when the step commits."""

    def publish(self, event: Event) -> None:
        """A typed event for listeners and plugins when the step commits."""
