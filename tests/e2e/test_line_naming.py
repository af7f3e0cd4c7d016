"""Issue 13 through line mode over real SSH: names as shown, give to NPCs, replies in the
order things happened, the first room rewarded at once, help that explains priced actions."""

from __future__ import annotations

import asyncssh

from game.app import Server
from tests.e2e.conftest import Reader, connect


async def _line(server: Server, user: str, key: asyncssh.SSHKey) -> tuple[object, Reader]:
    conn = await connect(server.ssh_port, user, key)
    return conn, Reader(await conn.create_process(encoding=None))


async def test_give_herring_to_bram_completes_the_quest_in_order(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    game = server.game
    async with await connect(server.ssh_port, "ana", keys["ana"]) as first:
        await first.run("look")  # the account is made with this key
    game.store.set_room("ana", "town:kitchen")
    conn, reader = await _line(server, "ana", keys["ana"])
    async with conn:  # type: ignore[attr-defined]
        await reader.until("Here: Bram the cook.")
        reader.send("ask the cook about supper")
        await reader.until("New quest: Fish for Supper.")
        body = game.world.find_online("ana")
        assert body is not None
        game.world.grant(body, "town:herring", 3)
        game.world.grant(body, "town:grilled-herring", 1)
        for _ in range(2):  # two catches, as fishing at the pier would count them
            game.quests._bump("ana", lambda g: g.kind == "gather")
        reader.send("quests")
        await reader.until("Give two silver herrings to Bram the cook: not yet.")
        reader.send("give herring to bram")
        await reader.until("You hand over two silver herrings to Bram the cook.")
        await reader.until("Quest complete: Fish for Supper.")
        reader.send("inventory")
        await reader.until("You are carrying a silver herring and two grilled herrings.")
        reader.send("examine 2.herring")
        await reader.until("A grilled herring.")
        reader.send("give dragon to bram")
        await reader.until("You are not carrying 'dragon'.")
        assert b"\x1b" not in reader.seen
    assert game.quests.done("ana", "town:fish-supper")


async def test_sell_and_drop_by_shown_names_and_first_room_paid_at_once(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    game = server.game
    conn, reader = await _line(server, "bob", keys["bob"])
    async with conn:  # type: ignore[attr-defined]
        await reader.until("You see a notice board.")
        await reader.until("First visit to Town Square: +1 token for exploring.")
        body = game.world.find_online("bob")
        assert body is not None
        game.world.grant(body, "town:lantern", 1)
        game.world.grant(body, "town:herring", 3)
        game.world.grant(body, "town:grilled-herring", 1)
        reader.send("drop a brass lantern")
        await reader.until("You drop a brass lantern.")
        reader.send("east")
        await reader.until("The Harbour")
        reader.send("south")
        await reader.until("Here: Old Sal the fishmonger.")
        reader.send("sell 2 herring")
        await reader.until("You sell two silver herrings for 2 tokens.")
        reader.send("sell a silver herring")
        await reader.until("You sell a silver herring for 1 token.")
        reader.send("sell herring")  # only the grilled one is left
        await reader.until("You sell a grilled herring for 2 tokens.")
    assert game.world.floor["town:square"]["town:lantern"] == 1


async def test_help_explains_priced_actions_and_the_reply_counts_them(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    conn, reader = await _line(server, "cyra", keys["cyra"])
    async with conn:  # type: ignore[attr-defined]
        await reader.until("You see a notice board.")
        reader.send("help")
        await reader.until("give: Give something you carry to a player or a character in the")
        await reader.until("travel: Fast-travel to the starting place of another area")
        await reader.until("Priced: 5 tokens.")
        await reader.until("Priced actions cost tokens and count against a daily quota")
        help_text = reader.seen.decode()
        summaries = [ln for ln in help_text.split("\r\n") if ": " in ln and ln[:1].islower()]
        assert all(ln.rstrip().endswith((".", "?", "!", "…")) for ln in summaries), summaries
        reader.send("help priced")
        await reader.until("travel: 5 tokens each time")
        reader.send("travel moor")
        await reader.until("(1 of your 50 daily priced actions used; type help priced).")
