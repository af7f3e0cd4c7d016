"""Equipment and containers through the engine: the locked chest in the root hollow and its key,
wield/wear/remove with stats that combat uses, bags, and the carrying limit."""

from __future__ import annotations

import dataclasses

from game.engine.game import Game
from game.engine.session import Session
from tests.conftest import join, run

HOLLOW = "wood:hollow"


def in_hollow(game: Game) -> Session:
    session, _ = join(game, "ana")
    game.world.move(session.player, HOLLOW)
    return session


def test_locked_chest_needs_its_key_then_gives_up_its_gear(game: Game) -> None:
    session = in_hollow(game)
    assert run(session, "get sword from chest").text == "An iron-bound chest is locked."
    assert run(session, "open chest").text == "An iron-bound chest is locked."
    assert run(session, "unlock chest").text == "You don't have the key."
    assert run(session, "get chest").text == "You can't take an iron-bound chest."
    game.world.move(session.player, "wood:camp")
    assert run(session, "get key").text == "You pick up a small brass key."
    game.world.move(session.player, HOLLOW)
    assert run(session, "unlock chest").text == "You unlock an iron-bound chest."
    said = run(session, "open chest").text
    assert said == ("You open an iron-bound chest. Inside: a wooden practice sword, a leather cap.")
    assert run(session, "get sword from chest").text == (
        "You take a wooden practice sword from an iron-bound chest."
    )
    assert run(session, "get sword from chest").text.startswith("There is no 'sword' in")
    assert run(session, "close chest").text == "You close an iron-bound chest."
    assert run(session, "get cap from chest").text == "An iron-bound chest is closed."
    # What was taken stays taken: the chest is seeded once, in the database.
    assert game.containers.contents(f"room:{HOLLOW}:wood:root-chest") == {"wood:leather-cap": 1}
    row = game.conn.execute("SELECT count(*) FROM container_seeded").fetchone()
    assert row == (1,)


def test_wield_wear_remove_change_the_fight(game: Game) -> None:
    session = in_hollow(game)
    game.world.grant(session.player, "wood:wooden-sword")
    game.world.grant(session.player, "wood:leather-cap")
    unarmed = run(session, "consider rat").text
    assert run(session, "wear sword").text == "A wooden practice sword is wielded: try wield."
    assert run(session, "wield cap").text == "A leather cap is worn, not wielded."
    assert run(session, "wield sword").text == "You wield a wooden practice sword."
    assert run(session, "wear cap").text == "You wear a leather cap."
    assert session.player.inventory["wood:wooden-sword"] == 0  # out of the pack
    eq = run(session, "equipment").text
    assert "weapon: a wooden practice sword" in eq
    assert "head: a leather cap" in eq
    assert "Attack 2, defence 1, damage up to 5, health 20/22" in eq
    armed = run(session, "consider rat").text
    assert armed != unarmed
    assert game.combat.vitals("ana").max_health == 22
    assert game.status(session.player).max_health == 22
    assert run(session, "remove weapon").text == "You remove a wooden practice sword."
    assert run(session, "remove cap").text == "You remove a leather cap."
    assert run(session, "remove cap").text.startswith("You are not wearing")
    assert session.player.inventory["wood:wooden-sword"] == 1
    assert game.equipment.worn("ana") == {}
    # Worn gear is kept in the database.
    run(session, "wield sword")
    rows = game.conn.execute("SELECT slot, item FROM player_equipment").fetchall()
    assert rows == [("weapon", "wood:wooden-sword")]


def test_bags_hold_things_and_their_weight_counts(game: Game) -> None:
    session = in_hollow(game)
    assert run(session, "get sack").text == "You pick up a burlap sack."
    game.world.grant(session.player, "town:bread", 3)
    assert (
        run(session, "put 2 bread in sack").text == "You put two loaves of bread in a burlap sack."
    )
    assert session.player.inventory["town:bread"] == 1
    assert run(session, "put sack in sack").text == "A container does not go inside a container."
    assert (
        run(session, "get bread from sack").text == "You take a loaf of bread from a burlap sack."
    )
    load = game.containers.load(session.player)
    assert load == 1 + 2 + 1  # the sack, a loaf in hand, a loaf in the sack
    game.world.grant(session.player, "town:rope", 20)
    assert run(session, "put all rope in sack").text.startswith("A burlap sack holds 8 things")


def test_carrying_limit(game: Game) -> None:
    session = in_hollow(game)
    content = game.world.content
    game.world.content = dataclasses.replace(
        content, combat=dataclasses.replace(content.combat, carry=4)
    )
    game.world.grant(session.player, "wood:wooden-sword")  # weight 3
    said = run(session, "get sack").text
    assert said == "You pick up a burlap sack."
    game.world.spawn(HOLLOW, "wood:rat-tail", 2)
    assert run(session, "get tail").text.startswith("You can't carry a rat tail: that would be 5")
    assert session.player.inventory["wood:rat-tail"] == 0
    run(session, "wield sword")  # worn things weigh nothing
    assert run(session, "get 2 tails").text == "You pick up two rat tails."


def test_examine_tells_slots_stats_and_what_is_inside(game: Game) -> None:
    session = in_hollow(game)
    game.world.grant(session.player, "wood:leather-cap")
    said = run(session, "examine cap").text
    assert said.endswith("It goes in the head slot (defence +1, health +2).")
    assert run(session, "examine chest").text.endswith("It is locked.")
    run(session, "get sack")
    assert run(session, "examine sack").text.endswith("It is empty.")
