"""Whatever players do, in any order, the books balance and packs match the database.

Hypothesis drives random sequences of economy commands by three players through the real
engine on the fixture world; after every step the quick ledger checks hold, no balance is
negative, every player's in-memory pack equals the stored one, and no command crashed.
"""

from __future__ import annotations

import random
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from economy import Reason
from game.core.config import load_settings
from game.engine.execute import APOLOGY
from game.engine.game import Game
from game.world.loader import load_content
from game.world.store import connect
from tests.conftest import FakeClock, join
from tests.game.commands.economy.conftest import ECON_WORLD, play

NAMES = ("ana", "bob", "cyra")
LINES = (
    "forage",
    "fish",
    "east",
    "west",
    "north",
    "south",
    "buy berries",
    "buy 3 berries",
    "buy rod",
    "sell berries",
    "sell 2 berries",
    "sell trout",
    "sell grilled trout",
    "cook trout",
    "cook pie",
    "pay {other} 7",
    "pay {other} 60",
    "yes",
    "pay cancel",
    "premium buy",
    "travel vale",
    "travel peak",
    "balance",
    "history 3",
)

steps = st.lists(
    st.tuples(st.integers(0, 2), st.sampled_from(LINES), st.integers(0, 2)),
    min_size=1,
    max_size=40,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=steps, seed=st.integers(0, 2**16))
def test_any_command_sequence_keeps_books_and_packs_consistent(
    steps: list[tuple[int, str, int]], seed: int
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        conn = connect(data / "realm.db")
        game = Game(
            load_settings(environ={}, data_dir=data, content_dir=ECON_WORLD, http_port=-1),
            conn,
            load_content(ECON_WORLD),
            clock=FakeClock(),
            rng=random.Random(seed),
        )
        sessions = [join(game, name)[0] for name in NAMES]
        game.wallet.credit("ana", 100, Reason.ADMIN_GRANT, "seed")
        for s in sessions:  # start at the camp (shop and fire) with something to trade
            game.world.move(s.player, "vale:camp")
            for item in ("vale:berries", "vale:trout"):
                game.store.adjust_inventory(s.player.name, item, 2)
                s.player.inventory[item] += 2
        for who, line, other in steps:
            session = sessions[who]
            replies = play(session, line.format(other=NAMES[other]))
            assert all(APOLOGY not in r.text for r in replies), replies
            assert game.ledger.verify(full=False).ok
            for s in sessions:
                assert game.wallet.balance(s.player.name) >= 0
                assert +s.player.inventory == Counter(game.store.inventory(s.player.name))
        balances = sum(game.wallet.balance(n) for n in NAMES)
        assert game.ledger.supply() == balances
        assert game.ledger.verify(full=True).ok
        conn.close()
