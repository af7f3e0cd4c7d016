"""Logging in and playing over telnet with a MUD client (issue 18), end to end."""

from __future__ import annotations

from game.app import Server
from tests.game.fronts.telnet.conftest import Start, mud

SECRET = "correct horse"


async def test_a_new_player_logs_in_plays_and_gets_a_prompt_with_eor(start: Start) -> None:
    srv: Server = await start()
    client = await mud(srv.telnet.port)
    try:
        text = await client.login("ana", SECRET, new=True)
        assert "Welcome to sshrealm, ana." in text
        client.send("look")
        text = await client.until("> ")
        assert "Exits:" in text
        assert srv.game.store.account("ana") is not None
        info = await client.gmcp("Room.Info")
        assert info["id"] == srv.game.sessions.get("ana").player.room  # type: ignore[union-attr]
    finally:
        client.close()
