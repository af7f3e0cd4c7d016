"""Bringing a logged-in player into the world on a line-mode front end (SSH or telnet).

Both fronts start a line session the same way: the player connects inside one outbox step
whose first delivery is the greeting (welcome and the room), so what the login itself causes
(a takeover notice, login rewards) follows it in order; typed lines then go to the session
and an end of input says goodbye once every line before it has run.
"""

from __future__ import annotations

from game.core.outbox import ToSession
from game.core.reply import Reply
from game.engine.game import Game
from game.engine.session import Session
from game.fronts.line import LineFrontEnd

WELCOME = "Welcome to sshrealm, {name}. Type help for commands, quit to leave."


def greeting(session: Session) -> list[Reply]:
    replies = [Reply.info(WELCOME.format(name=session.name))]
    view = session.current_room()
    if view is not None:
        replies.append(Reply.room(view))
    return replies


def enter_line(game: Game, name: str, line: LineFrontEnd, *, kind: str, address: str) -> Session:
    """Connect ``name`` with ``line`` as its front end; typed lines reach the new session."""
    with game.outbox.step() as first:  # the greeting, then the login's rewards
        session = game.connect(name, line, kind=kind, address=address)
        first(ToSession(session.id, tuple(greeting(session))))
    line.on_line = session.submit
    line.prompt = session.prompt
    line.on_end = lambda: session.close("Goodbye.")
    return session
