"""Walking inside a room: steps, collisions, walk-to, door squares, sentences, where."""

from __future__ import annotations

from game.core.reply import Kind
from game.engine.game import Game
from tests.conftest import run
from tests.game.fronts.tui.plan.conftest import enter


def test_walk_step_moves_and_room_hears_one_sentence(vgame: Game) -> None:
    ana, _ = enter(vgame, "ana")
    _bob, bob_screen = enter(vgame, "bob")
    vgame.positions.move_to(ana.player, (1, 1))
    bob_screen.clear()
    reply = run(ana, "walk east")
    assert reply.text == "You walk east; you are by the fountain."
    assert vgame.positions.spot(ana.player) == (2, 1)
    assert [r.text for r in bob_screen.replies] == ["ana walks east."]


def test_walk_blocked_by_wall_water_furniture_and_people(vgame: Game) -> None:
    ana, _ = enter(vgame, "ana")
    bob, _ = enter(vgame, "bob")
    pos = vgame.positions
    pos.move_to(ana.player, (1, 1))
    assert run(ana, "walk north").text == "You can't walk north: a wall is in the way."
    pos.move_to(ana.player, (3, 1))
    assert run(ana, "walk s").text == "You can't walk south: the fountain is in the way."
    pos.move_to(ana.player, (1, 3))
    assert run(ana, "walk south").text == "You can't walk south: water is in the way."
    pos.move_to(bob.player, (2, 3))
    assert run(ana, "walk east").text == "You can't walk east: bob is in the way."
    guard = next(a for a in pos.npcs("plaza:square"))
    pos.move_to(ana.player, (guard.x - 1, guard.y))
    assert run(ana, "walk east").text == "You can't walk east: the guard is in the way."
    assert pos.spot(ana.player) == (guard.x - 1, guard.y)  # refusals change nothing


def test_walk_to_finds_a_path_and_says_so_once(vgame: Game) -> None:
    ana, _ = enter(vgame, "ana")
    _, bob_screen = enter(vgame, "bob")
    vgame.positions.move_to(ana.player, (1, 4 - 3))
    bob_screen.clear()
    reply = run(ana, "walk to the bench")
    assert reply.text.startswith("You walk to the bench (")
    x, y = vgame.positions.spot(ana.player)
    assert max(abs(x - 6), abs(y - 3)) == 1
    assert [r.text for r in bob_screen.replies] == ["ana walks to the bench."]
    assert run(ana, "walk to bench").text == "You are already by the bench."
    assert run(ana, "walk to the moon").kind is Kind.ERROR


def test_walk_onto_door_square_takes_the_exit_and_arrives_by_the_far_door(vgame: Game) -> None:
    ana, _ = enter(vgame, "ana")
    _, bob_screen = enter(vgame, "bob")
    vgame.positions.move_to(ana.player, (4, 1))
    bob_screen.clear()
    reply = run(ana, "walk north")
    assert reply.kind is Kind.ROOM
    assert reply.text.startswith("Small Hall")
    assert ana.player.room == "plaza:hall"
    assert bob_screen.text == "ana leaves north."  # the same sentence as go north
    hall = vgame.positions.layout("plaza:hall")
    door_x, door_y = hall.doors()["south"]
    x, y = vgame.positions.spot(ana.player)
    assert max(abs(x - door_x), abs(y - door_y)) == 1  # just inside the door they came by


def test_walk_onto_locked_door_square_is_refused_like_go(vgame: Game) -> None:
    ana, _ = enter(vgame, "ana")
    vgame.positions.move_to(ana.player, (7, 2))
    assert run(ana, "walk east").text == "The door to the east is closed."
    assert ana.player.room == "plaza:square"
    assert vgame.positions.spot(ana.player) == (7, 2)


def test_where_lists_everyone_in_words(vgame: Game) -> None:
    ana, _ = enter(vgame, "ana")
    bob, _ = enter(vgame, "bob")
    vgame.positions.move_to(ana.player, (1, 3))
    vgame.positions.move_to(bob.player, (3, 1))
    lines = run(ana, "where").text.split("\n")
    assert lines[0] == "You are by the water."
    assert "bob is by the fountain, 2 steps north-east of you." in lines
    assert any(line.startswith("The guard is ") for line in lines)


def test_walk_bad_input_is_refused_plainly(vgame: Game) -> None:
    ana, _ = enter(vgame, "ana")
    before = vgame.positions.spot(ana.player)
    assert run(ana, "walk").text.startswith("Walk where?")
    assert run(ana, "walk sideways").text.startswith("You can't walk 'sideways'")
    assert run(ana, "walk up").kind is Kind.ERROR
    assert vgame.positions.spot(ana.player) == before


def test_generated_room_can_be_walked(vgame: Game) -> None:
    ana, _ = enter(vgame, "ana")
    run(ana, "go north")
    assert run(ana, "walk to the hearth").text.startswith("You walk to the hearth")
    assert run(ana, "walk to the south door").text.startswith("You walk to the south door")
