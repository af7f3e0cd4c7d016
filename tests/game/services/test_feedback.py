"""Feedback through the real engine: bug, idea and typo are stored with where and when;
admins list, answer (a line when the player is online, mail when not) and close them;
lengths and a per-player rate are limited; every admin action is audited."""

from __future__ import annotations

from game.engine.game import Game
from game.engine.session import Session
from game.services.feedback import FILE_BURST, TEXT_MAX
from tests.conftest import FakeClock, join, run


def admin(game: Game) -> Session:
    game.ensure_account("root")
    game.store.set_role("root", "admin")
    session, _ = join(game, "root")
    return session


def test_reports_are_stored_with_player_room_and_time(game: Game, clock: FakeClock) -> None:
    ana, _ = join(game, "ana")
    assert run(ana, "bug the well ate my bucket").text.startswith(
        "Thank you: bug report #1 is filed"
    )
    run(ana, "north")
    assert run(ana, "idea a ferry to the island").ok
    assert run(ana, "typo 'welcom' on the sign").ok
    rows = game.conn.execute("SELECT player, kind, room, text, ts_ms, status FROM feedback")
    assert [r[:2] for r in rows] == [("ana", "bug"), ("ana", "idea"), ("ana", "typo")]
    first = game.feedback.item(1)
    assert first is not None
    assert (first.room, first.ts_ms, first.status) == (
        game.world.content.start_room,
        clock(),
        "open",
    )
    assert game.feedback.item(2).room != first.room  # type: ignore[union-attr]
    mine = run(ana, "bug").text
    assert mine.startswith("Usage: bug <what you want to tell us>\nYour latest reports:")
    assert "#3 typo, open: 'welcom' on the sign" in mine


def test_limits_on_length_and_rate(game: Game, clock: FakeClock) -> None:
    ana, _ = join(game, "ana")
    assert run(ana, "idea " + "x" * (TEXT_MAX + 1)).text.endswith("Nothing was filed.")
    for n in range(FILE_BURST):
        assert run(ana, f"idea number {n}").ok
    assert "Try again in 300 seconds" in run(ana, "idea one too many").text
    clock.tick(300_000)
    assert run(ana, "idea one more").ok
    assert game.feedback.open_count() == FILE_BURST + 1


def test_admin_answers_online_by_line_offline_by_mail_and_closes(game: Game) -> None:
    ana, ana_screen = join(game, "ana")
    run(ana, "bug the door sticks")
    root = admin(game)
    queue = run(root, "@feedback").text
    assert queue.startswith("Open reports (1):\n#1 bug from ana in Town Square, ")
    assert queue.split("\n")[1].endswith(": the door sticks")
    reply = run(root, "@feedback answer 1 fixed, thank you")
    assert reply.text == "Answered report #1 from ana: told them now (they are online)."
    assert 'root answered your bug report #1: "fixed, thank you"' in ana_screen.text
    game.disconnect(ana)
    run(root, "@feedback answer 1 and oiled the hinges")
    assert game.mail.count("ana") == 1
    letter = game.mail.inbox("ana")[0]
    assert (letter.sender, letter.subject) == ("root", "Re: your bug report #1")
    assert letter.body.startswith("and oiled the hinges (You wrote: the door sticks)")
    assert run(root, "@feedback close 1 done").text.startswith("Closed report #1")
    assert run(root, "@feedback close 1").text == "Report #1 is closed already."
    assert run(root, "@feedback").text == "No open reports."
    shown = run(root, "@feedback show 1").text
    assert "[closed]" in shown
    assert "Answered by root: and oiled the hinges" in shown
    assert run(root, "@feedback show 9").text.startswith("There is no report #9")
    audit = game.conn.execute("SELECT actor, action, target, detail FROM audit_log").fetchall()
    assert audit == [
        ("root", "feedback-answer", "ana", "#1"),
        ("root", "feedback-answer", "ana", "#1"),
        ("root", "feedback-close", "ana", "#1"),
    ]
    _, back = join(game, "ana")
    assert "You have 1 new mail. Type mail to see your mailbox." in back.text


def test_players_may_not_use_the_admin_queue(game: Game) -> None:
    ana, _ = join(game, "ana")
    assert run(ana, "@feedback").text == "Permission denied: @feedback is for admins."
