"""Playing over telnet with a MUD client (issue 18), end to end: line-mode text, prompts,
GMCP and MSDP sent when they change, colour only when asked for."""

from __future__ import annotations

from collections import Counter
from typing import Any

from game.app import Server
from game.fronts.telnet.gmcp import room_num
from tests.game.fronts.telnet.conftest import Mud, Start, mud

SECRET = "correct horse"


async def joined(srv: Server, name: str, **options: Any) -> Mud:
    client = await mud(srv.telnet.port, **options)
    await client.login(name, SECRET, new=srv.game.store.account(name) is None)
    return client


def where(srv: Server, name: str) -> str:
    session = srv.game.sessions.get(name)
    assert session is not None
    return session.player.room


async def test_a_new_player_logs_in_plays_and_sees_line_mode_text(start: Start) -> None:
    srv = await start()
    client = await mud(srv.telnet.port)
    try:
        text = await client.login("ana", SECRET, new=True)
        assert "Welcome to sshrealm, ana." in text
        assert "Exits:" in text
        client.send("look")
        text = await client.until("> ")
        assert text.index("Town Square") < text.index("Exits:")  # title, exits, description
        account = srv.game.store.account("ana")
        assert account is not None
        assert account.password_hash is not None
        assert srv.game.sessions.get("ana") is not None
        name = await client.gmcp("Char.Name")
        assert name == {"name": "ana", "fullname": "ana"}
    finally:
        client.close()


async def test_room_info_follows_every_move_with_exit_targets_and_coordinates(
    start: Start,
) -> None:
    srv = await start()
    client = await joined(srv, "ana")
    content = srv.game.world.content
    try:
        for step in ("north", "south", "east", "west", "south"):
            client.send(step)
            await client.until("> ")
            here = where(srv, "ana")
            info = await client.gmcp("Room.Info", lambda d, h=here: d["id"] == h)
            room = content.rooms[here]
            assert info["name"] == room.title
            assert info["area_id"] == room.area
            assert info["area"] == content.areas[room.area].title
            assert info["exit_ids"] == {ex.direction: ex.to for ex in room.exits}
            assert info["exits"] == {ex.direction: room_num(ex.to) for ex in room.exits}
            assert info["num"] == room_num(here)
            assert info["coords"] == (list(room.coordinates) if room.coordinates else None)
            assert client.client.packages("Room.Info")[-1]["id"] == here  # the last one sent
    finally:
        client.close()


async def test_packages_are_sent_when_they_change_not_with_every_prompt(start: Start) -> None:
    srv = await start()
    client = await joined(srv, "ana")
    try:
        await client.gmcp("Char.Skills")
        before = Counter(package for package, _ in client.client.gmcp)
        for _ in range(3):
            client.send("look")
            await client.until("> ")
        client.send("say hello")
        await client.until("> ")
        after = Counter(package for package, _ in client.client.gmcp)
        assert after - before == Counter({"Comm.Channel.Text": 1})  # the say, nothing else
    finally:
        client.close()


async def test_players_channels_status_and_inventory(start: Start) -> None:
    srv = await start()
    ana = await joined(srv, "ana")
    bob = await joined(srv, "bob")
    try:
        players = await ana.gmcp("Room.Players", lambda d: [p["name"] for p in d] == ["bob"])
        assert players == [{"name": "bob", "fullname": "bob"}]
        bob.send("say hi ana")
        said = await ana.gmcp("Comm.Channel.Text")
        assert said == {"channel": "say", "talker": "bob", "text": 'bob says, "hi ana"'}
        bob.send("tell ana psst")
        told = await ana.gmcp("Comm.Channel.Text", lambda d: d["channel"] == "tell")
        assert told["talker"] == "bob"
        assert "psst" in told["text"]
        status = await ana.gmcp("Char.Status")
        assert set(status) == {"name", "location", "tokens", "tier", "quota_left"}
        assert status["location"] == "Town Square"
        vitals = await ana.gmcp("Char.Vitals")
        assert vitals == {"hp": 20, "maxhp": 20, "sp": 10, "maxsp": 10}
        flour = next(ref for ref in srv.game.world.content.items if ref.endswith("flour"))
        srv.game.world.floor.setdefault(where(srv, "ana"), Counter())[flour] = 1
        ana.send("get flour")
        inv = await ana.gmcp("Char.Items.Inv", lambda d: bool(d["items"]))
        name = srv.game.world.content.items[flour].name
        assert inv["items"] == [{"id": flour, "name": name, "count": 1}]
        skills = await ana.gmcp("Char.Skills")
        assert {s["name"] for s in skills} == set(srv.game.world.content.economy.skills)
        growth = await ana.gmcp("sshrealm.Growth")
        assert set(growth) >= {"cycle", "suggestions", "unlocks", "next_milestone"}
        bob.send("quit")
        await ana.gmcp("Room.Players", lambda d: d == [])
    finally:
        ana.close()
        bob.close()


async def test_chat_channels_and_the_players_own_prompt_over_telnet(start: Start) -> None:
    srv = await start()
    ana = await joined(srv, "ana")
    bob = await joined(srv, "bob")
    try:
        bob.send("chat hello all")
        said = await ana.gmcp("Comm.Channel.Text", lambda d: d["channel"] == "chat")
        assert said == {"channel": "chat", "talker": "bob", "text": "[chat] bob: hello all"}
        ana.send("prompt [%t tokens] %r>")
        await ana.until("Prompt set")
        ana.send("look")
        text = await ana.until(" tokens] Town Square>")  # the template stands for "> "
        assert "Town Square" in text
    finally:
        ana.close()
        bob.close()


async def test_msdp_reports_the_same_facts_when_asked(start: Start) -> None:
    srv = await start()
    client = await joined(srv, "ana")
    try:
        client.writer.send_msdp({"REPORT": ["ROOM_NAME", "TOKENS"], "LIST": "COMMANDS"})
        client.send("north")
        await client.until("> ")
        hall = srv.game.world.content.rooms[where(srv, "ana")].title
        await client.msdp(lambda m: m.get("ROOM_NAME") == hall)
        merged: dict[str, Any] = {}
        for message in client.client.msdp:
            merged.update(message)
        assert "REPORT" in merged["COMMANDS"]
        assert merged["TOKENS"].isdigit()
    finally:
        client.close()


async def test_colour_only_when_the_client_asks_and_never_for_screen_readers(
    start: Start,
) -> None:
    srv = await start()
    ansi = await joined(srv, "ana", ttypes=["Mudlet", "ANSI-TRUECOLOR", "MTTS 2825"])
    mono = await joined(srv, "bob", ttypes=["Mudlet", "ANSI", "MTTS 0"])
    plain = await joined(srv, "cyra+plain", term="xterm-256color")
    srv.game.ensure_account("eve")
    srv.game.store.set_screenreader("eve", True)
    srv.game.store.set_password_hash("eve", srv.gate.hasher.hash(SECRET))
    reader = await mud(srv.telnet.port, term="xterm-256color")
    await reader.login("eve", SECRET)
    try:
        for client in (ansi, mono, plain, reader):
            client.send("look")
            await client.until("> ")
        assert b"\x1b[" in ansi.seen
        for client in (mono, plain, reader):
            assert b"\x1b" not in client.seen
    finally:
        for client in (ansi, mono, plain, reader):
            client.close()
