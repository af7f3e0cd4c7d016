"""Apply one typed line to the world: parse -> gate -> run -> charge, then publish on commit.

This is the only path from a player's keyboard to the world, for every front end. It
cleans the line (control characters and escape sequences never reach anyone), refuses
overlong lines, resolves aliases and exits, suggests near misses, checks the role, and
contains failures: a command that raises is logged with its traceback and the player gets
a short apology, while everyone else keeps playing.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import structlog

from bridge.events import CommandRun
from game.commands.base import CommandSpec, Context, Result, may_use
from game.core.reply import Reply
from game.core.text import clean
from game.world.loader import normalize_direction

if TYPE_CHECKING:
    from game.engine.game import Game
    from game.engine.session import Session

log = structlog.get_logger("sshrealm.engine")

SHORTCUTS = {"'": "say", '"': "say", ":": "emote"}
APOLOGY = "Sorry, that command failed on our side. It has been logged; nothing else changed."


Gate = Callable[[Context, CommandSpec, str], Reply | None]
"""Refuses a command (the reply says why) or lets it pass (None); it never changes anything."""
Prelude = Callable[[Context, CommandSpec], list[Reply]]
"""Runs before a command that passed the gates, in its step; its lines come first."""


class Engine:
    def __init__(self, game: Game) -> None:
        self.game = game
        self.gates: list[Gate] = []
        self.preludes: list[Prelude] = []

    def parse(self, line: str) -> tuple[str, str]:
        if line[0] in SHORTCUTS:
            return SHORTCUTS[line[0]], line[1:].strip()
        verb, _, args = line.partition(" ")
        return verb.lower(), args.strip()

    def resolve(self, session: Session, verb: str) -> tuple[CommandSpec | None, str | None]:
        """The command for ``verb``; an exit name or direction becomes ``go <exit>``."""
        spec = self.game.registry.find(verb)
        if spec is not None:
            return spec, None
        direction = normalize_direction(verb)
        room = self.game.world.room(session.player.room)
        if room.exit(direction) is not None or direction in _ALL_DIRECTIONS:
            return self.game.registry.find("go"), direction
        return None, None

    def _suggest(self, session: Session, verb: str) -> list[str]:
        """Near misses among the commands and the directions (``nrth``: north first)."""
        room = self.game.world.room(session.player.room)
        directions = sorted({ex.direction for ex in room.exits} | _DIRECTION_WORDS)
        near = difflib.get_close_matches(verb.lower(), directions, n=2, cutoff=0.6)
        commands = self.game.registry.suggest(verb, session.player.role)
        return [*near, *(c for c in commands if c not in near)][:3]

    def execute(self, session: Session, raw: str) -> list[Reply]:
        limit = self.game.settings.max_line
        if len(raw) > limit:
            return [
                Reply.error(
                    f"That line is {len(raw)} characters long; the limit is {limit}. "
                    "Nothing was done."
                )
            ]
        line = clean(raw).strip()
        if not line:
            return []
        started = time.perf_counter()
        verb, args = self.parse(line)
        spec, direction = self.resolve(session, verb)
        player = session.player
        if spec is not None and not may_use(player.role, spec.role):
            log.info("permission_denied", player=player.name, command=spec.name)
            return [Reply.error(f"Permission denied: {spec.name} is for {spec.role}s.")]
        if spec is None:
            hints = self._suggest(session, verb)
            hint = f" Did you mean: {', '.join(hints)}?" if hints else " Type help for a list."
            return [Reply.error(f"Unknown command {verb!r}.{hint}")]
        if direction is not None:
            args = direction
        ctx = Context(self.game, player, session)
        replies = self._run(ctx, spec, args)
        ok = all(r.ok for r in replies)
        elapsed = (time.perf_counter() - started) * 1000
        self.game.publish(
            CommandRun(
                ts=self.game.now(),
                player=player.name,
                verb=spec.name,
                line=line,
                ok=ok,
                duration_ms=elapsed,
            )
        )
        return replies

    def _run(self, ctx: Context, spec: CommandSpec, args: str) -> list[Reply]:
        """Gate, run and charge as one step and one transaction: if anything fails, the
        ledger, the database, the in-memory world and the outbox are as they were."""
        price = self.game.world.content.economy.prices.get(spec.name, 0)
        try:
            with self.game.outbox.step(), self.game.ledger.atomic():
                for gate in self.gates:
                    refusal = gate(ctx, spec, args)
                    if refusal is not None:
                        return [refusal]
                first = [line for prelude in self.preludes for line in prelude(ctx, spec)]
                if price > 0:
                    refusal = self.game.wallet.refusal(ctx.player.name, spec.name, price)
                    if refusal is not None:
                        return [*first, refusal]
                replies = _as_list(spec.func(ctx, args))
                if price > 0 and all(r.ok for r in replies):
                    replies.append(
                        self.game.wallet.charge_command(ctx.player.name, spec.name, price)
                    )
                return first + replies
        except Exception:
            log.exception("command_failed", player=ctx.player.name, command=spec.name, args=args)
            return [Reply.error(APOLOGY)]


def _as_list(result: Result) -> list[Reply]:
    return result if isinstance(result, list) else [result]


_DIRECTION_WORDS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "up",
        "down",
        "in",
        "out",
    ]
)
_ALL_DIRECTIONS = frozenset(
    normalize_direction(d)
    for d in ("n", "s", "e", "w", "ne", "nw", "se", "sw", "u", "d", "in", "out")
)
