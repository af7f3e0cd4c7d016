"""Domingo's report shows combat's own reason codes: the 108 faucet (an NPC defeated) and
the 208 sink (a death fee), from a real game database through a real reflection cycle."""

from __future__ import annotations

from pathlib import Path

from economy import Reason
from game.engine.game import Game
from game.engine.reflecting import Reflection
from tests.conftest import FakeClock, join
from tests.game.commands.test_combat import fight_to_the_end, in_hollow, tweak_rat


async def test_domingo_lists_combat_rewards_and_death_fees(game: Game, clock: FakeClock) -> None:
    game.ensure_account("bob")
    game.wallet.credit("bob", 10, Reason.ADMIN_GRANT, "fund")
    ana, _ = in_hollow(game, "ana")
    game.engine.execute(ana, "attack rat")
    fight_to_the_end(game, clock, ana)
    clock.tick(120_000)
    game.combat.tick()
    tweak_rat(game, health=500, attack=20, damage=60)
    bob, _ = join(game, "bob")
    game.world.move(bob.player, "wood:hollow")
    game.engine.execute(bob, "attack rat")
    fight_to_the_end(game, clock, bob)
    clock.tick(1000)
    outcome = await Reflection(game).run_cycle()
    assert outcome.errors == {}
    md = Path(outcome.reports["domingo"]).with_suffix(".md").read_text()
    faucets = md.split("## Faucets", 1)[1].split("\n## ", 1)[0]
    sinks = md.split("## Sinks", 1)[1].split("\n## ", 1)[0]
    assert "| 108 | combat reward | 1 | 2 |" in faucets
    assert "| 208 | death fee | 1 | 2 |" in sinks
