"""A player's progress: skill XP and levels, and unlocks (game forms, areas) with reasons.

Quests, gathering, Cal's unlock rules and the bridge all write here; the status of a
player (``growth``, ``skills``, the StateView) all read here. Both tables live in the game
database; levels are computed from XP with the content's thresholds, never stored.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from bridge.events import UnlockGranted
from game.core.outbox import Outbox
from game.core.reply import Kind, Reply
from game.world.model import EconomyRules


@dataclass(frozen=True, slots=True)
class SkillGain:
    skill: str
    xp: int
    level: int
    leveled_up: bool


class Skills:
    def __init__(self, conn: sqlite3.Connection, rules: Callable[[], EconomyRules]) -> None:
        self.conn = conn
        self.rules = rules

    def xp(self, player: str, skill: str) -> int:
        row = self.conn.execute(
            "SELECT xp FROM player_skills WHERE player=? AND skill=?", (player, skill)
        ).fetchone()
        return int(row[0]) if row else 0

    def level(self, player: str, skill: str) -> int:
        return self.rules().level(self.xp(player, skill))

    def all(self, player: str) -> dict[str, tuple[int, int]]:
        """skill -> (xp, level) for every skill the content defines."""
        rules = self.rules()
        rows = dict(
            self.conn.execute("SELECT skill, xp FROM player_skills WHERE player=?", (player,))
        )
        return {s: (rows.get(s, 0), rules.level(rows.get(s, 0))) for s in rules.skills}

    def add_xp(self, player: str, skill: str, amount: int) -> SkillGain:
        before = self.level(player, skill)
        self.conn.execute(
            "INSERT INTO player_skills(player, skill, xp) VALUES (?,?,?)"
            " ON CONFLICT(player, skill) DO UPDATE SET xp = xp + excluded.xp",
            (player, skill, amount),
        )
        xp = self.xp(player, skill)
        after = self.rules().level(xp)
        return SkillGain(skill, xp, after, after > before)


class Unlocks:
    def __init__(self, conn: sqlite3.Connection, clock: Callable[[], int], outbox: Outbox) -> None:
        self.conn = conn
        self.clock = clock
        self.outbox = outbox

    def has(self, player: str, unlock: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM player_unlocks WHERE player=? AND unlock=?", (player, unlock)
        ).fetchone()
        return row is not None

    def all(self, player: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT unlock FROM player_unlocks WHERE player=? ORDER BY granted_ms", (player,)
        )
        return [r[0] for r in rows]

    def with_reasons(self, player: str) -> list[tuple[str, str]]:
        """(unlock, why) for each of ``player``'s unlocks, oldest first."""
        rows = self.conn.execute(
            "SELECT unlock, reason FROM player_unlocks WHERE player=? ORDER BY granted_ms",
            (player,),
        )
        return [(str(u), str(r)) for u, r in rows]

    def grant(self, player: str, unlock: str, reason: str, source: str) -> bool:
        """Record an unlock once; True only the first time (replays change nothing)."""
        cur = self.conn.execute(
            "INSERT INTO player_unlocks(player, unlock, reason, source, granted_ms)"
            " VALUES (?,?,?,?,?) ON CONFLICT(player, unlock) DO NOTHING",
            (player, unlock, reason, source, self.clock()),
        )
        return cur.rowcount > 0

    def award(self, player: str, unlock: str, reason: str, source: str) -> bool:
        """Grant an unlock once, tell the player in game, and publish UnlockGranted."""
        if not self.grant(player, unlock, reason, source):
            return False
        self.outbox.tell(player, Reply(Kind.SYSTEM, f"Unlocked: {unlock}. {reason}"))
        self.outbox.publish(
            UnlockGranted(ts=float(self.clock()), player=player, unlock=unlock, reason=reason)
        )
        return True
