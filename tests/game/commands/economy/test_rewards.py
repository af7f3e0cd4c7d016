"""Daily login bonus and first-visit exploration rewards: paid once, amounts from content."""

from __future__ import annotations

from economy import Reason
from game.core.reply import Kind
from game.engine.game import Game
from tests.conftest import FakeClock, Screen, join
from tests.game.commands.economy.conftest import play, player, rules

DAY = 86_400_000


def test_daily_bonus_once_per_utc_day(econ: Game, clock: FakeClock) -> None:
    ana, screen = join(econ, "ana")
    assert "Daily bonus: +10 tokens. Come back tomorrow for more." in screen.text
    assert screen.replies[-1].kind is Kind.ECONOMY
    econ.disconnect(ana)
    join(econ, "ana")  # same day: nothing more
    assert econ.wallet.balance("ana") == 10
    clock.tick(DAY)
    join(econ, "ana")  # a takeover on the next day still pays once
    assert econ.wallet.balance("ana") == 20
    keys = [e.idem_key for e in econ.ledger.history("player:ana")]
    assert keys == ["d:ana:20417", "d:ana:20416"]


def test_daily_bonus_amount_from_content_and_zero_pays_nothing(econ: Game) -> None:
    rules(econ, daily_bonus=0)
    _, screen = join(econ, "ana")
    assert econ.wallet.balance("ana") == 0
    assert "Daily bonus" not in screen.text


def test_daily_bonus_changed_midday_is_not_paid_twice(econ: Game) -> None:
    econ.rewards.daily("ana")
    rules(econ, daily_bonus=25)
    assert econ.rewards.daily("ana") == 0
    assert econ.wallet.balance("ana") == 10


def test_first_visit_pays_room_reward_or_default_once(econ: Game) -> None:
    ana, screen = player(econ, "ana")
    play(ana, "east")  # the pond has reward: 7
    assert "First visit to Trout Pond: +7 tokens for exploring." in screen.text
    play(ana, "west")  # back to the start room (reward: 0)
    play(ana, "north")  # the camp: the default, 2
    play(ana, "south")
    play(ana, "east")
    play(ana, "west")
    play(ana, "north")
    assert econ.wallet.balance("ana") == 10 + 7 + 2
    reasons = [e.reason for e in econ.ledger.history("player:ana")]
    assert reasons.count(Reason.EXPLORATION) == 2
    assert econ.ledger.verify().ok


def test_exploration_reward_is_per_player(econ: Game) -> None:
    ana, _ = player(econ, "ana")
    bob, _ = player(econ, "bob")
    play(ana, "east")
    play(bob, "east")
    assert econ.wallet.balance("ana") == econ.wallet.balance("bob") == 17


def test_rewards_reach_the_status_bar(econ: Game) -> None:
    ana, screen = player(econ, "ana")
    assert isinstance(screen, Screen)
    play(ana, "east")
    assert screen.statuses[-1].tokens == 17


def test_rewards_follow_domingos_reward_multipliers(econ: Game) -> None:
    econ.multipliers.set(int(Reason.DAILY_BONUS), 1.5, "c1", "test", econ.clock())
    econ.multipliers.set(int(Reason.EXPLORATION), 0.5, "c1", "test", econ.clock())
    ana, _ = player(econ, "ana")  # daily bonus 10 x 1.5
    assert econ.wallet.balance("ana") == 15
    play(ana, "east")  # pond reward 7 x 0.5, rounded half up
    assert econ.wallet.balance("ana") == 19
