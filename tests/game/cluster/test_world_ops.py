"""The world's handling of gateway entries, without Redis: frames are read as written."""

from __future__ import annotations

from typing import Any

from game.cluster.bus import Keys
from game.cluster.codec import unpack
from game.cluster.world_link import WorldLink
from game.engine.game import Game

NEW = {"password_hash": None, "keys": [["SHA256:ana", "ssh-ed25519 AAAA ana"]], "link": False}


def creation(**changes: Any) -> dict[str, Any]:
    return {**NEW, "audit": [], **changes}


def taken(link: WorldLink, gateway: str) -> list[list[Any]]:
    """The ops sent to ``gateway`` so far, with replies resolved; the frame is emptied."""
    frame = link._frames.pop(gateway)
    _, replies, ops = unpack(frame.pack())
    return [[op[0], op[1], replies[op[2]]] if op[0] == "d" else op for op in ops]


def said(ops: list[list[Any]], sid: str) -> list[str]:
    return [r.text for op in ops if op[0] == "d" and op[1] == sid for r in op[2]]


def test_a_retried_line_runs_once_and_is_acknowledged_twice(game: Game) -> None:
    link = WorldLink(game, None, Keys("t"))
    link.ops.run(["open", "gw1", "s1", "ana", "line", "10.0.0.1", creation()], b"1-0")
    assert game.store.keys("ana") == ["SHA256:ana"]
    assert "Welcome to sshrealm, ana." in said(taken(link, "gw1"), "s1")[0]
    link.ops.run(["line", "gw1", "s1", 1, "say once"], b"2-0")
    link.ops.run(["line", "gw1", "s1", 1, "say once"], b"3-0")  # the same entry, retried
    ops = taken(link, "gw1")
    assert said(ops, "s1").count('You say, "once"') == 1
    assert [op for op in ops if op[0] == "k"] == [["k", "s1", 1], ["k", "s1", 1]]
    # Presence keeps the last line run, so a restarted world skips it too.
    assert unpack(link._present["s1"]) == ["gw1", "ana", "line", "10.0.0.1", 1]


def test_a_room_line_goes_once_per_gateway_and_fans_out_there(game: Game) -> None:
    link = WorldLink(game, None, Keys("t"))
    for n, gateway in enumerate(("gw1", "gw1", "gw2")):
        name = f"p{n}"
        made = creation(keys=[[f"SHA256:{name}", "k"]])
        link.ops.run(["open", gateway, f"s{n}", name, "line", "", made], b"1-0")
    link._frames.clear()
    link.ops.run(["line", "gw2", "s2", 1, "say hello all"], b"2-0")
    frame = link._frames["gw1"]
    assert len(frame.replies) == 1  # one copy of the line for both of gw1's players
    assert [op[1] for op in frame.ops if op[0] == "d"] == ["s0", "s1"]


def test_a_name_taken_meanwhile_closes_the_late_session_with_why(game: Game) -> None:
    link = WorldLink(game, None, Keys("t"))
    link.ops.run(["open", "gw1", "s1", "ana", "line", "", creation()], b"1-0")
    late = creation(keys=[["SHA256:other", "k"]])
    link.ops.run(["open", "gw2", "s2", "ana", "tui", "", late], b"2-0")
    (close,) = taken(link, "gw2")
    assert close[0] == "c"
    assert "was just taken" in close[2]
    assert game.store.key_owner("SHA256:other") is None
    assert [s.id for s in game.sessions] == [link.ops.sessions["s1"][1].id]


def test_a_lost_gateway_lets_its_bodies_go(game: Game) -> None:
    link = WorldLink(game, None, Keys("t"))
    link.ops.run(["open", "gw1", "s1", "ana", "line", "", creation()], b"1-0")
    link.ops.run(["open", "gw2", "s2", "bob", "line", "", creation(keys=[["SHA256:b", "k"]])], b"2")
    link._frames.clear()
    link.ops.gateway_lost("gw1")
    assert [s.name for s in game.sessions] == ["bob"]
    assert "ana leaves the realm." in said(taken(link, "gw2"), "s2")
    assert "s1" in link._absent
    assert "gw1" not in link.gateways


def test_login_facts_answer_what_the_gateway_login_asks(game: Game) -> None:
    link = WorldLink(game, None, Keys("t"))
    link.ops.run(["open", "gw1", "s1", "ana", "line", "", creation()], b"1-0")
    game.moderation.ban("address", "10.0.0.9", "spam", "admin", None)
    link._frames.clear()
    link.ops.run(["ask", "gw1", 7, "login", ["ana", "10.0.0.9"]], b"2-0")
    link.ops.run(["ask", "gw1", 8, "key", ["SHA256:ana"]], b"3-0")
    (login, key) = taken(link, "gw1")
    account, keys, code, account_ban, address_ban = login[2]
    assert login[:2] == ["a", 7]
    assert account[0] == "ana"
    assert keys == ["SHA256:ana"]
    assert code is None
    assert account_ban is None
    assert address_ban[2] == "spam"
    assert key == ["a", 8, ["ana", None]]
