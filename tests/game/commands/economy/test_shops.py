"""Shops: list, buy and sell move tokens and items together, or nothing at all."""

from __future__ import annotations

import pytest

from economy import Reason
from game.core.reply import Kind
from game.engine.game import Game
from game.engine.session import Session
from tests.game.commands.economy.conftest import one, play, player, rules


def at_camp(econ: Game, name: str, tokens: int = 0) -> Session:
    rules(econ, first_visit=0)  # keep the exploration reward out of these sums
    session, _ = player(econ, name, tokens)
    play(session, "north")
    return session


def test_list_shows_sells_and_buys(econ: Game) -> None:
    ana = at_camp(econ, "ana")
    assert one(ana, "list").text.split("\n") == [
        "Marta the trader sells:",
        "a fishing rod: 12 tokens",
        "a handful of berries: 2 tokens",
        "Marta the trader buys:",
        "a raw trout: 2 tokens each",
        "a grilled trout: 6 tokens each",
        "a handful of berries: 1 token each",
        "Type buy <item> or sell <item>, with a number for more than one.",
    ]


def test_no_shop_here(econ: Game) -> None:
    ana, _ = player(econ, "ana")
    for line in ("list", "buy rod", "sell berries"):
        assert one(ana, line).text == "There is no shop here."


def test_buy_charges_and_gives_the_item(econ: Game) -> None:
    ana = at_camp(econ, "ana", 20)
    reply = one(ana, "buy 3 berries")
    assert reply.text == "You buy three handfuls of berries for 6 tokens. You have 24 left."
    assert ana.player.inventory["vale:berries"] == 3
    assert econ.store.inventory("ana")["vale:berries"] == 3
    entry = econ.ledger.history("player:ana", 1)[0]
    assert (entry.amount, entry.reason) == (-6, Reason.SHOP_PURCHASE)
    assert one(ana, "buy rod 1").text.startswith("You buy a fishing rod for 12 tokens.")
    assert econ.ledger.verify().ok


def test_buy_without_enough_tokens_changes_nothing(econ: Game) -> None:
    ana = at_camp(econ, "ana")
    reply = one(ana, "buy rod")
    assert (
        reply.text == "Not enough tokens: a fishing rod cost 12, you have 10. Nothing was bought."
    )
    assert not ana.player.inventory
    assert econ.wallet.balance("ana") == 10


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("buy", "Buy what? Type list to see the wares."),
        ("buy pike", "Marta the trader doesn't sell 'pike'. Type list to see the wares."),
        ("buy 0 rod", "You can trade 1 to 100 at a time."),
        ("buy rod 101", "You can trade 1 to 100 at a time."),
        ("sell", "Sell what? Type list to see what the shop buys."),
        ("sell trout", "You don't have 'trout'."),
        ("sell 3 berries", "You only have a handful of berries. Nothing was sold."),
        ("sell rod", "Marta the trader doesn't buy a fishing rod. Type list to see what it buys."),
    ],
)
def test_trade_refusals_change_nothing(econ: Game, line: str, expected: str) -> None:
    ana = at_camp(econ, "ana")
    for item in ("vale:berries", "vale:rod"):
        ana.player.inventory[item] = 1
    before = econ.wallet.balance("ana")
    reply = one(ana, line)
    assert (reply.kind, reply.text) == (Kind.ERROR, expected)
    assert econ.wallet.balance("ana") == before
    assert ana.player.inventory == {"vale:berries": 1, "vale:rod": 1}


def test_sell_takes_the_item_and_credits(econ: Game) -> None:
    rules(econ, first_visit=0)
    ana, _ = player(econ, "ana")
    play(ana, "forage")
    play(ana, "forage")
    play(ana, "north")
    reply = one(ana, "sell berries 2")
    assert reply.text == "You sell two handfuls of berries for 2 tokens. You have 12 now."
    assert "vale:berries" not in ana.player.inventory
    assert "vale:berries" not in econ.store.inventory("ana")
    entry = econ.ledger.history("player:ana", 1)[0]
    assert (entry.amount, entry.reason) == (2, Reason.SHOP_SALE)


def test_failed_shop_write_rolls_back_items_and_tokens(econ: Game) -> None:
    """The ledger write and the inventory write commit together: break the inventory
    write and the charge must not stay."""
    ana = at_camp(econ, "ana", 20)
    econ.conn.execute(
        "CREATE TEMP TRIGGER no_rods BEFORE INSERT ON inventory WHEN NEW.item = 'vale:rod'"
        " BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
    )
    reply = one(ana, "buy rod")
    assert reply.kind is Kind.ERROR
    assert "failed on our side" in reply.text
    assert econ.wallet.balance("ana") == 30
    assert "vale:rod" not in ana.player.inventory
    assert econ.ledger.verify().ok
