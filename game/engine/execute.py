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

import structlog

from bridge.events import CommandRun
from economy import Ledger
from game.commands.base import CommandSpec, Context, Registry, Result, may_use
from game.core.outbox import Outbox
from game.core.reply import Reply
from game.core.text import clean
from game.services.attempt import Attempt, Gate, Prelude
from game.services.presence import Seat
from game.services.shortcuts import expand
from game.services.wallet import Wallet
from game.world.loader import normalize_direction
from game.world.state import Player, World

log = structlog.get_logger("sshrealm.engine")

SHORTCUTS = {"'": "say", '"': "say", ":": "emote"}
APOLOGY = "Sorry, that command failed on our side. It has been logged; nothing else changed."


class Engine:
    """Runs typed lines as commands. ``context`` builds a command's Context for a player
    and their session (game/engine/context.py)."""

    def __init__(
        self,
        registry: Registry,
        world: World,
        wallet: Wallet,
        ledger: Ledger,
        outbox: Outbox,
        clock: Callable[[], int],
        max_line: int,
        context: Callable[[Player, Seat], Context],
        alias: Callable[[str, str], str | None] = lambda player, word: None,
    ) -> None:
        self.registry = registry
        self.world = world
        self.wallet = wallet
        self.ledger = ledger
        self.outbox = outbox
        self.clock = clock
        self.max_line = max_line
        self.context = context
        self.alias = alias  # (player, word) -> the player's expansion of that word, if any
        self.gates: list[Gate] = []
        self.preludes: list[Prelude] = []

    def parse(self, line: str) -> tuple[str, str]:
        if line[0] in SHORTCUTS:
            return SHORTCUTS[line[0]], line[1:].strip()
        verb, _, args = line.partition(" ")
        return verb.lower(), args.strip()

    def resolve(self, session: Seat, verb: str) -> tuple[CommandSpec | None, str | None]:
        """The command for ``verb`` and, when the verb itself is an argument, the word to
        put before the rest: an exit name or direction becomes ``go <exit>``, a channel's
        name ``channel <name> ...`` and a social's ``social <name> ...``."""
        spec = self.registry.find(verb)
        if spec is not None:
            return spec, None
        direction = normalize_direction(verb)
        room = self.world.room(session.player.room)
        if room.exit(direction) is not None or direction in _ALL_DIRECTIONS:
            return self.registry.find("go"), direction
        community = self.world.content.community
        if verb in community.channels:
            return self.registry.find("channel"), verb
        if verb in community.socials:
            return self.registry.find("social"), verb
        return None, None

    def _suggest(self, session: Seat, verb: str) -> list[str]:
        """Near misses among the commands and the directions (``nrth``: north first)."""
        room = self.world.room(session.player.room)
        directions = sorted({ex.direction for ex in room.exits} | _DIRECTION_WORDS)
        near = difflib.get_close_matches(verb.lower(), directions, n=2, cutoff=0.6)
        community = self.world.content.community
        words = [*community.channels, *community.socials]
        commands = self.registry.suggest(verb, session.player.role)
        commands += difflib.get_close_matches(verb.lower(), words, n=2, cutoff=0.7)
        return [*near, *(c for c in commands if c not in near)][:3]

    def execute(self, session: Seat, raw: str, *, aliases: bool = True) -> list[Reply]:
        """Run one typed line. A word the player made an alias runs its commands in order,
        each as if typed (its own gates, price and step); they are never aliases again."""
        limit = self.max_line
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
        expansion = self.alias(session.player.name, verb) if aliases else None
        if expansion is not None:
            return [
                reply
                for step in expand(expansion, args)
                for reply in self.execute(session, step, aliases=False)
            ]
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
            args = direction if spec.name == "go" else f"{direction} {args}".strip()
        replies = self._run(self.context(player, session), spec, args)
        ok = all(r.ok for r in replies)
        elapsed = (time.perf_counter() - started) * 1000
        self.outbox.publish(
            CommandRun(
                ts=float(self.clock()),
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
        price = self.world.content.economy.prices.get(spec.name, 0)
        try:
            with self.outbox.step(), self.ledger.atomic():
                attempt = Attempt(ctx.player, ctx.session.id, spec.name, spec.category, args)
                for gate in self.gates:
                    refusal = gate(attempt)
                    if refusal is not None:
                        return [refusal]
                first = [line for prelude in self.preludes for line in prelude(attempt)]
                if price > 0:
                    refusal = self.wallet.refusal(ctx.player.name, spec.name, price)
                    if refusal is not None:
                        return [*first, refusal]
                replies = _as_list(spec.func(ctx, args))
                if price > 0 and all(r.ok for r in replies):
                    replies.append(self.wallet.charge_command(ctx.player.name, spec.name, price))
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
