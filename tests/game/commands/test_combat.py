"""Fights through the engine: consider, attack, rounds on the fake clock, win (loot and a
bounded reward through the ledger), flee, die and respawn, PvP only where an area allows
it, and the brief option."""

from __future__ import annotations

import dataclasses

from economy import Reason, verify
from game.engine.game import Game
from game.engine.session import Session
from tests.conftest import FakeClock, Screen, join, run

HOLLOW = "wood:hollow"


def in_hollow(game: Game, name: str = "ana") -> tuple[Session, Screen]:
    session, screen = join(game, name)
    game.world.move(session.player, HOLLOW)
    screen.clear()
    return session, screen


def rounds(game: Game, clock: FakeClock, n: int = 1) -> None:
    for _ in range(n):
        clock.tick(game.world.content.combat.round * 1000)
        game.combat.tick()


def fight_to_the_end(game: Game, clock: FakeClock, session: Session, limit: int = 60) -> None:
    for _ in range(limit):
        if not game.combat.fighting(session.player.name):
            return
        rounds(game, clock)
    raise AssertionError("the fight never ended")


def tweak_rat(game: Game, **stats: int) -> None:
    content = game.world.content
    rat = content.npcs["wood:rat"]
    assert rat.combat is not None
    npcs = dict(content.npcs)
    npcs[rat.id] = dataclasses.replace(rat, combat=dataclasses.replace(rat.combat, **stats))
    game.world.content = dataclasses.replace(content, npcs=npcs)


def combat_minted(game: Game) -> int:
    row = game.conn.execute(
        "SELECT coalesce(sum(amount), 0) FROM transfers WHERE code = ?",
        (int(Reason.COMBAT_REWARD),),
    ).fetchone()
    return int(row[0])


def test_consider_says_how_a_fight_would_go(game: Game) -> None:
    session, _ = in_hollow(game)
    said = run(session, "consider rat").text
    assert said.startswith("A hollow rat looks an easy fight")
    assert "pays 2 tokens once a day" in said
    assert run(session, "consider crier").text.startswith("There is nobody called")
    tweak_rat(game, attack=9, damage=30, health=300)
    assert "likely to kill you" in run(session, "consider rat").text


def test_win_drops_loot_pays_once_a_day_and_the_rat_comes_back(
    game: Game, clock: FakeClock
) -> None:
    tweak_rat(game, tokens=2)
    session, screen = in_hollow(game)
    first = run(session, "attack rat").text
    assert first.startswith(("You hit a hollow rat", "You miss a hollow rat"))
    assert run(session, "north").text == "You are fighting! Flee first."
    fight_to_the_end(game, clock, session)
    assert "A hollow rat is defeated!" in screen.text + first
    assert "+2 tokens for defeating a hollow rat." in screen.text + first
    assert game.wallet.balance("ana") == 2
    assert combat_minted(game) == 2
    assert "wood:rat" in game.world.dead_npcs
    assert all(n.id != "wood:rat" for n in game.world.npcs_in(HOLLOW))
    assert run(session, "attack rat").text.startswith("There is nobody called")
    # It comes back after its respawn time, and a second win the same day pays nothing.
    clock.tick(120_000)
    game.combat.tick()
    assert any(n.id == "wood:rat" for n in game.world.npcs_in(HOLLOW))
    screen.clear()
    first = run(session, "kill rat").text
    fight_to_the_end(game, clock, session)
    assert "you were paid for a hollow rat today already" in screen.text + first
    assert game.wallet.balance("ana") == 2
    # The loot lies on the floor (chance 0.75 per kill, seeded): tails, if any, are there.
    assert game.world.floor[HOLLOW]["wood:rat-tail"] >= 1
    assert verify.run(game.conn, full=True).ok


def test_flee_leaves_the_fight_and_the_rat_heals(game: Game, clock: FakeClock) -> None:
    tweak_rat(game, health=500, damage=1)
    session, _ = in_hollow(game)
    run(session, "attack rat")
    rounds(game, clock, 2)
    assert game.combat.npc_health.get("wood:rat", 500) < 500
    before = game.combat.vitals("ana").stamina
    replies = game.engine.execute(session, "flee")
    assert replies[0].text == "You flee up!"
    assert session.player.room == "wood:clearing"
    assert game.combat.fighting("ana") is None
    assert "wood:rat" not in game.combat.npc_health  # nobody fights it: it heals
    assert game.combat.vitals("ana").stamina == before - game.world.content.combat.flee_cost
    assert run(session, "flee").text == "You are not fighting anyone."


def test_die_burns_the_fee_and_wakes_at_the_respawn_room(game: Game, clock: FakeClock) -> None:
    tweak_rat(game, health=500, attack=20, damage=50)
    game.wallet.credit("ana", 5, Reason.ADMIN_GRANT, "seed-ana")
    session, screen = in_hollow(game)
    replies = game.engine.execute(session, "attack rat")
    fight_to_the_end(game, clock, session)
    said = screen.text + "\n".join(r.text for r in replies)
    assert "You have been defeated" in said
    assert "Death fee: -2 tokens." in said
    assert session.player.room == "wood:edge"
    vit = game.combat.vitals("ana")
    assert vit.health == vit.max_health
    assert game.wallet.balance("ana") == 3
    assert combat_minted(game) == 0
    assert verify.run(game.conn, full=True).ok
    # The status bar carries health (the TUI's bar, telnet's Char.Vitals).
    status = game.status(session.player)
    assert status.health == status.max_health == 20
    assert status.text().endswith("| health [##########] 20/20 stamina 10/10")


def test_a_poor_player_dies_for_free(game: Game, clock: FakeClock) -> None:
    tweak_rat(game, health=500, attack=20, damage=50)
    session, screen = in_hollow(game)
    said = game.engine.execute(session, "attack rat")
    fight_to_the_end(game, clock, session)
    assert "Death fee" not in screen.text + "".join(r.text for r in said)
    assert game.wallet.balance("ana") == 0


def test_recovery_out_of_combat(game: Game, clock: FakeClock) -> None:
    _session, _ = in_hollow(game)
    with game.outbox.step():
        game.combat._set("ana", 5, 2)
    rounds(game, clock, 3)
    vit = game.combat.vitals("ana")
    assert (vit.health, vit.stamina) == (7, 4)  # the first round only sets the timer


def test_pvp_is_refused_outside_areas_that_opt_in(game: Game, clock: FakeClock) -> None:
    ana, _ = in_hollow(game, "ana")
    _bob, bob_screen = in_hollow(game, "bob")
    said = run(ana, "attack bob").text
    assert said == "You can't attack other players here: this is a peaceful area."
    content = game.world.content
    areas = dict(content.areas)
    areas["wood"] = dataclasses.replace(areas["wood"], flags=(*areas["wood"].flags, "pvp"))
    game.world.content = dataclasses.replace(content, areas=areas)
    game.wallet.credit("bob", 5, Reason.ADMIN_GRANT, "seed-bob")
    run(ana, "attack bob")
    assert "ana attacks you!" in bob_screen.text.lower()
    assert game.combat.fighting("bob") == "ana"  # bob fights back
    for _ in range(200):
        if not game.combat.fighting("ana"):
            break
        rounds(game, clock)
    assert not game.combat.fighting("ana")
    assert not game.combat.fighting("bob")
    assert combat_minted(game) == 0  # killing a player never pays
    assert verify.run(game.conn, full=True).ok


def test_brief_keeps_a_round_to_one_line(game: Game, clock: FakeClock) -> None:
    tweak_rat(game, health=500, damage=1)
    session, screen = in_hollow(game)
    assert run(session, "brief").text == "Brief combat is off."
    verbose = run(session, "attack rat")
    assert len(verbose.lines()) >= 2
    game.engine.execute(session, "flee")
    game.world.move(session.player, HOLLOW)
    assert run(session, "brief on").text == "Brief combat is on: one line per round."
    line = run(session, "attack rat")
    assert len(line.lines()) == 1
    assert "[you " in line.text
    assert "hollow rat" in line.text
    screen.clear()
    rounds(game, clock)
    assert [len(r.lines()) for r in screen.replies] == [1]
    assert run(session, "brief").text == "Brief combat is on."
