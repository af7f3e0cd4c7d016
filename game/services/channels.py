"""Chat channels: who listens to which, admins' silences, and each channel's recent lines.

A player's choice per channel (joined, muted, left) is kept in ``player_channels``; with no
row, a ``join: auto`` channel counts as joined and a ``join: open`` one as left. Muted
means still a member but hearing nothing until ``unmute``. A silence (``channel_silences``)
stops a player writing to one channel, for a while or until lifted. The recent lines a
joining player sees are kept in memory only (a restart starts them afresh).
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from game.world.community import ChannelDef, Community

STATES = ("joined", "muted", "left")
Undo = Callable[[Callable[[], None]], None]


@dataclass(frozen=True, slots=True)
class Silence:
    channel: str
    player: str
    by: str
    reason: str
    until_ms: int | None


class Channels:
    def __init__(
        self,
        conn: sqlite3.Connection,
        clock: Callable[[], int],
        community: Callable[[], Community],
        on_rollback: Undo,
    ) -> None:
        self.conn = conn
        self.clock = clock
        self.community = community  # the live content's, so a reload adds or drops channels
        self.on_rollback = on_rollback
        self._states: dict[str, dict[str, str]] = {}
        self._recent: dict[str, deque[str]] = {}

    def get(self, name: str) -> ChannelDef | None:
        return self.community().channels.get(name.lower())

    def all(self) -> list[ChannelDef]:
        return list(self.community().channels.values())

    # -- membership ------------------------------------------------------------------------------
    def _chosen(self, player: str) -> dict[str, str]:
        key = player.lower()
        found = self._states.get(key)
        if found is None:
            rows = self.conn.execute(
                "SELECT channel, state FROM player_channels WHERE player = ?", (key,)
            )
            found = self._states[key] = {channel: state for channel, state in rows}
        return found

    def state(self, player: str, channel: ChannelDef) -> str:
        default = "joined" if channel.join == "auto" else "left"
        return self._chosen(player).get(channel.id, default)

    def set_state(self, player: str, channel: ChannelDef, state: str) -> None:
        if state not in STATES:
            raise ValueError(f"unknown channel state {state!r}")
        chosen = self._chosen(player)
        before = chosen.get(channel.id)
        self.conn.execute(
            "INSERT INTO player_channels (player, channel, state) VALUES (?, ?, ?)"
            " ON CONFLICT (player, channel) DO UPDATE SET state = excluded.state",
            (player.lower(), channel.id, state),
        )
        chosen[channel.id] = state

        def undo() -> None:
            if before is None:
                chosen.pop(channel.id, None)
            else:
                chosen[channel.id] = before

        self.on_rollback(undo)

    def hears(self, player: str, channel: ChannelDef) -> bool:
        return self.state(player, channel) == "joined"

    # -- silences --------------------------------------------------------------------------------
    def silence(
        self, channel: ChannelDef, player: str, by: str, reason: str, until_ms: int | None
    ) -> None:
        self.conn.execute(
            "INSERT INTO channel_silences (channel, player, by, reason, until_ms)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, player) DO UPDATE SET"
            " by = excluded.by, reason = excluded.reason, until_ms = excluded.until_ms",
            (channel.id, player, by, reason, until_ms),
        )

    def unsilence(self, channel: ChannelDef, player: str) -> bool:
        cur = self.conn.execute(
            "DELETE FROM channel_silences WHERE channel = ? AND player = ?", (channel.id, player)
        )
        return cur.rowcount > 0

    def silenced(self, channel: ChannelDef, player: str) -> Silence | None:
        row = self.conn.execute(
            "SELECT channel, player, by, reason, until_ms FROM channel_silences"
            " WHERE channel = ? AND player = ? AND (until_ms IS NULL OR until_ms > ?)",
            (channel.id, player, self.clock()),
        ).fetchone()
        return None if row is None else Silence(*row)

    # -- recent lines ----------------------------------------------------------------------------
    def remember(self, channel: ChannelDef, line: str) -> None:
        recent = self._recent.get(channel.id)
        if recent is None or recent.maxlen != channel.history:
            recent = self._recent[channel.id] = deque(recent or (), maxlen=channel.history)
        recent.append(line)

        def undo() -> None:
            if recent and recent[-1] is line:
                recent.pop()

        self.on_rollback(undo)

    def recent(self, channel: ChannelDef) -> list[str]:
        return list(self._recent.get(channel.id, ()))
