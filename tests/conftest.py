"""Shared fixtures: a real SQLite file, the real bundled content, a hand-cranked clock."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path

import pytest

from game.core.config import Settings, load_settings
from game.core.reply import Reply, RoomView, StatusView
from game.engine.game import Game
from game.engine.session import Session
from game.world.loader import load_content
from game.world.store import connect
from tests.e2e.tmux import Tmux

ROOT = Path(__file__).resolve().parent.parent


class FakeClock:
    """A clock tests move by hand (after cachetools' test Timer)."""

    def __init__(self, start_ms: int = 1_764_000_000_000) -> None:
        self.now = start_ms

    def __call__(self) -> int:
        return self.now

    def tick(self, ms: int = 1000) -> None:
        self.now += ms


class Screen:
    """A front end that records what it is given, for tests."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.rooms: list[RoomView] = []
        self.statuses: list[StatusView] = []
        self.closed: str | None = None

    def deliver(self, replies: Sequence[Reply]) -> None:
        self.replies.extend(replies)

    def set_room(self, view: RoomView) -> None:
        self.rooms.append(view)

    def set_status(self, status: StatusView) -> None:
        self.statuses.append(status)

    def close(self, reason: str) -> None:
        self.closed = reason

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.replies)

    def clear(self) -> None:
        self.replies.clear()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        environ={},
        data_dir=tmp_path / "var",
        content_dir=ROOT / "content",
        ssh_port=0,
        http_port=-1,
        commands_per_second=0,  # tests/admin and tests/ops turn the rate limit on
    )


@pytest.fixture
def game(settings: Settings, clock: FakeClock) -> Iterator[Game]:
    conn = connect(settings.db_path)
    g = Game(settings, conn, load_content(settings.content_dir), clock=clock, rng=random.Random(0))
    # No login or exploration rewards here, so balances in tests start where the test says
    # (tests/economy_play covers the rewards; call g.rewards.on_event to bring them back).
    g.listeners.remove(g.rewards.on_event)
    yield g
    conn.close()


def join(game: Game, name: str) -> tuple[Session, Screen]:
    """Create (if needed) and connect a player with a recording front end."""
    game.ensure_account(name)
    screen = Screen()
    return game.connect(name, screen, kind="line"), screen


def run(session: Session, line: str) -> Reply:
    """Run one line and return the single reply (Evennia's ``call``, as a function)."""
    replies = Game.of(session).engine.execute(session, line)
    assert len(replies) == 1, replies
    return replies[0]


@pytest.fixture
async def tmux(tmp_path: Path) -> AsyncIterator[Tmux]:
    """A private tmux server for OpenSSH end-to-end tests (tests/e2e/tmux.py)."""
    mux = Tmux(tmp_path / "tmux.sock")
    yield mux
    await mux.run("kill-server", check=False)
