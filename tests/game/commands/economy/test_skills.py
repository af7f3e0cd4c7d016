"""Gathering (forage, fish) and cooking: items and XP from content, levels, the fire."""

from __future__ import annotations

import random

from game.core.reply import Kind
from game.engine.game import Game
from tests.conftest import FakeClock
from tests.game.commands.economy.conftest import one, play, player, rules, text


class Rolls(random.Random):
    """An RNG that returns the given rolls in order (the game's injected randomness)."""

    def __init__(self, *rolls: float) -> None:
        super().__init__(0)
        self.rolls = list(rolls)

    def random(self) -> float:
        return self.rolls.pop(0)


def scripted(game: Game, *rolls: float) -> Rolls:
    """The game's own RNG (the one its services hold) now returns ``rolls`` in order."""
    script = Rolls(*rolls)
    game.rng.random = script.random  # type: ignore[method-assign]
    return script


def test_forage_gives_item_and_xp(econ: Game) -> None:
    ana, _ = player(econ, "ana")
    replies = play(ana, "forage")
    assert [r.text for r in replies] == [
        "You forage and get a handful of berries.",
        "+20 Foraging XP (20 in total).",
    ]
    assert ana.player.inventory["vale:berries"] == 1
    assert econ.store.inventory("ana")["vale:berries"] == 1  # persisted
    assert econ.skills.xp("ana", "foraging") == 20


def test_gathering_levels_up_with_a_message(econ: Game) -> None:
    ana, _ = player(econ, "ana")
    play(ana, "forage")
    play(ana, "forage")
    replies = play(ana, "forage")
    assert replies[-1].kind is Kind.SYSTEM
    assert replies[-1].text == "Your Foraging level is now 2!"
    assert econ.skills.level("ana", "foraging") == 2


def test_fishing_chance_uses_the_injected_rng(econ: Game) -> None:
    scripted(econ, 0.7, 0.2)  # chance 0.5: the first roll misses, the second lands
    ana, _ = player(econ, "ana")
    play(ana, "east")
    miss = one(ana, "fish")
    assert miss.text == "You try to fish, but get nothing this time."
    assert ana.player.inventory["vale:trout"] == 0
    assert econ.skills.xp("ana", "fishing") == 0
    assert text(play(ana, "fish")).startswith("You fish and get a raw trout.")
    assert ana.player.inventory["vale:trout"] == 1


def test_higher_level_spot_needs_the_level(econ: Game) -> None:
    scripted(econ, 0.0, 0.0)
    ana, _ = player(econ, "ana")
    play(ana, "east")
    refused = one(ana, "fish pike")
    assert refused.text == "You need Fishing level 3 to fish here; you are level 1."
    econ.skills.add_xp("ana", "fishing", 120)
    assert text(play(ana, "fish")).startswith("You fish and get a pike.")  # best spot first
    assert text(play(ana, "fish trout")).startswith("You fish and get a raw trout.")


def test_gathering_where_there_is_nothing(econ: Game) -> None:
    ana, _ = player(econ, "ana")
    assert one(ana, "fish").text == "There is nothing to fish here."
    assert one(ana, "forage mushrooms").text == "You can't forage 'mushrooms' here."
    assert not ana.player.inventory


def test_cook_needs_fire_inputs_and_level(econ: Game) -> None:
    ana, _ = player(econ, "ana")
    no_fire = one(ana, "cook grilled trout")
    assert no_fire.text == "You need a fire to cook a grilled trout; there is none here."
    play(ana, "north")
    assert one(ana, "cook grilled trout").text == (
        "To cook a grilled trout you need a raw trout (you have 0)."
    )
    assert "need Cooking level 2" in one(ana, "cook pie").text
    assert one(ana, "cook cake").text == "You don't know how to cook 'cake'."
    assert "You know how to cook: a grilled trout and a berry pie." in one(ana, "cook").text


def test_cook_turns_inputs_into_output_with_xp(econ: Game) -> None:
    ana, _ = player(econ, "ana")
    play(ana, "north")
    ana.player.inventory["vale:trout"] = 2
    econ.store.adjust_inventory("ana", "vale:trout", 2)
    replies = play(ana, "cook trout")
    assert [r.text for r in replies] == [
        "You cook a grilled trout.",
        "+30 Cooking XP (30 in total).",
    ]
    assert ana.player.inventory["vale:trout"] == 1
    assert ana.player.inventory["vale:grilled-trout"] == 1
    assert econ.store.inventory("ana") == {"vale:trout": 1, "vale:grilled-trout": 1}


def test_skills_lists_levels_and_next_threshold(econ: Game) -> None:
    ana, _ = player(econ, "ana")
    play(ana, "forage")
    reply = one(ana, "skills")
    assert reply.text.split("\n") == [
        "Foraging: level 1, 20 XP, 30 XP to level 2. Verb: forage.",
        "Fishing: level 1, 0 XP, 50 XP to level 2. Verb: fish.",
        "Cooking: level 1, 0 XP, 50 XP to level 2. Verb: cook.",
    ]
    econ.skills.add_xp("ana", "fishing", 500)
    assert "Fishing: level 3, 500 XP, top level." in one(ana, "skills").text


def test_gathering_again_waits_out_the_rest_and_a_refusal_changes_nothing(econ: Game) -> None:
    rules(econ, gather_cooldown=5)
    rolls = scripted(econ, 0.9)  # one roll only: a refused try must not draw from the RNG
    ana, _ = player(econ, "ana")
    play(ana, "east")
    assert one(ana, "fish").text == "You try to fish, but get nothing this time."
    refused = one(ana, "fish")  # play() waits one second: four are left
    assert refused.kind is Kind.ERROR
    assert refused.text == (
        "You need a moment before you can fish again: try in 4 seconds. Nothing was done."
    )
    assert rolls.rolls == []
    assert ana.player.inventory["vale:trout"] == 0
    assert econ.skills.xp("ana", "fishing") == 0
    clock = econ.clock
    assert isinstance(clock, FakeClock)
    clock.tick(3000)
    rolls = scripted(econ, 0.0)
    assert text(play(ana, "fish")).startswith("You fish and get a raw trout.")


def test_the_rest_is_per_skill_and_nowhere_to_gather_starts_none(econ: Game) -> None:
    rules(econ, gather_cooldown=60)
    scripted(econ, 0.0, 0.0)
    ana, _ = player(econ, "ana")
    assert one(ana, "fish").text == "There is nothing to fish here."
    assert text(play(ana, "forage")).startswith("You forage and get")
    play(ana, "east")
    assert text(play(ana, "fish")).startswith("You fish and get")  # another skill's rest
