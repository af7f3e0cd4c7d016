"""The Old Barrow, the starter world's adventure area, played through the engine: the
spirit's scripted quest from start to reward, the locked door and the Barrow King's fight
(his on_attack and on_death triggers fire from combat), his loot opening the locked chest,
and the gravewarden's shop buying the loot."""

from __future__ import annotations

from collections import Counter

from economy import verify
from game.core.reply import Kind
from game.engine.game import Game
from game.engine.session import Session
from tests.conftest import FakeClock, Screen, join, run
from tests.game.commands.test_combat import fight_to_the_end


def in_barrow(game: Game, room: str = "barrow:mouth") -> tuple[Session, Screen]:
    session, screen = join(game, "ana")
    game.world.move(session.player, room)
    screen.clear()
    return session, screen


def said(session: Session, screen: Screen, line: str) -> str:
    """Everything the player got for ``line``: the replies, then what came on screen."""
    screen.clear()
    replies = Game.of(session).engine.execute(session, line)
    return "\n".join([*(r.text for r in replies), screen.text])


def test_the_stones_lead_down_into_the_barrow(game: Game) -> None:
    ana, _ = join(game, "ana")
    game.world.move(ana.player, "moor:stones")
    assert run(ana, "down").text.startswith("Barrow Mouth")
    assert run(ana, "up").text.startswith("The Standing Stones")


def test_the_spirits_quest_scripted_by_triggers_from_start_to_reward(game: Game) -> None:
    ana, screen = in_barrow(game, "barrow:well")
    assert "Kneel at the shrine, ana" in said(ana, screen, "say I can help you rest")
    assert [q.id for q, _ in game.quests.active("ana")] == ["barrow:laid-to-rest"]
    run(ana, "east")
    run(ana, "east")  # the shrine: the visit goal
    screen.clear()
    run(ana, "say I pray for her")
    assert "A candle on the altar lights itself" in screen.text
    assert game.store.inventory("ana") == {"barrow:grave-candle": 1}
    run(ana, "say I pray again")  # she gives one candle while you hold it
    assert game.store.inventory("ana") == {"barrow:grave-candle": 1}
    run(ana, "west")
    screen.clear()
    run(ana, "west")  # back at the well, holding the light
    assert "The light! Give it to me, ana." in screen.text
    said(ana, screen, "give candle to spirit")
    assert "barrow:grave-candle" not in game.store.inventory("ana")
    for step in ("east", "south", "south"):
        run(ana, step)
    before = game.wallet.balance("ana")
    assert "Then she sleeps at last" in said(ana, screen, "talk wenna")
    assert game.quests.done("ana", "barrow:laid-to-rest")
    assert game.wallet.balance("ana") == before + 15
    assert game.unlocks.has("ana", "barrow-friend")
    screen.clear()
    run(ana, "north")
    run(ana, "south")
    assert "The well is quiet since you came, ana." in screen.text
    assert verify.run(game.conn, full=True).ok


def test_the_king_fights_drops_the_key_and_the_chest_pays_out(game: Game, clock: FakeClock) -> None:
    ana, screen = in_barrow(game, "barrow:ossuary")
    assert run(ana, "get key").ok
    run(ana, "west")
    run(ana, "north")
    assert run(ana, "north").kind is Kind.ERROR  # the door is locked
    assert run(ana, "unlock north").ok
    assert run(ana, "open north").ok
    run(ana, "north")
    # Armed from the chest's own contents so the fight is a sure win on the seeded dice.
    game.world.floor.setdefault("barrow:tomb", Counter()).update(
        {"barrow:barrow-blade": 1, "barrow:bone-ring": 1, "wood:leather-cap": 1}
    )
    for line in ("get blade", "get ring", "get cap", "wield blade", "wear ring", "wear cap"):
        assert run(ana, line).ok, line
    assert "Who wakes the king under the hill?" in said(ana, screen, "attack king")
    fight_to_the_end(game, clock, ana)
    assert "crumbles into dust and rusted mail" in screen.text
    floor = game.world.floor["barrow:tomb"]
    assert floor["barrow:bronze-key"] == 1
    assert floor["barrow:circlet"] == 1
    assert floor["barrow:bone"] == 2
    for line in ("get bronze key", "get circlet", "east", "unlock chest", "open chest"):
        assert run(ana, line).ok, line
    assert "barrow blade" in said(ana, screen, "examine chest")
    assert run(ana, "get ring from chest").ok
    run(ana, "west")
    for step in ("south", "south", "south"):
        run(ana, step)
    before = game.wallet.balance("ana")
    assert run(ana, "sell circlet").ok
    assert game.wallet.balance("ana") == before + 6
    assert verify.run(game.conn, full=True).ok
