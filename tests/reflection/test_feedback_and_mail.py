"""Cal's report says what players ask for (bug, idea, typo), and Domingo's shows mail's
escrow codes, from a real game database through a real reflection cycle."""

from __future__ import annotations

import json
from pathlib import Path

from economy import Reason
from game.engine.game import Game
from game.engine.reflecting import Reflection
from tests.conftest import FakeClock, join, run


def read(path: str, suffix: str = ".md") -> str:
    return Path(path).with_suffix(suffix).read_text()


async def test_cal_counts_feedback_by_kind_and_lists_the_latest_open(
    game: Game, clock: FakeClock
) -> None:
    ana, _ = join(game, "ana")
    bob, _ = join(game, "bob")
    run(ana, "idea a ferry to the island")
    run(bob, "idea more fish in the harbour")
    run(bob, "bug the gate creaks forever")
    game.ensure_account("root")
    game.store.set_role("root", "admin")
    root, _ = join(game, "root")
    run(root, "@feedback close 3")
    clock.tick(1000)
    outcome = await Reflection(game).run_cycle()
    assert outcome.errors == {}
    md = read(outcome.reports["cal"])
    section = md.split("## What players ask for\n", 1)[1].split("\n## ", 1)[0]
    assert "| idea | 2 | 2 | 2 |" in section
    assert "| bug | 0 | 1 | 1 |" in section
    assert "- #2 idea from bob (town:square): more fish in the harbour" in section
    assert "#3" not in section  # closed
    body = json.loads(read(outcome.reports["cal"], ".json"))
    assert body["feedback"]["open"] == {"idea": 2, "bug": 0}
    said = run(root, "@report growth").text  # what line-mode admins read (and the console)
    assert "idea: 2 open, 2 in the last 7 days, 2 in all." in said
    assert "#1 idea from ana (town:square): a ferry to the island" in said


async def test_domingo_reports_mail_escrow_flows(game: Game, clock: FakeClock) -> None:
    game.ensure_account("ana")
    game.wallet.credit("ana", 40, Reason.ADMIN_GRANT, "fund")
    ana, _ = join(game, "ana")
    bob, _ = join(game, "bob")
    run(ana, "mail send bob 25 tokens rent = here")
    run(bob, "mail take 1")
    clock.tick(1000)
    outcome = await Reflection(game).run_cycle()
    md = read(outcome.reports["domingo"])
    escrow = md.split("## Escrow (24h)\n", 1)[1].split("\n## ", 1)[0]
    assert "| 404 | mail tokens held | 1 | 25 |" in escrow
    assert "| 405 | mail tokens taken | 1 | 25 |" in escrow
    assert "escrow 0)" in md
    game.ensure_account("root")
    game.store.set_role("root", "admin")
    root, _ = join(game, "root")
    said = run(root, "@report economy").text  # line mode and the console read the same
    assert "Escrow mail tokens held (code 404): 1 transfer, 25 tokens" in said
