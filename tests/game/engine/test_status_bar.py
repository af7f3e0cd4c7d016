"""The status bar is computed once per command, and only when something in it may have
changed: tokens, tier and quota announce themselves; the place, the midnight quota reset and
premium running out are noticed by the session."""

from __future__ import annotations

from game.engine.game import Game
from game.services.premium import DAY_MS
from tests.conftest import FakeClock, join


def test_a_look_that_changes_nothing_recomputes_nothing(game: Game) -> None:
    session, screen = join(game, "ana")
    session.submit("look")
    pushed = len(screen.statuses)
    session.submit("look")
    session.submit("look")
    assert len(screen.statuses) == pushed


def test_premium_running_out_shows_at_the_next_command(game: Game, clock: FakeClock) -> None:
    session, screen = join(game, "ana")
    game.premium.set_tier("ana", "premium", 1)
    session.submit("look")
    assert screen.statuses[-1].tier == "premium"
    clock.tick(2 * DAY_MS)
    session.submit("look")
    assert screen.statuses[-1].tier == "free"
    assert screen.statuses[-1].quota_left == game.wallet.quota_left("ana")


def test_the_daily_quota_comes_back_after_midnight_utc(game: Game, clock: FakeClock) -> None:
    session, screen = join(game, "ana")
    game.tiers.use_quota("ana")
    session.submit("look")
    before = screen.statuses[-1].quota_left
    assert before is not None
    clock.tick(DAY_MS)
    session.submit("look")
    assert screen.statuses[-1].quota_left == before + 1
