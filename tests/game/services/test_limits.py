"""Rate limits trip and recover on an injected clock: no sleeping."""

from __future__ import annotations

from game.engine.game import Game
from game.services.limits import Buckets, CommandLimit, LoginThrottle
from tests.conftest import FakeClock, join, run


def test_buckets_allow_burst_then_refill(clock: FakeClock) -> None:
    buckets = Buckets(3, 1.0, clock)
    assert [buckets.allow("1.2.3.4") for _ in range(4)] == [True, True, True, False]
    assert buckets.allow("5.6.7.8")  # another key has its own bucket
    clock.tick(999)
    assert not buckets.allow("1.2.3.4")
    clock.tick(1)
    assert buckets.allow("1.2.3.4")


def test_buckets_forget_full_keys_when_crowded(clock: FakeClock, monkeypatch: object) -> None:
    import game.services.limits as limits

    setattr(limits, "MAX_KEYS", 3)  # noqa: B010 - restored below
    try:
        buckets = Buckets(1, 1.0, clock)
        for n in range(3):
            buckets.allow(f"a{n}")
        clock.tick(5000)
        buckets.allow("new")
        assert set(buckets.buckets) == {"new"}
    finally:
        limits.MAX_KEYS = 10_000


def test_login_throttle_locks_then_unlocks(clock: FakeClock) -> None:
    throttle = LoginThrottle(max_failures=3, lockout_s=60, clock=clock)
    throttle.failed("9.9.9.9")
    throttle.failed("9.9.9.9")
    assert not throttle.locked("9.9.9.9")
    throttle.failed("9.9.9.9")
    assert throttle.locked("9.9.9.9")
    assert throttle.seconds_left("9.9.9.9") == 60
    clock.tick(59_500)
    assert throttle.seconds_left("9.9.9.9") == 1
    clock.tick(500)
    assert not throttle.locked("9.9.9.9")
    throttle.failed("9.9.9.9")  # the count started again after the lockout
    assert not throttle.locked("9.9.9.9")


def test_login_throttle_success_clears_only_that_accounts_failures(clock: FakeClock) -> None:
    throttle = LoginThrottle(max_failures=3, lockout_s=60, clock=clock)
    throttle.failed("h", "ana")
    throttle.succeeded("h", "ana")  # ana mistyped her own password once: forgiven
    throttle.failed("h", "bob")
    throttle.failed("h", "bob")
    throttle.succeeded("h", "eve")  # the guesser logs in to their own account...
    assert not throttle.locked("h")
    throttle.failed("h", "bob")  # ...which does not reset the guesses at bob
    assert throttle.locked("h")


def test_login_throttle_counts_guesses_in_flight(clock: FakeClock) -> None:
    """Guesses are claimed before they are checked: parallel ones cannot outrun the count."""
    throttle = LoginThrottle(max_failures=2, lockout_s=60, clock=clock)
    assert throttle.reserve("h")
    assert throttle.reserve("h")
    assert not throttle.reserve("h")  # two are being checked: no third until they settle
    throttle.settle("h", ok=False)
    assert not throttle.reserve("h")
    throttle.settle("h", ok=False)
    assert throttle.locked("h")
    assert not throttle.reserve("h")
    clock.tick(60_000)
    assert throttle.reserve("h")
    throttle.settle("h", ok=True)
    assert throttle.in_flight == {}


def test_command_rate_limit_trips_and_recovers(game: Game, clock: FakeClock) -> None:
    game.engine.gates.remove(game.command_limit.gate)
    limit = CommandLimit(per_s=2, burst=3, clock=clock)
    game.engine.gates.insert(0, limit.gate)
    ana, screen = join(game, "ana")
    for _ in range(3):
        assert run(ana, "say hi").ok
    said = screen.text.count("hi")
    refused = run(ana, "say hi")
    assert refused.text == (
        "Slow down: you are typing commands faster than the server allows. "
        "Try again in 1 second. Nothing was done."
    )
    assert screen.text.count("hi") == said  # nothing was executed
    bob, _ = join(game, "bob")
    assert run(bob, "look").ok  # per account: bob has his own budget
    clock.tick(499)
    assert not run(ana, "look").ok
    clock.tick(1)  # half a second at 2 a second: one command's worth
    assert run(ana, "look").ok
    assert game.engine.execute(ana, "quit") == []  # quit is never limited
    assert screen.closed is not None


def test_command_rate_limit_from_settings(game: Game) -> None:
    assert not game.command_limit.enabled  # the shared test settings turn it off


def test_login_throttle_forgets_failures_after_a_window(clock: FakeClock) -> None:
    """Successes no longer reset an address, so old failures must age out instead: a NAT
    whose players mistype now and then is never locked out for it."""
    throttle = LoginThrottle(max_failures=3, lockout_s=60, clock=clock)
    throttle.failed("nat", "ana")
    throttle.failed("nat", "bob")
    clock.tick(60_000)
    throttle.failed("nat", "cyra")
    assert not throttle.locked("nat")
    assert throttle.failed_count("nat") == 1
