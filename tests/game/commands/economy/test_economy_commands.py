"""balance, pay (with confirmation above the world's limit), history, premium, set_tier."""

from __future__ import annotations

import pytest

from economy import Reason
from game.core.reply import Kind
from game.engine.game import Game
from game.services.premium import DAY_MS
from tests.conftest import FakeClock, Screen
from tests.game.commands.economy.conftest import one, play, player, rules, text


def test_balance_shows_tokens_tier_and_quota(econ: Game) -> None:
    ana, _ = player(econ, "ana", 5)
    reply = one(ana, "balance")
    assert reply.kind is Kind.ECONOMY
    assert reply.text == (
        "You have 15 tokens.\nYou are on the free tier: 3 of 3 priced actions left today."
    )


def test_pay_small_amount_moves_tokens_and_tells_payee(econ: Game) -> None:
    ana, _ = player(econ, "ana", 20)
    _, bob_screen = player(econ, "bob")
    reply = one(ana, "pay Bob 12 for the rod")
    assert reply.text == "You paid 12 tokens to bob (for the rod). You have 18 left."
    assert econ.wallet.balance("ana") == 18
    assert econ.wallet.balance("bob") == 22
    assert "ana paid you 12 tokens (for the rod)." in bob_screen.text
    assert bob_screen.statuses[-1].tokens == 22  # payee's status bar updated live
    assert econ.ledger.verify().ok


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("pay", "Usage: pay <name> <amount>"),
        ("pay bob", "Usage: pay <name> <amount>"),
        ("pay nobody 5", "There is no player called 'nobody'. Nothing was paid."),
        ("pay ana 5", "You can't pay yourself."),
        ("pay bob -5", "'-5' is not an amount"),
        ("pay bob 1.5", "'1.5' is not an amount"),
        ("pay bob 0", "'0' is not an amount"),
        ("pay bob 99999999999999999999", "is not an amount"),
        ("pay bob 11", "Not enough tokens: paying 11 to bob, you have 10. Nothing was paid."),
        ("pay confirm", "You have no payment waiting for confirmation."),
        ("yes", "There is nothing waiting for a yes."),
    ],
)
def test_pay_bad_input_changes_nothing(econ: Game, line: str, expected: str) -> None:
    ana, _ = player(econ, "ana")
    player(econ, "bob")
    reply = one(ana, line)
    assert reply.kind is Kind.ERROR
    assert expected in reply.text
    assert (econ.wallet.balance("ana"), econ.wallet.balance("bob")) == (10, 10)


def test_pay_above_limit_waits_for_yes(econ: Game) -> None:
    ana, _ = player(econ, "ana", 100)
    player(econ, "bob")
    ask = one(ana, "pay bob 60")
    assert ask.text == (
        "Pay 60 tokens to bob? You have 110. Type yes to send it; anything else cancels."
    )
    assert econ.wallet.balance("bob") == 10
    assert one(ana, "yes").text == "You paid 60 tokens to bob. You have 50 left."
    assert econ.wallet.balance("bob") == 70
    assert one(ana, "yes").kind is Kind.ERROR  # nothing pending any more


def test_pay_confirm_and_pay_cancel(econ: Game) -> None:
    ana, _ = player(econ, "ana", 100)
    player(econ, "bob")
    one(ana, "pay bob 51")
    assert one(ana, "pay confirm").text.startswith("You paid 51 tokens to bob.")
    one(ana, "pay bob 51")
    assert one(ana, "pay cancel").text == "Payment of 51 tokens to bob cancelled. Nothing was paid."
    assert econ.wallet.balance("bob") == 61


def test_any_other_command_cancels_a_pending_payment(econ: Game) -> None:
    ana, _screen = player(econ, "ana", 100)
    player(econ, "bob")
    one(ana, "pay bob 80")
    replies = play(ana, "look")
    # The notice first, then the command, which still runs (a prelude, not a gate that
    # writes to the screen behind the engine's back).
    assert replies[0].text == "Payment of 80 tokens to bob cancelled. Nothing was paid."
    assert replies[1].text.startswith("Berry Meadow")
    assert one(ana, "yes").kind is Kind.ERROR
    assert econ.wallet.balance("bob") == 10


def test_pending_payment_expires(econ: Game, clock: FakeClock) -> None:
    ana, _ = player(econ, "ana", 100)
    player(econ, "bob")
    one(ana, "pay bob 80")
    clock.tick(61_000)
    assert "waited too long" in one(ana, "yes").text
    assert econ.wallet.balance("bob") == 10


def test_pending_payment_rechecks_funds_at_yes(econ: Game) -> None:
    ana, _ = player(econ, "ana", 60)
    player(econ, "bob")
    player(econ, "cyra")
    one(ana, "pay bob 70")
    econ.wallet.pay("ana", "cyra", 20, "drain")  # spent meanwhile (another session)
    reply = one(ana, "yes")
    assert reply.text == "Not enough tokens: paying 70 to bob, you have 50. Nothing was paid."
    assert econ.wallet.balance("bob") == 10


def test_history_lists_newest_first_with_counterparties(econ: Game) -> None:
    ana, _ = player(econ, "ana")
    bob, _ = player(econ, "bob")
    one(bob, "pay ana 4 thanks")
    one(ana, "pay bob 1")
    reply = one(ana, "history")
    lines = reply.text.split("\n")
    assert lines[0] == "Your last 3 transfers, newest first:"
    assert lines[1].endswith(", -1, payment to bob")
    assert lines[2].endswith(", +4, payment from bob: thanks")
    assert lines[3].endswith(", +10, daily bonus")
    assert lines[3].startswith("2025-11-24 16:00 UTC")
    assert one(ana, "history 1").text.count("\n") == 1


def test_history_bad_count_and_empty(econ: Game) -> None:
    rules(econ, daily_bonus=0)
    ana, _ = player(econ, "ana")
    assert one(ana, "history").text == "No transfers yet."
    assert one(ana, "history lots").kind is Kind.ERROR


def test_premium_status_and_buy_extends_from_current_end(econ: Game, clock: FakeClock) -> None:
    ana, screen = player(econ, "ana", 100)
    assert "free tier. Premium costs 40 tokens for 30 days" in one(ana, "premium").text
    bought = one(ana, "premium buy")
    assert "Charged 40 tokens; you have 70 left." in bought.text
    first_end = econ.tiers.premium_until("ana")
    assert first_end == clock() + 30 * DAY_MS
    assert screen.statuses[-1].tier == "premium"
    assert screen.statuses[-1].quota_left is None
    one(ana, "premium buy")
    assert econ.tiers.premium_until("ana") == first_end + 30 * DAY_MS
    assert econ.wallet.balance("ana") == 30
    assert "You are premium until" in one(ana, "premium status").text
    assert "no daily limit" in one(ana, "balance").text
    assert econ.ledger.verify().ok


def test_premium_buy_without_tokens_changes_nothing(econ: Game) -> None:
    ana, _ = player(econ, "ana")
    reply = one(ana, "premium buy")
    assert reply.text == "Not enough tokens: premium costs 40, you have 10. Nothing was charged."
    assert econ.wallet.tier("ana") == "free"
    assert econ.wallet.balance("ana") == 10
    assert one(ana, "premium sell").kind is Kind.ERROR


def test_premium_expires_by_the_clock(econ: Game, clock: FakeClock) -> None:
    ana, _ = player(econ, "ana", 40)
    one(ana, "premium buy")
    clock.tick(30 * DAY_MS + 1)
    assert econ.wallet.tier("ana") == "free"


def test_set_tier_for_admins(econ: Game, clock: FakeClock) -> None:
    _, screen = player(econ, "ana")
    assert econ.premium.set_tier("ANA", "premium", 7).startswith("ana is premium until")
    assert econ.tiers.premium_until("ana") == clock() + 7 * DAY_MS
    assert screen.statuses[-1].tier == "premium"
    assert econ.premium.set_tier("ana", "free") == "ana is now on the free tier."
    assert econ.wallet.tier("ana") == "free"
    with pytest.raises(ValueError, match="no player called 'nobody'"):
        econ.premium.set_tier("nobody", "free")
    with pytest.raises(ValueError, match="Unknown tier 'gold'"):
        econ.premium.set_tier("ana", "gold", 3)
    with pytest.raises(ValueError, match="number of days"):
        econ.premium.set_tier("ana", "premium", 0)
    assert econ.wallet.balance("ana") == 10  # no tokens moved


def test_pay_above_limit_over_exec_is_refused(econ: Game) -> None:
    player(econ, "bob")
    econ.ensure_account("ana")
    session = econ.connect("ana", Screen(), kind="exec")
    econ.wallet.credit("ana", 100, Reason.ADMIN_GRANT, "seed")
    reply = one(session, "pay bob 60")
    assert "need a confirmation" in reply.text
    assert econ.wallet.balance("bob") == 10
    assert text(play(session, "pay bob 5")).startswith("You paid 5 tokens to bob.")
