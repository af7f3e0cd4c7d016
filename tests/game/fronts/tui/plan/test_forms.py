"""Choosing the form: access rules, persistence, and what visual viewers are sent."""

from __future__ import annotations

from game.core.reply import Kind
from game.engine.game import Game
from game.world.layout import Bubble, PlanView
from tests.conftest import FakeClock, run
from tests.game.fronts.tui.plan.conftest import enter, make_game


def test_form_visual_refused_without_premium_or_unlock(vgame: Game) -> None:
    ana, _ = enter(vgame, "ana")
    reply = run(ana, "form visual")
    assert reply.kind is Kind.ERROR
    assert "premium" in reply.text
    assert vgame.positions.forms.get("ana") == "text"
    assert run(ana, "form sideways").text.startswith("There is no 'sideways' form")
    assert run(ana, "form").text.startswith("You use the text form.")


def test_form_visual_with_unlock_or_premium_persists_across_restarts(
    vgame: Game, clock: FakeClock
) -> None:
    ana, _ = enter(vgame, "ana")
    vgame.grant_unlock("ana", "form:visual", "explored a lot", "cal")
    replies = vgame.engine.execute(ana, "form visual")
    assert replies[0].text.startswith("You now use the visual form.")
    vgame.ensure_account("bob")
    vgame.tiers.set_premium("bob", clock() + 86_400_000)
    bob, _ = enter(vgame, "bob")
    assert run(bob, "form").text.startswith("You use the text form.")
    assert vgame.engine.execute(bob, "form visual")[0].kind is Kind.INFO
    again = make_game(vgame.settings, clock)
    assert again.positions.forms.get("ANA") == "visual"
    assert again.positions.forms.get("bob") == "visual"
    again.conn.close()


def test_form_visual_in_tui_sends_the_plan_and_text_hides_it(vgame: Game) -> None:
    ana, _ = enter(vgame, "ana", kind="tui")
    vgame.grant_unlock("ana", "form:visual", "test", "test")
    replies = vgame.engine.execute(ana, "form visual")
    plan = replies[-1]
    assert plan.kind is Kind.PLAN
    assert isinstance(plan.data, PlanView)
    assert plan.text == ""  # nothing for a log or a screen reader
    assert any(a.name == "ana" for a in plan.data.avatars)
    replies = vgame.engine.execute(ana, "form text")
    assert replies[-1].kind is Kind.PLAN
    assert replies[-1].data is None


def test_visual_viewers_get_snapshots_text_viewers_get_sentences(vgame: Game) -> None:
    _ana, ana_screen = enter(vgame, "ana", kind="tui", visual=True)
    _, line_screen = enter(vgame, "lou")  # line mode, text form
    walker, _ = enter(vgame, "bob")
    vgame.positions.move_to(walker.player, (1, 1))
    ana_screen.clear()
    line_screen.clear()
    run(walker, "walk east")
    assert [r.text for r in line_screen.replies] == ["bob walks east."]
    assert [r.kind for r in ana_screen.replies] == [Kind.PLAN]
    view = ana_screen.replies[0].data
    assert isinstance(view, PlanView)
    assert any(a.name == "bob" and (a.x, a.y) == (2, 1) for a in view.avatars)


def test_visual_player_in_line_mode_still_gets_sentences(vgame: Game) -> None:
    _, screen = enter(vgame, "ana", kind="line", visual=True)
    walker, _ = enter(vgame, "bob")
    screen.clear()
    run(walker, "walk to the bench")
    assert [r.text for r in screen.replies] == ["bob walks to the bench."]


def test_speech_reaches_visual_viewers_as_a_bubble(vgame: Game) -> None:
    _, ana_screen = enter(vgame, "ana", kind="tui", visual=True)
    bob, _ = enter(vgame, "bob")
    ana_screen.clear()
    run(bob, "say hello there")
    bubbles = [r.data for r in ana_screen.replies if r.kind is Kind.PLAN]
    assert bubbles == [Bubble("bob", "hello there")]
    assert 'bob says, "hello there"' in ana_screen.text  # and in the log as well


def test_arrivals_and_departures_push_a_fresh_plan(vgame: Game) -> None:
    _, ana_screen = enter(vgame, "ana", kind="tui", visual=True)
    ana_screen.clear()
    bob, _ = enter(vgame, "bob")
    views = [r.data for r in ana_screen.replies if r.kind is Kind.PLAN]
    assert views
    assert any(a.name == "bob" for a in views[-1].avatars)
    ana_screen.clear()
    run(bob, "go north")
    views = [r.data for r in ana_screen.replies if r.kind is Kind.PLAN]
    assert views
    assert not any(a.name == "bob" for a in views[-1].avatars)


def test_stored_visual_form_without_access_falls_back_to_text(vgame: Game) -> None:
    vgame.ensure_account("ana")
    vgame.positions.forms.set("ana", "visual", vgame.clock())  # e.g. premium ran out
    _, screen = enter(vgame, "ana", kind="tui")
    assert vgame.positions.forms.get("ana") == "text"
    assert "back to text" in screen.text
