"""Quests and talk: started by asking, advanced by playing, paid once, persisted."""

from __future__ import annotations

from economy import Reason
from game.core.reply import Kind
from game.engine.game import Game
from tests.conftest import FakeClock, join, run


def test_talk_lists_topics_and_ask_starts_a_quest(game: Game) -> None:
    ana, _ = join(game, "ana")
    reply = run(ana, "talk crier")
    assert reply.text.startswith('The town crier says, "Hear ye!')
    assert "You can ask about bell, town or welcome." in reply.text
    reply = run(ana, "ask crier about welc")
    assert "New quest: Welcome to Harrowmere." in reply.text
    assert "already on the quest" in run(ana, "ask crier about welcome").text
    assert run(ana, "ask crier about dragons").kind is Kind.ERROR
    assert run(ana, "talk nobody").kind is Kind.ERROR
    assert run(ana, "ask crier").kind is Kind.ERROR


def test_welcome_quest_completes_and_pays_once(game: Game) -> None:
    ana, _ = join(game, "ana")
    run(ana, "ask crier about welcome")
    for line in ("n", "s", "e", "w", "s", "n"):
        run(ana, line)
    log = run(ana, "quests").text
    assert "Welcome to Harrowmere: 3 of 4 goals done." in log
    assert "Talk to a sleepy guard: not yet." in log
    run(ana, "w")
    before = game.wallet.balance("ana")
    talked, done = game.engine.execute(ana, "talk guard")  # the greeting, then the quest
    assert talked.text.startswith("A sleepy guard says")
    assert done.text.startswith("Quest complete: Welcome to Harrowmere.")
    assert game.wallet.balance("ana") == before + 5
    assert game.quests.done("ana", "town:welcome")
    assert "Finished (1): Welcome to Harrowmere." in run(ana, "quests").text
    # Replaying the reward key pays nothing more; asking again does not restart it.
    game.wallet.credit("ana", 5, Reason.QUEST_REWARD, "q:ana:town:welcome", "Welcome to Harrowmere")
    assert game.wallet.balance("ana") == before + 5
    run(ana, "e")
    assert "already finished" in run(ana, "ask crier about welcome").text


def test_gather_and_deliver_goals_pay_items_and_xp(game: Game, clock: FakeClock) -> None:
    ana, _ = join(game, "ana")
    for line in ("n", "w"):
        run(ana, line)
    assert "New quest: Fish for Supper." in run(ana, "ask bram about supper").text
    for line in ("e", "s", "e", "e"):
        run(ana, line)
    for _ in range(2):
        assert game.engine.execute(ana, "fish")[0].text.startswith("You fish")
        clock.tick(game.world.content.economy.gather_cooldown * 1000)  # rested
    assert ana.player.inventory["town:herring"] == 2
    for line in ("w", "w", "n", "w"):
        run(ana, line)
    reply, done = game.engine.execute(ana, "talk bram")
    assert "You hand over two silver herrings to Bram the cook." in reply.text
    assert done.text.startswith("Quest complete: Fish for Supper.")
    assert ana.player.inventory["town:herring"] == 0
    assert ana.player.inventory["town:grilled-herring"] == 1
    assert game.skills.xp("ana", "cooking") == 30
    assert game.store.inventory("ana")["town:grilled-herring"] == 1


def test_quest_state_survives_a_new_game(game: Game) -> None:
    from game.engine.game import Game as NewGame

    ana, _ = join(game, "ana")
    run(ana, "ask crier about welcome")
    run(ana, "n")
    again = NewGame(game.settings, game.conn, game.world.content, clock=game.clock)
    [(quest, progress)] = again.quests.active("ana")
    assert quest.id == "town:welcome"
    assert progress == {"0": 1}


def test_quest_requires_refuses_with_a_sentence(game: Game) -> None:
    ana, _ = join(game, "ana")
    game.world.move(ana.player, "wood:camp")
    reply = run(ana, "ask tam about basket")
    assert "You need Foraging level 2 for that; you are level 1." in reply.text
    assert game.quests.status("ana", "wood:mushroom-basket") is None
    game.skills.add_xp("ana", "foraging", 60)
    assert "New quest: A Basket of Mushrooms." in run(ana, "ask tam about basket").text
