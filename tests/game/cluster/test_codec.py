"""Frames cross the bus as they were made: every reply data type a front end looks at."""

from __future__ import annotations

import re
from pathlib import Path

from game.cluster.codec import KNOWN, pack, unpack
from game.core.reply import Kind, Reply, RoomView, Spoken, StatusView
from game.core.report_view import ReportView, Section, Table
from game.world.layout import Avatar, Bubble, Layout, PlanView, Tile
from reflection.sheet import GrowthSheet

FRONTS = Path(__file__).resolve().parents[3] / "game" / "fronts"


def test_replies_and_views_round_trip_with_tuples_and_kinds() -> None:
    room = RoomView("square", "Town Square", "Stones.", ("north",), ("ana",), ("a board",))
    plan = PlanView(
        "square",
        "Town Square",
        Layout(((Tile("floor"), Tile("door", "north", "+")),)),
        (Avatar("ana", 1, 0),),
    )
    report = ReportView(
        "Economy",
        (("supply", (1.0, 2.5)),),
        (Section("Facts", ("one",)), Table("T", ("a", "b"), (("1", "2"),), ("a is 1",))),
    )
    replies = (
        Reply.room(room),
        Reply(Kind.SAY, 'ana says, "hi"', Spoken("ana", "chat")),
        Reply(Kind.PLAN, "", plan),
        Reply(Kind.PLAN, "", Bubble("ana", "hi")),
        Reply(Kind.INFO, "report", report),
        Reply(Kind.INFO, "growth", GrowthSheet((("Skills", ("fishing 2",)),))),
        Reply(Kind.SYSTEM, "Opening the admin console.", "sshrealm:open-admin-console"),
    )
    status = StatusView("ana", "Town Square", 12, "free", None, 10, 20, None, None)
    back = unpack(pack([replies, status]))
    assert tuple(back[0]) == replies
    assert [r.data for r in back[0]] == [r.data for r in replies]  # data is not compared by ==
    assert all(isinstance(r.kind, Kind) for r in back[0])
    assert back[1] == status


def test_data_only_this_process_could_use_is_dropped_not_fatal() -> None:
    (back,) = unpack(pack([Reply(Kind.INFO, "text", object())]))
    assert back == Reply(Kind.INFO, "text")
    assert back.data is None


def test_every_type_the_fronts_look_for_in_reply_data_can_cross() -> None:
    """A front that checks ``isinstance(reply.data, X)`` needs X in KNOWN, or on a gateway
    the check is never true."""
    names = {cls.__name__ for cls in KNOWN}
    looked_for = set()
    for path in FRONTS.rglob("*.py"):
        text = path.read_text()
        looked_for |= set(re.findall(r"isinstance\((?:reply\.data|r\.data|data), (\w+)\)", text))
    looked_for -= {"dict", "list", "str"}  # telnet's own GMCP data, not reply data
    assert looked_for <= names, looked_for - names
