"""Fixtures for the economy in play: a game on the small fixture world in
``tests/fixtures/econ_world`` (a meadow to forage, a pond to fish, a camp with a fire and a
shop, a premium peak), a real SQLite file and a hand-cranked clock."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from economy import Reason
from game.core.config import Settings, load_settings
from game.core.reply import Reply
from game.engine.game import Game
from game.engine.session import Session
from game.world.loader import load_content
from game.world.store import connect
from tests.conftest import FakeClock, Screen, join

ECON_WORLD = Path(__file__).resolve().parents[3] / "fixtures" / "econ_world"


@pytest.fixture
def econ_settings(tmp_path: Path) -> Settings:
    return load_settings(
        environ={}, data_dir=tmp_path / "var", content_dir=ECON_WORLD, ssh_port=0, http_port=-1
    )


@pytest.fixture
def econ(econ_settings: Settings, clock: FakeClock) -> Iterator[Game]:
    conn = connect(econ_settings.db_path)
    game = Game(econ_settings, conn, load_content(ECON_WORLD), clock=clock, rng=random.Random(7))
    yield game
    conn.close()


def rules(game: Game, **changes: object) -> None:
    """Change the economy rules as a content reload would."""
    content = game.world.content
    economy = dataclasses.replace(content.economy, **changes)  # type: ignore[arg-type]
    game.world.content = dataclasses.replace(content, economy=economy)


def player(game: Game, name: str, tokens: int = 0) -> tuple[Session, Screen]:
    """Join ``name`` (the daily bonus is paid on joining) and top the wallet up to ``tokens``
    more than that bonus, so tests state balances plainly."""
    session, screen = join(game, name)
    if tokens:
        game.wallet.credit(name, tokens, Reason.ADMIN_GRANT, game.wallet.new_key("t"))
    screen.clear()
    return session, screen


def play(session: Session, line: str) -> list[Reply]:
    """Run a line as the player would, a second after the last (under the rate limit)."""
    clock = Game.of(session).clock
    assert isinstance(clock, FakeClock)
    clock.tick(1000)
    return Game.of(session).engine.execute(session, line)


def one(session: Session, line: str) -> Reply:
    replies = play(session, line)
    assert len(replies) == 1, replies
    return replies[0]


def text(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)
