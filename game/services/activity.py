"""The activity log: one row per player action (what, where, when, tokens, play-style category).

A ``game.listeners`` listener, so it runs on the game loop for every event: it must stay
cheap. Token events arrive while a command runs (before its ``CommandRun``), so they are
summed per player and written with that command's row; each command costs one INSERT
(~0.05 ms in WAL at synchronous=NORMAL). Quest completions and logins get rows of their own.
The categories come from ``content/growth.yaml`` (reflection reads this table, never game/).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping

import structlog

from bridge.events import (
    CommandRun,
    Event,
    PlayerJoined,
    QuestCompleted,
    TokensCharged,
    TokensCredited,
)
from reflection import schema

log = structlog.get_logger("sshrealm.activity")

RoomOf = Callable[[str], str]

_INSERT = (
    "INSERT INTO activity(ts, player, verb, room, category, tokens, ok, cost_ms)"
    " VALUES (?,?,?,?,?,?,?,?)"
)


class ActivityLog:
    def __init__(
        self,
        conn: sqlite3.Connection,
        room_of: RoomOf,
        categories: Mapping[str, str] | None = None,
    ) -> None:
        self.conn = conn
        self.room_of = room_of
        self.categories: Mapping[str, str] = categories or {}
        self._tokens: dict[str, int] = {}
        schema.ensure(conn)

    def category(self, verb: str) -> str:
        return self.categories.get(verb, "other")

    def record(self, event: Event) -> None:
        """The listener: turn one game event into at most one row."""
        if isinstance(event, TokensCredited | TokensCharged):
            sign = 1 if isinstance(event, TokensCredited) else -1
            key = event.player.lower()
            self._tokens[key] = self._tokens.get(key, 0) + sign * event.amount
        elif isinstance(event, CommandRun):
            key = event.player.lower()
            self._write(
                event.ts,
                key,
                event.verb,
                self.category(event.verb),
                self._tokens.pop(key, 0),
                event.ok,
                event.duration_ms,
            )
        elif isinstance(event, QuestCompleted):
            self._write(event.ts, event.player.lower(), "quest-completed", "achieve", 0, True, 0.0)
        elif isinstance(event, PlayerJoined) and event.front_end != "exec":
            # "login-tui" lets growth rules tell full-screen players from line-mode ones
            # (verb.login-tui): the visual form is no gift to someone who never sees it.
            verb = "login-tui" if event.front_end == "tui" else "login"
            self._write(event.ts, event.player.lower(), verb, "other", 0, True, 0.0)

    def _write(
        self, ts: float, player: str, verb: str, category: str, tokens: int, ok: bool, cost: float
    ) -> None:
        try:
            room = self.room_of(player)
        except KeyError:
            room = ""
        self.conn.execute(
            _INSERT,
            (int(ts), player, verb, room, schema.category_of(category), tokens, int(ok), cost),
        )
