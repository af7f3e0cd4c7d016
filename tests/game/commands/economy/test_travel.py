"""Fast travel: a real priced command (prices.travel), gated and charged by the engine."""

from __future__ import annotations

import dataclasses

from economy import Reason
from game.core.reply import Kind
from game.engine.game import Game
from game.world.model import Requires
from tests.game.commands.economy.conftest import one, play, player, rules, text


def test_travel_moves_and_charges_the_price(econ: Game) -> None:
    rules(econ, first_visit=0)
    ana, _ = player(econ, "ana")
    econ.tiers.set_premium("ana", econ.clock() + 3_600_000)
    replies = play(ana, "travel peak")
    assert replies[0].kind is Kind.ROOM
    assert replies[0].text.startswith("Frozen Summit")
    assert replies[-1].text == "Charged 5 tokens for travel."
    assert ana.player.room == "peak:summit"
    assert econ.store.account("ana").room == "peak:summit"  # type: ignore[union-attr]
    assert econ.wallet.balance("ana") == 5
    entry = econ.ledger.history("player:ana", 1)[0]
    assert (entry.amount, entry.reason, entry.memo) == (-5, Reason.COMMAND_PRICE, "travel")


def test_travel_without_tokens_changes_nothing(econ: Game) -> None:
    rules(econ, daily_bonus=3)
    ana, _ = player(econ, "ana")
    play(ana, "east")  # first visit to the pond: +7
    econ.wallet.charge("ana", 7, Reason.ADMIN_REVOKE, "take")
    reply = one(ana, "travel vale")
    assert reply.text == "Not enough tokens: `travel` costs 5, you have 3. Nothing was charged."
    assert ana.player.room == "vale:pond"
    assert econ.wallet.balance("ana") == 3
    assert econ.wallet.quota_left("ana") == 3


def test_travel_refusals_are_free(econ: Game) -> None:
    ana, _ = player(econ, "ana", 20)
    assert one(ana, "travel").text == (
        "Travel where? You can travel to Frost Peak (peak, premium) and Green Vale (vale). "
        "It costs 5 tokens."
    )
    assert one(ana, "travel moon").text.startswith("There is no area called 'moon'.")
    assert one(ana, "travel green").text == "You are already at Berry Meadow."
    assert one(ana, "travel frost").text.startswith("Frost Peak is a premium area.")
    assert ana.player.room == "vale:meadow"
    assert econ.wallet.balance("ana") == 30
    assert econ.wallet.quota_left("ana") == 3


def test_premium_area_opens_with_the_unlock(econ: Game) -> None:
    rules(econ, first_visit=0)
    ana, _ = player(econ, "ana")
    econ.grant_unlock("ana", "area:peak", "You climbed high.", "test")
    assert text(play(ana, "travel Frost Peak")).startswith("Frozen Summit")


def test_travel_tells_both_rooms(econ: Game) -> None:
    rules(econ, first_visit=0)
    ana, _ = player(econ, "ana", 10)
    _bob, bob_screen = player(econ, "bob")
    cyra, cyra_screen = player(econ, "cyra")
    play(ana, "east")
    play(cyra, "east")
    cyra_screen.clear()
    play(ana, "travel vale")
    assert "ana arrives from afar." in bob_screen.text
    assert "ana sets off for Green Vale." in cyra_screen.text


def test_free_quota_counts_travel(econ: Game) -> None:
    rules(econ, first_visit=0, free_daily_quota=1)
    ana, _ = player(econ, "ana", 20)
    play(ana, "east")
    assert play(ana, "travel vale")[-1].kind is Kind.ECONOMY
    assert econ.wallet.quota_left("ana") == 0
    play(ana, "east")
    assert "used all 1 priced actions" in one(ana, "travel vale").text
    assert ana.player.room == "vale:pond"


def test_travel_honours_the_destination_room_requirements(econ: Game) -> None:
    """Fast travel is no way around a gate: the start room's ``requires`` applies too."""
    rules(econ, first_visit=0)
    content = econ.world.content
    summit = dataclasses.replace(
        content.rooms["peak:summit"], requires=Requires(skills={"fishing": 2})
    )
    econ.world.content = dataclasses.replace(
        content, rooms={**content.rooms, "peak:summit": summit}
    )
    ana, _ = player(econ, "ana")
    econ.tiers.set_premium("ana", econ.clock() + 3_600_000)
    assert one(ana, "travel peak").text == "You need Fishing level 2 for that; you are level 1."
    assert ana.player.room == "vale:meadow"
    assert econ.wallet.balance("ana") == 10
