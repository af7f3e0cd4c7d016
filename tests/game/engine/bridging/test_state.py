"""GameState: the StateView plugins read reflects the live game (presence, rooms, tokens,
unlocks, quests) and hands out frozen snapshots."""

from __future__ import annotations

import dataclasses

import pytest

from economy import Reason
from game.engine.bridging import GameState
from game.engine.game import Game
from tests.conftest import FakeClock, join, run


def test_state_lists_every_account_with_presence(game: Game) -> None:
    state = GameState(game)
    join(game, "Ana")
    game.ensure_account("bob")  # known, never connected
    infos = {p.name: p for p in state.players()}
    assert set(infos) == {"Ana", "bob"}
    assert infos["Ana"].online
    assert infos["Ana"].room == "town:square"
    assert not infos["bob"].online
    assert infos["bob"].room == "town:square"
    assert infos["Ana"].role == "player"
    assert infos["Ana"].tier == "free"


def test_state_player_is_case_insensitive_and_none_when_unknown(game: Game) -> None:
    state = GameState(game)
    join(game, "Ana")
    info = state.player("ANA")
    assert info is not None
    assert info.name == "Ana"
    assert state.player("nobody") is None


def test_state_follows_moves_and_logout(game: Game) -> None:
    state = GameState(game)
    ana, _ = join(game, "ana")
    run(ana, "go north")
    info = state.player("ana")
    assert info is not None
    assert info.online
    assert info.room == "town:hall"
    game.disconnect(ana)
    info = state.player("ana")
    assert info is not None
    assert not info.online
    assert info.room == "town:hall"


def test_state_shows_balance_and_unlocks(game: Game) -> None:
    state = GameState(game)
    join(game, "ana")
    start = game.wallet.balance("ana")
    game.wallet.credit("ana", 120, Reason.ADMIN_GRANT, "k-state-1")
    game.grant_unlock("ana", "map", "explored", "test")
    info = state.player("ana")
    assert info is not None
    assert info.balance == start + 120
    assert info.progress.unlocks == ("map",)


def test_state_snapshots_are_frozen(game: Game) -> None:
    join(game, "ana")
    info = GameState(game).player("ana")
    assert info is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.balance = 10**6  # type: ignore[misc]


def test_state_quests_come_from_the_quest_book(game: Game) -> None:
    first, *_ = sorted(game.world.content.quests)  # the bundled world has quests
    join(game, "ana")
    game.conn.execute(
        "INSERT INTO quest_state(player, quest, status, started_ms, done_ms)"
        " VALUES ('ana', ?, 'done', 1, 2)",
        (first,),
    )
    state = GameState(game)
    info = state.player("ana")
    assert info is not None
    assert info.progress.quests_done == (first,)
    assert state.players()[0].progress.quests_done == (first,)


def test_state_quests_can_be_injected(game: Game) -> None:
    join(game, "ana")
    info = GameState(game, quests=lambda player: ("injected",)).player("ana")
    assert info is not None
    assert info.progress.quests_done == ("injected",)


def test_state_players_agrees_with_player(game: Game, clock: FakeClock) -> None:
    """players() reads each table once for everyone; it must say what player() says."""
    ana, _ = join(game, "ana")
    join(game, "Bob")
    game.ensure_account("cyra")
    run(ana, "go north")
    game.wallet.credit("Bob", 7, Reason.ADMIN_GRANT, "k-agree-1")
    game.tiers.set_premium("bob", game.clock() + 60_000)
    game.tiers.set_premium("cyra", game.clock() - 1)  # expired
    skills = sorted(game.world.content.economy.skills)
    if skills:
        game.skills.add_xp("Bob", skills[0], 10_000)
    game.grant_unlock("ana", "map", "explored", "test")
    clock.tick()
    game.grant_unlock("ana", "boat", "explored", "test")
    game.grant_unlock("ana", "anchor", "explored", "test")  # same ms as boat
    state = GameState(game)
    everyone = state.players()
    assert [p.name for p in everyone] == ["ana", "Bob", "cyra"]
    assert everyone == [state.player(p.name) for p in everyone]
    bob = everyone[1]
    assert bob.tier == "premium"
    assert everyone[2].tier == "free"
    if skills:
        assert bob.progress.skills[skills[0]] > 1
    assert everyone[0].progress.unlocks == ("map", "anchor", "boat")
