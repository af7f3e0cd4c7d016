from __future__ import annotations

from economy.reasons import Reason, family, is_escrow, is_faucet, is_p2p, is_sink, label


def test_reason_codes_are_stable() -> None:
    assert (Reason.DAILY_BONUS, Reason.COMMAND_PRICE, Reason.PAYMENT) == (101, 201, 301)
    assert (Reason.HOLD, Reason.HOLD_CAPTURE, Reason.REVERSAL) == (401, 403, 901)
    assert (Reason.MAIL_HOLD, Reason.MAIL_TAKEN, Reason.MAIL_RETURNED) == (404, 405, 406)


def test_reason_families() -> None:
    assert all(is_faucet(r) for r in Reason if 100 <= r < 200)
    assert all(is_sink(r) for r in Reason if 200 <= r < 300)
    assert is_p2p(Reason.PAYMENT)
    assert not is_p2p(Reason.SHOP_SALE)
    assert is_escrow(Reason.HOLD_RELEASE)
    assert all(is_escrow(r) for r in (Reason.MAIL_HOLD, Reason.MAIL_TAKEN, Reason.MAIL_RETURNED))
    assert family(Reason.REVERSAL) == 9


def test_reason_every_code_has_a_label() -> None:
    assert all(r.label and r.label == label(r) for r in Reason)


def test_reason_label_of_unknown_code_does_not_fail() -> None:
    assert label(555) == "code 555"
