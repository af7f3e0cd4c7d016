"""GameState: the StateView plugins read reflects the live game (presence, rooms, tokens,
unlocks, quests) and hands out frozen snapshots."""

from __future__ import annotations

import dataclasses

import pytest

from economy import Reason
from game.bridging import GameState, read_quests_done
from game.game import Game
from tests.conftest import join, run


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


def test_state_quests_empty_without_a_quest_table(game: Game) -> None:
    game.conn.execute("DROP TABLE IF EXISTS player_quests")
    assert read_quests_done(game.conn)("ana") == ()


def test_state_quests_read_from_the_quest_table(game: Game) -> None:
    game.conn.execute("DROP TABLE IF EXISTS player_quests")
    game.conn.execute("CREATE TABLE player_quests (player TEXT, quest TEXT, completed_ms INTEGER)")
    game.conn.executemany(
        "INSERT INTO player_quests VALUES (?,?,?)",
        [("ana", "town:bell", 2), ("ana", "town:first-steps", 1), ("ana", "town:open", None)],
    )
    join(game, "Ana")
    info = GameState(game).player("ana")
    assert info is not None
    assert info.progress.quests_done == ("town:first-steps", "town:bell")
