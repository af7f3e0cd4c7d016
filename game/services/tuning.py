"""Domingo's bounded reward tuning and Cal's rules file, as the game's services read them.

:class:`RewardMultipliers` scales faucets (daily bonus, exploration, quest rewards) by
reason code; the reflection cycle writes the values (game/engine/reflecting.py), the
rewards and quests services read them. :func:`load_rules` reads ``growth.yaml`` with
located errors, for the activity log's categories and for Cal.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from game.world.problems import ContentError, Problem
from game.world.source import Where
from reflection import schema
from reflection.rules import GrowthRules, RulesError
from reflection.rules import load as load_rules_file

RULES_FILE = "growth.yaml"


def load_rules(content_dir: Path) -> GrowthRules:
    """Cal's rules from ``<content>/growth.yaml`` (none: empty rules); problems as content
    errors with file:line:col, so ``serve`` reports them like any content problem."""
    path = content_dir / RULES_FILE
    if not path.exists():
        return GrowthRules()
    try:
        return load_rules_file(path)
    except RulesError as exc:
        raise ContentError(
            [Problem(Where(f, line, col), msg) for f, line, col, msg in exc.located]
        ) from exc


class RewardMultipliers:
    """Current reward multipliers by reason code (1.0 unless Domingo's tuning changed it)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        schema.ensure(conn)
        self.values: dict[int, float] = {}
        self.reload()

    def reload(self) -> None:
        self.values = {
            int(c): float(v)
            for c, v in self.conn.execute("SELECT code, value FROM refl_multipliers")
        }

    def multiplier(self, code: int) -> float:
        return self.values.get(int(code), 1.0)

    def apply(self, code: int, amount: int) -> int:
        """``amount`` scaled by the code's multiplier, rounded half up, never below 1 for a
        positive amount (a reward never silently disappears)."""
        if amount <= 0:
            return amount
        return max(1, int(amount * self.multiplier(code) + 0.5))

    def set(self, code: int, value: float, cycle_id: str, reason: str, ts: int) -> None:
        old = self.multiplier(code)
        self.conn.execute(
            "INSERT INTO refl_multipliers(code, value, cycle_id) VALUES (?,?,?)"
            " ON CONFLICT(code) DO UPDATE SET value=excluded.value, cycle_id=excluded.cycle_id",
            (code, value, cycle_id),
        )
        self.conn.execute(
            "INSERT INTO refl_tuning_log(cycle_id, code, old, new, reason, ts)"
            " VALUES (?,?,?,?,?,?)",
            (cycle_id, code, old, value, reason, ts),
        )
        self.values[int(code)] = value

    def reset(self, reason: str, ts: int) -> int:
        """Every multiplier back to 1.0 (logged); returns how many changed."""
        changed = [c for c, v in self.values.items() if v != 1.0]
        for code in changed:
            self.set(code, 1.0, "reset", reason, ts)
        return len(changed)
