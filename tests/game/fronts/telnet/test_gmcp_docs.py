"""docs/gmcp.md stays true: every GMCP package the code sends, with every field it carries,
and every MSDP variable, is documented; and the pure pieces behave as documented."""

from __future__ import annotations

import ast
import re
from collections import Counter
from typing import Any

from game.core.reply import Kind, Reply, Spoken
from game.fronts.telnet import gmcp
from game.fronts.telnet.colour import paint, wants_colour
from game.fronts.telnet.outband import Outband
from tests.conftest import ROOT
from tests.game.fronts.telnet.conftest import Start, mud

DOC = (ROOT / "docs" / "gmcp.md").read_text(encoding="utf-8")
CODE = ROOT / "game" / "fronts" / "telnet"


def section(package: str) -> str:
    found = re.search(rf"^### {re.escape(package)}\n(.*?)(?=^##)", DOC, re.S | re.M)
    assert found, f"docs/gmcp.md has no section for {package}"
    return found.group(1)


def sent_by_code() -> set[str]:
    """Package names passed as the first argument of ``put`` anywhere in the telnet front."""
    names = set()
    for path in CODE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "put"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                names.add(node.args[0].value)
    return names


def keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() if isinstance(v, list) for k in keys(v)}
    if isinstance(value, list):
        return {k for item in value for k in keys(item)}
    return set()


def test_every_package_the_code_sends_is_listed_and_documented() -> None:
    sent = sent_by_code()
    assert sent
    assert sent <= set(gmcp.PACKAGES)
    for package in gmcp.PACKAGES:
        section(package)


def test_every_msdp_variable_is_documented() -> None:
    for variable, (package, _) in gmcp.MSDP_FROM.items():
        assert f"| `{variable}` | {package} |" in DOC, variable


async def test_every_field_sent_in_play_is_documented(start: Start) -> None:
    srv = await start()
    ana = await mud(srv.telnet.port)
    bob = await mud(srv.telnet.port)
    try:
        await ana.login("ana", "correct horse", new=True)
        await bob.login("bob", "correct horse", new=True)
        bob.send("say hello")
        await ana.gmcp("Comm.Channel.Text")
        flour = next(ref for ref in srv.game.world.content.items if ref.endswith("flour"))
        player = srv.game.sessions.get("ana")
        assert player is not None
        srv.game.world.floor.setdefault(player.player.room, Counter())[flour] = 1
        ana.send("get flour")
        await ana.gmcp("Char.Items.Inv", lambda d: bool(d["items"]))
        seen = {package for package, _ in ana.client.gmcp}
        assert seen == set(gmcp.PACKAGES)
        for package, data in ana.client.gmcp:
            table = section(package)
            for key in keys(data):
                assert f"| `{key}` |" in table, f"{package}.{key} is not in docs/gmcp.md"
    finally:
        ana.close()
        bob.close()


def test_colour_is_asked_for_by_mtts_or_a_colour_terminal_only() -> None:
    assert wants_colour(["Mudlet", "ANSI-TRUECOLOR", "MTTS 2825"])
    assert not wants_colour(["Mudlet", "ANSI", "MTTS 0"])  # MTTS decides when present
    assert wants_colour(["xterm-256color"])
    assert not wants_colour(["unknown"])
    assert not wants_colour([])
    text = paint([Reply(Kind.SAY, 'ana says, "hi"', Spoken("ana")), Reply.info("plain")])
    assert text == '\x1b[33mana says, "hi"\x1b[0m\r\nplain\r\n'


def test_outband_sends_on_change_and_only_the_modules_asked_for() -> None:
    sent: list[tuple[str, Any]] = []
    out = Outband(lambda p, d: sent.append((p, d)), lambda v: sent.append(("MSDP", v)))
    out.put("Char.Status", {"tokens": 1})  # before GMCP: kept, sent when it comes on
    out.gmcp_on()
    out.put("Char.Status", {"tokens": 1})  # unchanged: nothing
    out.gmcp_in("Core.Supports.Set", ["Room 1", "Char.Items 1"])
    out.put("Char.Status", {"tokens": 2})  # Char not asked for
    out.put("Char.Items.Inv", {"location": "inv", "items": []})
    out.put("Room.Players", [])
    assert [p for p, _ in sent] == ["Char.Status", "Char.Items.Inv", "Room.Players"]
    out.msdp_on()
    out.msdp_in({"REPORT": ["ROOM_PLAYERS", "NOPE"]})
    assert sent[-1] == ("MSDP", {"ROOM_PLAYERS": []})  # the current value at once
    out.put("Room.Players", [{"name": "bob", "fullname": "bob"}])
    assert sent[-2:] == [
        ("Room.Players", [{"name": "bob", "fullname": "bob"}]),
        ("MSDP", {"ROOM_PLAYERS": ["bob"]}),
    ]
