"""What a command is: a plain function ``(ctx, args) -> Reply | list[Reply]``.

The :func:`command` decorator only attaches a :class:`CommandSpec` to the function (no
global registry); :class:`Registry` collects specs from modules. The function's docstring
is its in-game help, Evennia style, and a test checks every command has one.
"""

from __future__ import annotations

import difflib
import inspect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from game.core.reply import Reply

if TYPE_CHECKING:
    from game.engine.game import Game
    from game.engine.session import Session
    from game.world.state import Player, World

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


@dataclass
class Context:
    """Everything a command may touch. Commands return replies; they never write."""

    game: Game
    player: Player
    session: Session

    @property
    def world(self) -> World:
        return self.game.world

    def to_room(self, room: str, reply: Reply, *, exclude: Sequence[Player] = ()) -> None:
        """Tell everyone in ``room`` (but the excluded) at once."""
        self.game.sessions.to_room(room, [reply], exclude=[p.key for p in exclude])

    def to_player(self, name: str, reply: Reply) -> bool:
        return self.game.sessions.to_player(name, [reply])
