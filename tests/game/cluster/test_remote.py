"""A gateway's session: numbered lines, a bound on what waits for the world, and what the
world sends back reaching the front end."""

from __future__ import annotations

from collections.abc import Sequence

from game.cluster.bus import Keys
from game.cluster.codec import unpack
from game.cluster.gateway_link import BACK, RESTARTING, GatewayLink
from game.cluster.remote import RemoteSession
from game.core.reply import Reply, RoomView, StatusView


class Screen:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.rooms: list[RoomView] = []
        self.closed: str | None = None

    def deliver(self, replies: Sequence[Reply]) -> None:
        self.lines.extend(r.text for r in replies)

    def set_room(self, view: RoomView) -> None:
        self.rooms.append(view)

    def set_status(self, status: StatusView) -> None: ...

    def close(self, reason: str) -> None:
        self.closed = reason


def sent(link: GatewayLink) -> list[list[object]]:
    return [unpack(raw) for raw in link._out]


def make(max_waiting: int = 2) -> tuple[GatewayLink, RemoteSession, Screen]:
    link = GatewayLink(None, Keys("t"), "gw1")
    session = RemoteSession(link, "ana", "line", max_waiting)
    screen = Screen()
    session.front_end = screen
    link.sessions[session.id] = session
    return link, session, screen


def test_lines_are_numbered_and_past_the_bound_refused_with_a_sentence() -> None:
    link, session, screen = make(max_waiting=2)
    for line in ("look", "say hi", "north"):
        session.submit(line)
    assert [op[0:2] + op[3:] for op in sent(link)] == [
        ["line", "gw1", 1, "look"],
        ["line", "gw1", 2, "say hi"],
    ]
    assert screen.lines == [
        "2 commands are already waiting for the world; this one was not sent. Try again soon."
    ]
    link._apply([0, [], [["k", session.id, 2]]])  # the world ran both
    session.submit("north")
    assert sent(link)[-1][3:] == [3, "north"]


def test_a_frame_reaches_each_session_and_the_world_restarting_is_told_once() -> None:
    link, session, screen = make()
    room = RoomView("town:square", "Town Square", "Stones.")
    said = (Reply.info("ana waves."),)
    link._apply([0, [said], [["d", session.id, 0], ["r", session.id, room, ["look"]]]])
    assert screen.lines == ["ana waves."]
    assert session.current_room() == room
    assert list(session.completions()) == ["look"]
    link._apply([0, [], [["w", "restarting"]]])
    link._apply([0, [], [["w", "back"]]])
    assert screen.lines[1:] == [RESTARTING, BACK]
    link._apply([0, [], [["c", session.id, "You have logged in from somewhere else."]]])
    assert screen.closed == "You have logged in from somewhere else."
    assert session.closed
    session.submit("look")  # a closed session sends nothing more
    assert sent(link) == []
