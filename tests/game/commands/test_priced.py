"""Priced commands: gated before they run, charged in the same transaction as their effects."""

from __future__ import annotations

import dataclasses

from economy import Reason
from game.core.reply import Kind
from game.engine.game import Game
from tests.conftest import join


def _price(game: Game, command: str, tokens: int, quota: int = 50) -> None:
    content = game.world.content
    rules = dataclasses.replace(content.economy, prices={command: tokens}, free_daily_quota=quota)
    game.world.content = dataclasses.replace(content, economy=rules)


def test_unaffordable_command_refused_and_nothing_happens(game: Game) -> None:
    _price(game, "go", 5)
    ana, _ = join(game, "ana")
    game.wallet.credit("ana", 2, Reason.ADMIN_GRANT, "seed-ana")
    replies = game.engine.execute(ana, "north")
    assert [r.text for r in replies] == [
        "Not enough tokens: `go` costs 5, you have 2. Nothing was charged."
    ]
    assert ana.player.room == "town:square"
    assert game.wallet.balance("ana") == 2


def test_priced_command_runs_and_charges_together(game: Game) -> None:
    _price(game, "go", 5)
    ana, _ = join(game, "ana")
    game.wallet.credit("ana", 7, Reason.ADMIN_GRANT, "seed-ana")
    replies = game.engine.execute(ana, "north")
    assert replies[0].text.startswith("The Old Hall")
    assert replies[-1].kind is Kind.ECONOMY
    assert game.wallet.balance("ana") == 2
    assert game.ledger.verify().ok
    assert game.status(ana.player).tokens == 2


def test_failed_priced_command_is_not_charged(game: Game) -> None:
    _price(game, "go", 5)
    ana, _ = join(game, "ana")
    game.wallet.credit("ana", 9, Reason.ADMIN_GRANT, "seed-ana")
    assert game.engine.execute(ana, "go nowhere")[0].kind is Kind.ERROR
    assert game.wallet.balance("ana") == 9


def test_free_quota_runs_out_and_resets_at_midnight(game: Game, clock) -> None:  # type: ignore[no-untyped-def]
    _price(game, "go", 1, quota=2)
    ana, _ = join(game, "ana")
    game.wallet.credit("ana", 10, Reason.ADMIN_GRANT, "seed-ana")
    assert game.engine.execute(ana, "n")[0].ok
    assert game.engine.execute(ana, "s")[0].ok
    refused = game.engine.execute(ana, "n")
    assert "used all 2 priced actions" in refused[0].text
    assert game.wallet.balance("ana") == 8
    clock.tick(24 * 3600 * 1000)
    assert game.engine.execute(ana, "n")[0].ok


def test_premium_has_no_quota(game: Game, clock) -> None:  # type: ignore[no-untyped-def]
    _price(game, "go", 1, quota=0)
    ana, _ = join(game, "ana")
    game.wallet.credit("ana", 3, Reason.ADMIN_GRANT, "seed-ana")
    game.tiers.set_premium("ana", clock() + 3600_000)
    assert game.wallet.quota_left("ana") is None
    assert game.engine.execute(ana, "n")[0].ok
