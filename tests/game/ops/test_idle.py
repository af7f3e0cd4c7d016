"""The idle watcher warns a minute before the timeout, then closes with a sentence."""

from __future__ import annotations

import dataclasses

from game.engine.game import Game
from game.ops.watch import IdleWatcher, LoopLag
from tests.conftest import FakeClock, join


def test_idle_warns_once_then_closes(game: Game, clock: FakeClock) -> None:
    game.settings = dataclasses.replace(game.settings, idle_timeout_s=600, idle_warning_s=60)
    watcher = IdleWatcher(game)
    _ana, screen = join(game, "ana")
    bob, bob_screen = join(game, "bob")
    clock.tick(539_000)
    assert watcher.check() == []
    assert "idle" not in screen.text
    clock.tick(1_000)
    watcher.check()
    assert screen.text.endswith("Type anything within 60 seconds to stay connected.")
    screen.clear()
    watcher.check()
    assert screen.text == ""  # warned once, not every check
    bob.submit("look")  # bob is active again
    clock.tick(60_000)
    assert watcher.check() == ["ana"]
    assert screen.closed is not None
    assert screen.closed.startswith("You were idle for 10 minutes, so this session was closed.")
    assert bob_screen.closed is None
    assert game.sessions.get("ana") is None


def test_idle_warning_resets_after_input(game: Game, clock: FakeClock) -> None:
    game.settings = dataclasses.replace(game.settings, idle_timeout_s=120, idle_warning_s=60)
    watcher = IdleWatcher(game)
    ana, screen = join(game, "ana")
    clock.tick(60_000)
    watcher.check()
    assert screen.text.count("stay connected") == 1
    ana.submit("look")
    clock.tick(60_000)
    watcher.check()
    assert screen.text.count("stay connected") == 2
    assert screen.closed is None


def test_idle_timeout_zero_disables(game: Game, clock: FakeClock) -> None:
    game.settings = dataclasses.replace(game.settings, idle_timeout_s=0)
    _, screen = join(game, "ana")
    clock.tick(10**9)
    assert IdleWatcher(game).check() == []
    assert screen.closed is None


def test_loop_lag_sample(game: Game) -> None:
    lag = LoopLag(game)
    lag.sample(lag.interval_s + 0.25)
    assert game.metrics.loop_lag_s == 0.25
    lag.sample(lag.interval_s - 0.01)
    assert game.metrics.loop_lag_s == 0.0
