"""NPC triggers in play: each kind, condition and action, through the game's commands."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from economy import Reason
from game.core.config import Settings
from game.engine.game import Game
from game.engine.reflecting import Reflection
from game.services.triggers import MAX_FIRINGS
from tests.conftest import FakeClock, join, run
from tests.game.services import trigger_world
from tests.game.services.trigger_world import HOUR_MS, at_hour, lab_game


@pytest.fixture
def lab(settings: Settings, clock: FakeClock, tmp_path: Path) -> Iterator[Game]:
    at_hour(clock, 12)  # midday
    with lab_game(settings, clock, tmp_path) as game:
        yield game


def tokens(game: Game, name: str, amount: int) -> None:
    game.wallet.credit(name, amount, Reason.ADMIN_GRANT, f"t:{name}:{amount}")


def test_on_enter_greets_by_day_and_yawns_by_night(lab: Game, clock: FakeClock) -> None:
    ana, screen = join(lab, "ana")
    run(ana, "down")
    screen.clear()
    run(ana, "up")
    assert 'The keeper says, "Welcome, ana."' in screen.text
    assert "yawns" not in screen.text
    at_hour(clock, 23)
    run(ana, "down")
    screen.clear()
    run(ana, "up")
    assert "The keeper yawns at ana." in screen.text
    assert "Welcome" not in screen.text


def test_on_say_needs_its_keyword_and_its_condition(lab: Game) -> None:
    ana, screen = join(lab, "ana")
    run(ana, "say nice weather")
    run(ana, "say an apple a day")  # holds: apple, and ana has none
    assert "looks good" not in screen.text
    run(ana, "down")
    run(ana, "get apple")
    run(ana, "up")
    screen.clear()
    run(ana, "say An APPLE, look!")
    assert 'The keeper says, "That apple looks good."' in screen.text


def test_quest_conditions_start_advance_and_finish(lab: Game) -> None:
    ana, screen = join(lab, "ana")
    run(ana, "say help")  # not on the errand yet: step 1 does not hold
    assert "Thank you" not in screen.text
    run(ana, "say errand")
    assert "New quest: An Errand." in screen.text
    assert lab.quests.status("ana", "lab:errand") == "active"
    assert lab.quests.step_of("ana", "lab:errand") == 1
    screen.clear()
    run(ana, "say errand")  # status none no longer holds
    assert "New quest" not in screen.text
    run(ana, "say help")
    assert 'The keeper says, "Thank you."' in screen.text
    assert lab.quests.step_of("ana", "lab:errand") == 2
    screen.clear()
    run(ana, "say help")  # at step 2 now: no second advance
    assert "Thank you" not in screen.text
    run(ana, "say done")
    assert "You did it" not in screen.text
    lab.world.open_doors.add(("lab:hall", "lab:yard"))
    run(ana, "north")  # the visit goal: the quest completes and pays 2
    assert lab.quests.status("ana", "lab:errand") == "done"
    assert lab.wallet.balance("ana") == 2
    run(ana, "south")
    screen.clear()
    run(ana, "say done")
    assert 'The keeper says, "You did it."' in screen.text


def test_on_give_takes_the_item_gives_bread_and_rewards_once(lab: Game) -> None:
    ana, screen = join(lab, "ana")
    lab.world.grant(ana.player, "lab:apple", 2)
    reply = run(ana, "give apple to keeper")
    assert reply.text == "You give a red apple to the keeper."
    assert "The keeper gives you a loaf of bread." in screen.text
    assert 'The keeper says, "Thanks for the apple."' in screen.text
    assert ana.player.inventory["lab:apple"] == 1
    assert ana.player.inventory["lab:bread"] == 1
    assert lab.wallet.balance("ana") == 5
    rows = lab.conn.execute(
        "SELECT code, amount FROM transfers WHERE code=?", (int(Reason.TRIGGER_REWARD),)
    ).fetchall()
    assert rows == [(110, 5)]
    refused = run(ana, "give apple to keeper")  # once: true, so the keeper wants no more
    assert not refused.ok
    assert "doesn't want" in refused.text
    assert ana.player.inventory["lab:apple"] == 1
    assert lab.wallet.balance("ana") == 5


def test_charge_opens_the_door_or_changes_nothing(lab: Game) -> None:
    ana, screen = join(lab, "ana")
    run(ana, "say toll")
    assert "asks 3 tokens; you have 0" in screen.text
    assert not lab.world.open_doors
    tokens(lab, "ana", 10)
    screen.clear()
    run(ana, "say toll")
    assert "You pay the keeper 3 tokens." in screen.text
    assert "The keeper opens the door north." in screen.text
    assert lab.wallet.balance("ana") == 7
    assert run(ana, "north").text.startswith("The Yard")
    [(code,)] = lab.conn.execute(
        "SELECT code FROM transfers WHERE code=?", (int(Reason.TRIGGER_CHARGE),)
    ).fetchall()
    assert code == 209


def test_skill_condition(lab: Game) -> None:
    ana, screen = join(lab, "ana")
    run(ana, "say fish")
    assert "A fisher" not in screen.text
    lab.skills.add_xp("ana", "fishing", 60)  # level 2
    run(ana, "say fish")
    assert 'The keeper says, "A fisher!"' in screen.text


def test_take_fails_without_the_item_and_lacks_condition(lab: Game) -> None:
    ana, screen = join(lab, "ana")
    run(ana, "say fetch")
    assert "The keeper wants a red apple from you, and you do not have it." in screen.text
    assert "Got it" not in screen.text  # the firing was undone whole
    lab.world.grant(ana.player, "lab:apple")
    screen.clear()
    run(ana, "say fetch")
    assert "You hand a red apple to the keeper." in screen.text
    assert 'The keeper says, "Got it."' in screen.text
    assert ana.player.inventory["lab:apple"] == 0
    lab.world.grant(ana.player, "lab:apple")
    lab.world.grant(ana.player, "lab:bread")
    screen.clear()
    run(ana, "say fetch")  # lacks: bread no longer holds
    assert screen.text == ""
    assert ana.player.inventory["lab:apple"] == 1


def test_move_and_spawn(lab: Game) -> None:
    ana, screen = join(lab, "ana")
    run(ana, "say summon")
    assert "A grey cat appears." in screen.text
    assert "a grey cat" in run(ana, "look").text
    assert lab.world.floor["lab:cellar"]["lab:apple"] == 3
    run(ana, "say go")
    assert "The keeper leaves." in screen.text
    assert "keeper" not in run(ana, "look").text
    assert lab.world.npc_rooms["lab:keeper"] == "lab:cellar"
    assert "the keeper" in run(ana, "down").text


def test_on_time_at_a_phase_and_every_n_game_minutes(lab: Game, clock: FakeClock) -> None:
    _ana, screen = join(lab, "ana")
    assert lab.triggers.tick() == []  # the first tick only notes the time
    clock.tick(30 * 1000)  # half a game hour
    assert lab.triggers.tick() == []
    clock.tick(30 * 1000)  # 13:00: every 60 game minutes
    assert lab.triggers.tick() == ["lab:keeper#14"]
    assert "The keeper checks the hour." in screen.text
    at_hour(clock, 18)  # dusk begins (and another hour has passed)
    assert sorted(lab.triggers.tick()) == ["lab:keeper#13", "lab:keeper#14"]
    assert "The keeper lights a lamp." in screen.text
    assert "Dusk falls" in screen.text
    clock.tick(HOUR_MS)
    assert lab.triggers.tick() == ["lab:keeper#14"]  # still dusk: the lamp once


def test_attack_and_death_entry_point(lab: Game) -> None:
    _ana, screen = join(lab, "ana")
    assert lab.triggers.fire("lab:keeper", "attack", "ana") == 1
    assert 'The keeper says, "Help! Guards!"' in screen.text
    assert lab.triggers.fire("lab:keeper", "death", "ana") == 1
    assert "The keeper falls." in screen.text
    assert lab.world.floor["lab:hall"]["lab:bread"] == 1
    assert lab.wallet.balance("ana") == 10
    assert lab.triggers.fire("lab:keeper", "death", "ana") == 0  # once per player
    assert lab.wallet.balance("ana") == 10
    assert lab.triggers.fire("lab:nobody", "death", "ana") == 0


def test_a_self_triggering_chain_stops_at_the_cap(lab: Game) -> None:
    ana, screen = join(lab, "ana")
    run(ana, "east")
    screen.clear()
    with capture_logs() as logs:
        run(ana, "say ping")
    assert screen.text.count('says, "ping"') == MAX_FIRINGS
    assert lab.triggers.capped == 1
    assert [e["event"] for e in logs if e["log_level"] == "warning"] == ["trigger_chain_capped"]
    assert run(ana, "look").text.startswith("The Echo Room")  # the game goes on


def test_night_description_and_the_time_command(lab: Game, clock: FakeClock) -> None:
    ana, _ = join(lab, "ana")
    assert "A bare hall with a door" in run(ana, "look").text
    assert run(ana, "time").text.startswith("It is 12:00, day. Dusk comes at 18:00.")
    at_hour(clock, 22)
    assert "The hall is dark" in run(ana, "look").text
    assert run(ana, "time").text.startswith("It is 22:00, night. Dawn comes at 05:00.")
    at_hour(clock, 6)
    assert run(ana, "time").text.startswith("It is 06:00, dawn. Day comes at 07:00.")
    assert "Usage:" in run(ana, "help time").text


async def test_domingo_shows_the_trigger_codes(lab: Game, clock: FakeClock) -> None:
    ana, _ = join(lab, "ana")
    tokens(lab, "ana", 10)
    lab.world.grant(ana.player, "lab:apple")
    run(ana, "give apple to keeper")  # reward 5, once
    run(ana, "say toll")  # charge 3
    clock.tick(1000)
    outcome = await Reflection(lab).run_cycle()
    md = Path(outcome.reports["domingo"]).with_suffix(".md").read_text()
    faucets = md.split("## Faucets (24h)\n", 1)[1].split("\n## ", 1)[0]
    sinks = md.split("## Sinks (24h)\n", 1)[1].split("\n## ", 1)[0]
    assert "| 110 | trigger reward | 1 | 5 |" in faucets
    assert "| 209 | trigger charge | 1 | 3 |" in sinks


def test_a_gift_is_judged_while_the_player_still_holds_it(
    settings: Settings, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    npcs = trigger_world.NPCS.replace(
        "    - on_give: apple\n      once: true\n",
        "    - on_give: apple\n      once: true\n      if: {holds: apple}\n",
    )
    assert npcs != trigger_world.NPCS
    monkeypatch.setattr(trigger_world, "NPCS", npcs)
    at_hour(clock, 12)
    with lab_game(settings, clock, tmp_path) as lab:
        ana, screen = join(lab, "ana")
        lab.world.grant(ana.player, "lab:apple")
        assert run(ana, "give apple to keeper").ok
        assert "Thanks for the apple." in screen.text
        assert ana.player.inventory["lab:apple"] == 0


def test_a_failed_firing_leaves_nothing_behind(lab: Game) -> None:
    ana, screen = join(lab, "ana")
    run(ana, "say trick")  # moves, spawns and opens, then cannot take bread
    assert "wants a loaf of bread from you" in screen.text
    assert "leaves" not in screen.text
    assert "appears" not in screen.text
    assert "lab:keeper" not in lab.world.npc_rooms
    assert lab.world.floor.get("lab:hall", {}).get("lab:apple", 0) == 0
    assert not lab.world.open_doors
    assert not lab.world.unlocked_doors
    lab.world.grant(ana.player, "lab:bread")
    screen.clear()
    run(ana, "say trick")
    assert lab.world.npc_rooms["lab:keeper"] == "lab:cellar"
    assert lab.world.floor["lab:hall"]["lab:apple"] == 1
    assert ("lab:hall", "lab:yard") in lab.world.open_doors
