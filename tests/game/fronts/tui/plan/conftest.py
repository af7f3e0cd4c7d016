"""Fixtures for the visual form: a game on a small test world whose square has a plan."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from game.app import Server
from game.core.config import Settings, load_settings
from game.engine.game import Game
from game.engine.session import Session
from game.world.loader import load_content
from game.world.store import connect
from tests.conftest import FakeClock, Screen
from tests.e2e.conftest import e2e_settings

CONTENT = Path(__file__).parent / "content"


@pytest.fixture
def vsettings(tmp_path: Path) -> Settings:
    return load_settings(
        environ={}, data_dir=tmp_path / "var", content_dir=CONTENT, ssh_port=0, http_port=-1
    )


def make_game(settings: Settings, clock: FakeClock) -> Game:
    conn = connect(settings.db_path)
    return Game(
        settings, conn, load_content(settings.content_dir), clock=clock, rng=random.Random(0)
    )


@pytest.fixture
def vgame(vsettings: Settings, clock: FakeClock) -> Iterator[Game]:
    game = make_game(vsettings, clock)
    yield game
    game.conn.close()


def enter(
    game: Game, name: str, *, kind: str = "line", visual: bool = False
) -> tuple[Session, Screen]:
    """Connect ``name``; with ``visual`` the player has the unlock and chose the visual form."""
    game.ensure_account(name)
    if visual:
        game.unlocks.grant(name, "form:visual", "test", "test")
        game.positions.forms.set(name, "visual", game.clock())
    screen = Screen()
    return game.connect(name, screen, kind=kind), screen


@pytest.fixture
async def plaza(tmp_path: Path) -> AsyncIterator[Server]:
    """The real server (SSH on a free port) on the test world."""
    srv = Server(replace(e2e_settings(tmp_path / "var"), content_dir=CONTENT))
    await srv.start()
    yield srv
    await srv.stop()
