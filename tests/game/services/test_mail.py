"""Mail through the real engine and a real SQLite ledger: tokens are in exactly one place
(sender, escrow, recipient) on every path, supply never changes, the books verify."""

from __future__ import annotations

import pytest

from bridge.events import Event, MailReturned, MailSent, MailTokensTaken
from economy import ESCROW, Reason
from economy.clock import DAY_MS
from game.engine.game import Game
from game.services.mail import BODY_MAX, EXPIRE_DAYS, MAILBOX_MAX, POST_OFFICE, SEND_BURST
from tests.conftest import FakeClock, Screen, join, run


@pytest.fixture
def events(game: Game) -> list[Event]:
    seen: list[Event] = []
    game.listeners.append(seen.append)
    return seen


def funded(game: Game, name: str, amount: int) -> None:
    game.ensure_account(name)
    game.wallet.credit(name, amount, Reason.ADMIN_GRANT, f"fund:{name}")


def books(game: Game) -> tuple[int, int, int, int]:
    """(ana, bob, escrow, supply), after checking every ledger invariant."""
    report = game.ledger.verify(full=True)
    assert report.ok, report
    return (
        game.wallet.balance("ana"),
        game.wallet.balance("bob"),
        game.ledger.balance(ESCROW),
        game.ledger.supply(),
    )


def test_tokens_sent_then_taken_move_sender_escrow_recipient(
    game: Game, events: list[Event]
) -> None:
    funded(game, "ana", 100)
    ana, _ = join(game, "ana")
    bob, bob_screen = join(game, "bob")
    reply = run(ana, "mail send bob 30 tokens Rent = for the boat")
    assert reply.text == (
        "Mail #1 sent to bob. Attached: 30 tokens, held until bob takes or returns it."
    )
    assert books(game) == (70, 0, 30, 100)
    assert "New mail #1 from ana with 30 tokens attached: Rent. Type mail read 1." in (
        bob_screen.text
    )
    text = run(bob, "mail read 1").text
    assert "Subject: Rent\nfor the boat\n30 tokens attached: type mail take 1" in text
    assert run(bob, "mail take 1").text == "You took 30 tokens from mail #1. You have 30."
    assert books(game) == (70, 30, 0, 100)
    assert run(bob, "mail take 1").text == "Mail #1 has no tokens waiting for you."
    assert run(bob, "mail return 1").text.startswith("Mail #1 has no tokens waiting")
    assert books(game) == (70, 30, 0, 100)
    codes = [t.reason for t in game.ledger.transfers() if t.amount == 30]
    assert codes == [Reason.MAIL_HOLD, Reason.MAIL_TAKEN]
    mail_events = [e for e in events if isinstance(e, MailSent | MailTokensTaken)]
    assert mail_events == [
        MailSent(ts=mail_events[0].ts, sender="ana", recipient="bob", mail_id=1, tokens=30),
        MailTokensTaken(ts=mail_events[1].ts, sender="ana", recipient="bob", mail_id=1, tokens=30),
    ]
    assert "Rent" not in repr(mail_events)
    assert "boat" not in repr(mail_events)


@pytest.mark.parametrize(("command", "why"), [("return", "returned"), ("delete", "deleted")])
def test_returned_or_deleted_mail_gives_the_tokens_back_once(
    game: Game, events: list[Event], command: str, why: str
) -> None:
    funded(game, "ana", 50)
    ana, ana_screen = join(game, "ana")
    bob, _ = join(game, "bob")
    run(ana, "mail send bob 50 tokens gift = all of it")
    assert books(game) == (0, 0, 50, 50)
    assert run(bob, f"mail {command} 1").ok
    assert books(game) == (50, 0, 0, 50)
    assert f"New mail #2 from {POST_OFFICE}: Returned: gift." in ana_screen.text
    assert [e.why for e in events if isinstance(e, MailReturned)] == [why]
    assert not run(bob, "mail take 1").ok  # nothing is held any more (or the mail is gone)
    assert books(game) == (50, 0, 0, 50)
    notice = game.mail.letter("ana", 2)
    assert notice is not None
    assert "back in your wallet" in notice.body


def test_untaken_tokens_expire_back_to_the_sender_at_the_next_login(
    game: Game, clock: FakeClock, events: list[Event]
) -> None:
    funded(game, "ana", 10)
    ana, _ = join(game, "ana")
    game.ensure_account("bob")
    run(ana, "mail send bob 10 tokens later = take these")
    clock.tick(EXPIRE_DAYS * DAY_MS - 1)
    join(game, "cyra")
    assert books(game) == (0, 0, 10, 10)
    clock.tick(1)
    join(game, "eve")  # anyone's login sweeps
    assert books(game) == (10, 0, 0, 10)
    assert [e.why for e in events if isinstance(e, MailReturned)] == ["expired"]
    letter = game.mail.letter("bob", 1)
    assert letter is not None
    assert letter.tokens_state == "returned"
    bob, bob_screen = join(game, "bob")
    assert "You have 1 new mail. Type mail to see your mailbox." in bob_screen.text
    assert "went back to ana" in run(bob, "mail read 1").text


def test_refusals_change_nothing(game: Game, clock: FakeClock) -> None:
    funded(game, "ana", 5)
    ana, _ = join(game, "ana")
    game.ensure_account("bob")
    assert run(ana, "mail send bob 6 tokens x = y").text == (
        "Not enough tokens: attaching 6, you have 5. Nothing was sent."
    )
    assert run(ana, "mail send nobody hi = there").text.startswith("There is no account")
    assert run(ana, "mail send ana hi = me").text.startswith("You cannot mail yourself")
    assert "at most 60" in run(ana, f"mail send bob {'s' * 61} = x").text
    assert f"at most {BODY_MAX}" in run(ana, f"mail send bob s = {'x' * (BODY_MAX + 1)}").text
    assert run(ana, "mail send bob 0 tokens x = y").text.startswith("The number of tokens must")
    assert run(ana, "mail read 7").text == "You have no mail #7. Type mail to list yours."
    assert books(game) == (5, 0, 0, 5)
    assert game.mail.count("bob") == 0
    for n in range(SEND_BURST):
        assert run(ana, f"mail send bob note {n} = hi").ok
    assert run(ana, "mail send bob one more = hi").text.startswith("You are sending mail too fast")
    clock.tick(60_000)
    assert run(ana, "mail send bob one more = hi").ok


def test_a_full_mailbox_refuses_players_but_not_notices(game: Game) -> None:
    game.ensure_account("bob")
    for n in range(MAILBOX_MAX):
        game.mail.notify("root", "bob", f"n{n}", "x")
    ana, _ = join(game, "ana")
    assert run(ana, "mail send bob hi = there").text == "bob's mailbox is full. Nothing was sent."
    bob, _ = join(game, "bob")
    run(bob, "mail delete 1")
    assert run(ana, "mail send bob hi = there").ok


def test_mailbox_listing_and_reading_only_your_own(game: Game) -> None:
    ana, _ = join(game, "ana")
    bob, _ = join(game, "bob")
    assert run(bob, "mail").text.startswith("Your mailbox is empty.")
    run(ana, "mail send bob Hello there = first letter")
    run(ana, "mail send bob no subject given")
    listing = run(bob, "mail").text.split("\n")
    assert listing[0] == "Your mailbox (2 letters):"
    assert listing[1].startswith("#1 new from ana, ")
    assert listing[1].endswith(": Hello there")
    assert listing[2].endswith(": (no subject)")
    run(bob, "mail 2")
    assert " new " not in run(bob, "mail").text.split("\n")[2]
    assert run(ana, "mail read 1").text.startswith("You have no mail #1")
    assert run(ana, "mail frobnicate").text.startswith("Usage: mail")


def test_a_muted_player_reads_and_takes_but_cannot_send(game: Game) -> None:
    funded(game, "ana", 5)
    ana, _ = join(game, "ana")
    bob, _ = join(game, "bob")
    run(ana, "mail send bob 5 tokens tip = for you")
    game.moderation.mute("bob", "spam", "root", None)
    assert run(bob, "mail send ana hi = there").text.startswith("You are muted by an admin")
    assert run(bob, "mail read 1").ok
    assert run(bob, "mail take 1").ok
    assert books(game) == (0, 5, 0, 5)


def test_login_notice_counts_new_mail_and_waiting_tokens_for_sessions_not_exec(
    game: Game,
) -> None:
    funded(game, "ana", 9)
    ana, _ = join(game, "ana")
    game.ensure_account("bob")
    run(ana, "mail send bob 9 tokens a = b")
    run(ana, "mail send bob c = d")
    bob, screen = join(game, "bob")
    notice = "You have 2 new mails and 9 tokens waiting to be taken. Type mail to see your mailbox."
    assert screen.replies[-1].text == notice
    run(bob, "mail read 1")
    run(bob, "mail read 2")
    game.disconnect(bob)
    bob, again = join(game, "bob")
    assert again.replies[-1].text == (
        "You have 9 tokens waiting to be taken. Type mail to see your mailbox."
    )
    game.disconnect(bob)
    exec_screen = Screen()
    game.connect("bob", exec_screen, kind="exec")
    game.outbox.flush()
    assert exec_screen.replies == []
