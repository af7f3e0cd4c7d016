"""Bringing a logged-in player into the world: the steps every front end shares.

A session opens inside one outbox step whose first delivery is the greeting (welcome and
the room), so what the login itself causes (a takeover notice, login rewards) follows it
in order. Line fronts then hand typed lines to the session, and an end of input says
goodbye once every line before it has run. An exec command runs in a session of its own
and shows its effect on the player's open session, if any.

The world of a scaled-out cluster (game/cluster) opens its gateways' sessions with the same
functions, so a player sees the same thing whichever process holds their connection.
"""

from __future__ import annotations

from collections.abc import Callable

from game.core.outbox import ToSession
from game.core.port import FrontEnd
from game.core.reply import Reply
from game.core.text import clean
from game.engine.game import Game
from game.engine.session import Session
from game.fronts.line import ExecFrontEnd, LineFrontEnd
from game.fronts.realm import wire_line

WELCOME = "Welcome to sshrealm, {name}. Type help for commands, quit to leave."


def greeting(session: Session) -> list[Reply]:
    replies = [Reply.info(WELCOME.format(name=session.name))]
    view = session.current_room()
    if view is not None:
        replies.append(Reply.room(view))
    return replies


def open_session(
    game: Game,
    name: str,
    front_end: Callable[[Session], FrontEnd],
    *,
    kind: str,
    address: str,
    resumed: bool = False,
) -> Session:
    """Connect ``name``; ``front_end`` makes the session's front end once the session
    exists (a TUI needs the session to build). A resumed session gets no greeting."""
    with game.outbox.step() as first:  # the greeting, then the login's rewards
        session = game.connect(name, _Deferred(), kind=kind, address=address, resumed=resumed)
        session.front_end = front_end(session)
        if not resumed:
            first(ToSession(session.id, tuple(greeting(session))))
    return session


def enter_line(game: Game, name: str, line: LineFrontEnd, *, kind: str, address: str) -> Session:
    """Connect ``name`` with ``line`` as its front end; typed lines reach the new session."""
    session = open_session(game, name, lambda s: line, kind=kind, address=address)
    wire_line(session, line)
    return session


def run_exec(game: Game, name: str, command: str, address: str) -> tuple[list[Reply], bool]:
    """Run one command as ``name`` (``ssh host look``): its replies and whether it worked."""
    screen = ExecFrontEnd()
    session = game.connect(name, screen, kind="exec", address=address)
    room = session.player.room
    try:
        session.submit(command)
    finally:
        game.disconnect(session)
    _show_elsewhere(game, session, room, command)
    return screen.replies, screen.ok


def _show_elsewhere(game: Game, exec_session: Session, room: str, command: str) -> None:
    """An exec command acted on a body an open session also shows: that session shows the
    new room (panel and a room line) when the body moved, and a fresh status bar."""
    other = game.sessions.get(exec_session.player.name)
    if other is None or other.closed:
        return
    player = other.player
    if player.room != room:
        view = game.world.view(player.room, player)
        told = Reply.info(f"From another connection: {clean(command)}")
        other.send([told, Reply.room(view)])
        game.refresh_room(player.room)
    game.outbox.status_changed(player.name)


class _Deferred:
    """Holds the place of a front end while it is being built (nothing is released before
    the step ends, so nothing reaches it)."""

    def deliver(self, replies: object) -> None: ...
    def set_room(self, view: object) -> None: ...
    def set_status(self, status: object) -> None: ...
    def close(self, reason: str) -> None: ...
