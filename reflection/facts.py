"""What Cal knows about each player who acted since the last cycle, read from the rollups.

Only those players get a fresh insight each cycle (a few hundred in five minutes, not the
100,000 on file); ``temp.refl_active`` keeps their names for the rest of the snapshot.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sqlite_utils import Database

from reflection.schema import CATEGORIES, DAY_MS


def has_table(conn: sqlite3.Connection, table: str) -> bool:
    return Database(conn)[table].exists()


@dataclass(frozen=True, slots=True)
class PlayerFacts:
    player: str
    metrics: Mapping[str, float]
    active_days: tuple[int, ...]
    milestones: frozenset[str]
    unlocks: frozenset[str]
    last_ts: int = 0


def read_active(conn: sqlite3.Connection, now: int, since: int) -> tuple[PlayerFacts, ...]:
    """Everything Cal needs about each player who acted after ``since``."""
    base = conn.execute(
        "SELECT player, actions, last_ts, (SELECT balance FROM accounts a"
        " WHERE a.name = 'player:' || r.player) FROM refl_player r"
        " WHERE last_ts > ? AND last_ts <= ?",
        (since, now),
    ).fetchall()
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS refl_active(player TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.refl_active")
    if not base:
        return ()
    conn.executemany("INSERT INTO temp.refl_active VALUES (?)", [(r[0],) for r in base])
    metrics: dict[str, dict[str, float]] = defaultdict(dict)
    days: dict[str, list[int]] = defaultdict(list)
    marks: dict[str, set[str]] = defaultdict(set)
    grants: dict[str, set[str]] = defaultdict(set)
    q = conn.execute
    for p, verb, cat, n in q(
        "SELECT v.player, verb, category, n FROM refl_player_verbs v"
        " JOIN temp.refl_active USING(player)"
    ):
        m = metrics[p]
        m[f"verb.{verb}"] = n
        m[f"category.{cat}"] = m.get(f"category.{cat}", 0) + n
    for p, n in q(
        "SELECT r.player, COUNT(*) FROM refl_player_rooms r"
        " JOIN temp.refl_active USING(player) GROUP BY 1"
    ):
        metrics[p]["rooms"] = n
    for p, d, actions, earned, spent in q(
        "SELECT d.player, day, actions, earned, spent FROM refl_player_daily d"
        " JOIN temp.refl_active USING(player) ORDER BY d.player, day"
    ):
        m = metrics[p]
        m["earned"] = m.get("earned", 0) + earned
        m["spent"] = m.get("spent", 0) + spent
        if actions > 0:
            days[p].append(int(d))
    for p, ms in q(
        "SELECT m.player, milestone FROM refl_milestones m JOIN temp.refl_active USING(player)"
    ):
        marks[p].add(ms)
    if has_table(conn, "player_unlocks"):
        for p, u in q(
            "SELECT lower(u.player), unlock FROM player_unlocks u"
            " JOIN temp.refl_active a ON a.player = lower(u.player)"
        ):
            grants[p].add(u)
            metrics[p][f"unlock.{u}"] = 1
    if has_table(conn, "player_skills"):
        for p, skill, xp in q(
            "SELECT lower(s.player), skill, xp FROM player_skills s"
            " JOIN temp.refl_active a ON a.player = lower(s.player)"
        ):
            metrics[p][f"xp.{skill}"] = xp
    out = []
    for player, actions, last_ts, balance in sorted(base):
        m = metrics[player]
        m["actions"] = actions
        m["days"] = len(days[player])
        m["balance"] = balance or 0
        m["days_since_last"] = (now - last_ts) // DAY_MS
        m.setdefault("rooms", 0)
        for cat in CATEGORIES:
            m.setdefault(f"category.{cat}", 0)
            m[f"share.{cat}"] = round(m[f"category.{cat}"] / actions, 2) if actions else 0.0
        out.append(
            PlayerFacts(
                player,
                dict(m),
                tuple(days[player]),
                frozenset(marks[player]),
                frozenset(grants[player]),
                int(last_ts),
            )
        )
    return tuple(out)
