"""Run one game command for a signed-in web user, as exec mode does over SSH.

The web pages show what commands say rather than reading the database themselves: the
player page is ``balance``, ``history``, ``growth``...; the admin dashboard is ``@report``,
``@who``, ``@kick``, ``@bridge``... run as the signed-in account. So the engine checks the
role (a player asking for ``@report`` is refused there, whatever the web layer did), the
audit row and the ledger transfer happen exactly as in the game, and what is private is
shown only to its owner, by construction.
"""

from __future__ import annotations

from game.core.reply import Reply
from game.engine.game import Game
from game.fronts.line import ExecFrontEnd


def ask(game: Game, name: str, line: str, *, address: str = "") -> list[Reply]:
    """``line`` run once as ``name`` (an exec session: no presence, no announcement)."""
    screen = ExecFrontEnd()
    session = game.connect(name, screen, kind="exec", address=address)
    try:
        session.submit(line)
    finally:
        game.disconnect(session)
    return screen.replies


def refused(replies: list[Reply]) -> bool:
    """The engine said no (a role check, a rate limit) or the command failed."""
    return not replies or not all(r.ok for r in replies)
