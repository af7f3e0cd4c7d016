"""A command about to run, as gates and preludes see it (game/engine/execute.py).

Gates (rate limits, mutes) refuse or pass; preludes (a pending payment's cancellation)
say something first. Neither needs the command function or the engine, only who is trying
what, so they live in services and depend on this small record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from game.core.reply import Reply
from game.world.state import Player


@dataclass(frozen=True, slots=True)
class Attempt:
    player: Player
    session_id: str
    command: str  # the command's name, not the word typed (``l`` is ``look``)
    category: str  # its help category: ``speech`` for say, emote, tell
    args: str


Gate = Callable[[Attempt], Reply | None]
"""Refuses a command (the reply says why) or lets it pass (None); it never changes anything."""
Prelude = Callable[[Attempt], list[Reply]]
"""Runs before a command that passed the gates, in its step; its lines come first."""
