"""Commands find things by the names the game shows (issue 13, items 1 and 2)."""

from __future__ import annotations

import pytest

from game.core.reply import Kind
from game.engine.game import Game
from tests.conftest import join, run


def _at_fishmonger(game: Game) -> tuple[object, object]:
    ana, screen = join(game, "ana")
    game.world.move(ana.player, "town:fishmarket")
    game.world.grant(ana.player, "town:herring", 3)
    game.world.grant(ana.player, "town:grilled-herring", 1)
    return ana, screen


@pytest.mark.parametrize(
    ("line", "sold"),
    [
        ("sell 2 herring", "You sell two silver herrings"),
        ("sell silver herring", "You sell a silver herring"),
        ("sell a silver herring", "You sell a silver herring"),
        ("sell herring", "You sell a silver herring"),
        ("sell 2 silver herrings", "You sell two silver herrings"),
        ("sell all herring", "You sell three silver herrings"),
        ("sell grilled herring", "You sell a grilled herring"),
        ("sell 2.herring", "You sell a grilled herring"),
    ],
)
def test_sell_finds_items_by_their_shown_names(game: Game, line: str, sold: str) -> None:
    ana, _ = _at_fishmonger(game)
    reply = run(ana, line)  # type: ignore[arg-type]
    assert reply.text.startswith(sold), reply.text


def test_bad_names_and_counts_change_nothing(game: Game) -> None:
    ana, _ = _at_fishmonger(game)
    before = (dict(ana.player.inventory), game.wallet.balance("ana"))  # type: ignore[attr-defined]
    for line in ("sell 4 herring", "sell dragon", "sell ² herring", "sell 5.herring", "sell"):
        reply = run(ana, line)  # type: ignore[arg-type]
        assert reply.kind is Kind.ERROR, line
    assert run(ana, "sell 4 herring").text == (  # type: ignore[arg-type]
        "You only have three silver herrings. Nothing was sold."
    )
    assert (dict(ana.player.inventory), game.wallet.balance("ana")) == before  # type: ignore[attr-defined]


def test_drop_get_and_look_by_the_displayed_name(game: Game) -> None:
    ana, _ = join(game, "ana")
    game.world.grant(ana.player, "town:lantern", 1)
    assert run(ana, "drop a brass lantern").text == "You drop a brass lantern."
    assert "You see a notice board and a brass lantern." in run(ana, "look").text
    assert run(ana, "look at the brass lantern").text.startswith("A brass lantern.")
    assert run(ana, "examine the crier").text.startswith("The town crier.")
    assert run(ana, "get the brass lantern").text == "You pick up a brass lantern."
    game.world.grant(ana.player, "town:float", 2)
    assert run(ana, "drop 2 glass floats").text == "You drop two glass floats."
    assert run(ana, "get all").text == "You pick up two glass floats."


def test_which_one_when_two_ordinary_things_fit(game: Game) -> None:
    ana, _ = join(game, "ana")
    game.world.grant(ana.player, "town:float", 2)
    game.world.grant(ana.player, "isle:sea-glass", 1)
    before = dict(ana.player.inventory)
    assert run(ana, "drop glass").text == (
        "Which one? the glass float (2) or the piece of sea glass? Type 1.glass or 2.glass."
    )
    assert dict(ana.player.inventory) == before
    assert run(ana, "drop 2.glass").text == "You drop a piece of sea glass."
    assert run(ana, "drop sea glass").kind is Kind.ERROR  # none left
    assert run(ana, "drop glass").text == "You drop a glass float."


def test_give_to_npc_by_any_word_hands_over_and_completes_in_order(game: Game) -> None:
    ana, _ = join(game, "ana")
    game.world.move(ana.player, "town:kitchen")
    run(ana, "ask bram about supper")
    game.quests._bump("ana", lambda g: g.kind == "gather")  # two catches, as fishing would
    game.quests._bump("ana", lambda g: g.kind == "gather")
    game.world.grant(ana.player, "town:herring", 3)
    assert run(ana, "give lantern to cook").kind is Kind.ERROR  # not carried
    refused = run(ana, "give herring to Marta")
    assert refused.text.startswith("There is nobody called 'Marta' here. Here: Bram the cook")
    replies = game.engine.execute(ana, "give herring to bram")
    texts = [r.text for r in replies]
    assert texts[0] == "You hand over two silver herrings to Bram the cook."
    assert texts[1].startswith("Quest complete: Fish for Supper.")
    assert ana.player.inventory["town:herring"] == 1
    assert game.quests.done("ana", "town:fish-supper")
    assert run(ana, "give herring to the cook").text == (
        "Bram the cook doesn't want a silver herring. Nothing was given."
    )


@pytest.mark.parametrize("line", ["give 2 herring to bram the cook", "give herrings cook"])
def test_give_forms_all_reach_the_npc(game: Game, line: str) -> None:
    ana, _ = join(game, "ana")
    game.world.move(ana.player, "town:kitchen")
    run(ana, "ask bram about supper")
    game.world.grant(ana.player, "town:herring", 2)
    reply = game.engine.execute(ana, line)[0]
    assert reply.text == "You hand over two silver herrings to Bram the cook."


def test_talk_and_ask_by_every_word_of_the_name(game: Game) -> None:
    ana, _ = join(game, "ana")
    game.world.move(ana.player, "town:kitchen")
    for words in ("bram", "cook", "Bram the cook", "BRAM", "the cook", "br"):
        assert run(ana, f"talk {words}").text.startswith("Bram the cook says"), words
    assert "Fish for Supper" in run(ana, "ask the cook about supper").text


def test_give_to_a_player_in_the_room(game: Game) -> None:
    ana, _ = join(game, "ana")
    _bob, bob_screen = join(game, "bob")
    game.world.grant(ana.player, "town:float", 2)
    assert run(ana, "give 2 floats to bob").text == "You give two glass floats to bob."
    assert "ana gives you two glass floats." in bob_screen.text
