from __future__ import annotations

from game.commands.base import CommandSpec
from game.core.reply import Kind, Reply
from game.engine.game import Game
from tests.conftest import join, run


def test_look_shows_room_in_reading_order(game: Game) -> None:
    ana, _ = join(game, "ana")
    lines = run(ana, "look").lines()
    assert lines[0] == "Town Square"
    assert lines[1] == "Exits: north, east, south and west."
    assert "fountain" in lines[2]


def test_look_at_item_and_npc(game: Game) -> None:
    ana, _ = join(game, "ana")
    assert "Welcome to Harrowmere" in run(ana, "look notice").text
    assert run(ana, "l crier").text.startswith("The town crier.")
    assert run(ana, "look dragon").kind is Kind.ERROR


def test_go_moves_and_persists(game: Game) -> None:
    ana, _ = join(game, "ana")
    assert run(ana, "go north").text.startswith("The Old Hall")
    assert game.store.account("ana").room == "town:hall"  # type: ignore[union-attr]
    assert run(ana, "s").text.startswith("Town Square")
    assert run(ana, "u").kind is Kind.ERROR


def test_others_see_arrival_departure_say_and_emote(game: Game) -> None:
    ana, _ = join(game, "ana")
    _bo, bo_screen = join(game, "Bo")
    run(ana, "say hello there")
    assert 'ana says, "hello there"' in bo_screen.text
    run(ana, ":waves")
    assert "ana waves." in bo_screen.text
    run(ana, "north")
    assert "ana leaves north." in bo_screen.text
    bo_screen.clear()
    run(ana, "south")
    assert "ana arrives from the north." in bo_screen.text


def test_say_keeps_markup_literal_and_strips_escapes(game: Game) -> None:
    ana, _ = join(game, "ana")
    _bo, bo_screen = join(game, "bo")
    run(ana, "say [bold]hi\x1b[2J\x07 there\x9b31m")
    assert 'ana says, "[bold]hi there"' in bo_screen.text
    assert "\x1b" not in bo_screen.text


def test_tell_reaches_player_anywhere(game: Game) -> None:
    ana, _ = join(game, "ana")
    bo, bo_screen = join(game, "bo")
    run(bo, "north")
    assert run(ana, "tell bo psst").text == 'You tell bo, "psst"'
    assert 'ana tells you, "psst"' in bo_screen.text
    assert run(ana, "tell nobody hi").kind is Kind.ERROR


def test_get_drop_give_inventory(game: Game) -> None:
    ana, _ = join(game, "ana")
    bo, bo_screen = join(game, "bo")
    run(ana, "s")
    run(bo, "s")
    assert run(ana, "get key").text == "You pick up an iron key."
    assert run(ana, "i").text == "You are carrying an iron key."
    assert run(ana, "give key to bo").text == "You give an iron key to bo."
    assert "ana gives you an iron key." in bo_screen.text
    assert run(bo, "drop key").text == "You drop an iron key."
    assert run(ana, "inventory").text == "You are carrying nothing."
    assert run(ana, "get nothing").kind is Kind.ERROR


def test_notice_board_cannot_be_taken(game: Game) -> None:
    ana, _ = join(game, "ana")
    assert run(ana, "get board").text == "You can't take a notice board."


def test_doors_need_key(game: Game) -> None:
    ana, _ = join(game, "ana")
    run(ana, "e")
    assert run(ana, "n").text == "The door to the north is closed."
    assert run(ana, "open north").text == "The door to the north is locked."
    assert run(ana, "unlock north").text == "You don't have the key."
    run(ana, "w")
    run(ana, "s")
    run(ana, "get key")
    run(ana, "n")
    run(ana, "e")
    assert run(ana, "unlock north").ok
    assert run(ana, "open north").ok
    assert run(ana, "n").text.startswith("Net Shed")


def test_unknown_command_suggests(game: Game) -> None:
    ana, _ = join(game, "ana")
    reply = run(ana, "lokk")
    assert reply.kind is Kind.ERROR
    assert "Did you mean: look" in reply.text


def test_overlong_line_refused(game: Game) -> None:
    ana, _ = join(game, "ana")
    reply = run(ana, "say " + "x" * 1000)
    assert reply.kind is Kind.ERROR
    assert "limit is 1000" in reply.text


def test_help_lists_and_explains(game: Game) -> None:
    ana, _ = join(game, "ana")
    assert "say: Say something to everyone in the room." in run(ana, "help").text
    assert "Usage:" in run(ana, "help tell").text
    assert "Did you mean" in run(ana, "help sya").text


def test_every_command_has_help_with_usage(game: Game) -> None:
    for spec in game.registry.specs:
        assert spec.help, spec.name
        assert "Usage:" in spec.help, spec.name


def test_who_lists_players(game: Game) -> None:
    ana, _ = join(game, "ana")
    join(game, "bo")
    assert run(ana, "who").lines() == [
        "2 players online:",
        "ana, in Town Square",
        "bo, in Town Square",
    ]


def test_quit_closes_session(game: Game) -> None:
    ana, screen = join(game, "ana")
    assert game.engine.execute(ana, "quit") == []
    assert screen.closed is not None
    assert game.sessions.get("ana") is None


def test_takeover_closes_old_session(game: Game) -> None:
    _old, old_screen = join(game, "ana")
    new, _ = join(game, "ana")
    assert old_screen.closed is not None
    assert "somewhere else" in old_screen.closed
    assert game.sessions.get("ana") is new


def test_failing_command_apologises_and_world_goes_on(game: Game) -> None:
    def boom(ctx: object, args: str) -> Reply:
        """Fail on purpose.

        Usage:
          boom
        """
        raise RuntimeError("bug")

    game.registry.add(CommandSpec("boom", (), boom))
    ana, _ = join(game, "ana")
    reply = run(ana, "boom")
    assert reply.kind is Kind.ERROR
    assert "Sorry" in reply.text
    assert run(ana, "look").ok


def test_exec_session_leaves_no_body_behind(game: Game) -> None:
    from tests.conftest import Screen

    ana, _ = join(game, "ana")
    game.ensure_account("bob")
    once = game.connect("bob", Screen(), kind="exec")
    once.submit("say hi")
    game.disconnect(once)
    assert "bob" not in run(ana, "look").text


def test_status_bar_follows_moves(game: Game) -> None:
    ana, screen = join(game, "ana")
    ana.submit("north")
    assert screen.statuses[-1].location == "The Old Hall"
    count = len(screen.statuses)
    ana.submit("look")
    assert len(screen.statuses) == count  # unchanged status is not pushed again


def test_disconnect_twice_announces_once(game: Game) -> None:
    ana, _ = join(game, "ana")
    _bob, bob_screen = join(game, "bob")
    game.disconnect(ana)
    game.disconnect(ana)
    assert bob_screen.text.count("ana leaves the realm.") == 1
