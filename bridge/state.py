"""The read-only view of the universal state that plugins may look at.

The game implements ``StateView`` over its live world and ledger; the bridge never imports
the game. Methods are synchronous and must be cheap (served from memory), because the HTTP
plugin calls them on every ``GET /universal``. What they return are frozen snapshots, so a
plugin cannot change the world by mutating a result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Progress:
    """How far a player has come: skill levels, quests done, unlocks held."""

    skills: Mapping[str, int] = field(default_factory=dict)
    quests_done: tuple[str, ...] = ()
    unlocks: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlayerInfo:
    """One player as the bridge sees them."""

    name: str
    online: bool
    room: str | None  # None while offline if the game does not keep a last room
    balance: int
    tier: str  # "free" or "premium"
    role: str = "player"  # "player", "builder" or "admin"
    progress: Progress = field(default_factory=Progress)


class StateView(Protocol):
    """Read-only access to players, implemented by the game."""

    def players(self) -> list[PlayerInfo]:
        """Every known player (online or not), in a stable order."""
        ...

    def player(self, name: str) -> PlayerInfo | None:
        """One player by name (case-insensitive), or ``None`` if unknown."""
        ...


def player_to_dict(info: PlayerInfo, *, balances: bool = True) -> dict[str, Any]:
    """The JSON form of a player; ``balances=False`` hides the balance (``null``)."""
    return {
        "name": info.name,
        "online": info.online,
        "room": info.room,
        "balance": info.balance if balances else None,
        "tier": info.tier,
        "role": info.role,
        "progress": {
            "skills": dict(info.progress.skills),
            "quests_done": list(info.progress.quests_done),
            "unlocks": list(info.progress.unlocks),
        },
    }


def state_to_dict(state: StateView, *, balances: bool = True) -> dict[str, Any]:
    """The JSON body of ``GET /universal``."""
    return {"players": [player_to_dict(p, balances=balances) for p in state.players()]}
