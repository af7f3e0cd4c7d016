"""The game side: activity log rows, the component applying unlocks and tuning, growth, CLI."""

from __future__ import annotations

import dataclasses

from click.testing import CliRunner

from bridge.events import ReflectionReportWritten, UnlockGranted
from economy import Reason
from game.cli.main import main
from game.engine.game import Game
from game.engine.reflecting import Reflection, apply_planned
from tests.conftest import FakeClock, join, run


def test_activity_logs_each_command_with_room_category_and_tokens(
    game: Game, clock: FakeClock
) -> None:
    session, _ = join(game, "Ana")
    run(session, "look")
    run(session, "say hello")
    rows = game.conn.execute(
        "SELECT player, verb, room, category, ok FROM activity WHERE verb <> 'login' ORDER BY id"
    ).fetchall()
    assert rows == [
        ("ana", "look", "town:square", "explore", 1),
        ("ana", "say", "town:square", "socialize", 1),
    ]


def _busy(game: Game, clock: FakeClock, name: str, *, tui: bool = True) -> None:
    """45 exploring actions over 7 rooms, after a login in the full-screen UI (or not)."""
    rooms = [f"town:{r}" for r in ("square", "hall", "harbour", "market", "gate", "track", "loft")]
    game.ensure_account(name)
    if tui:
        game.conn.execute(
            "INSERT INTO activity(ts, player, verb, room, category) VALUES (?,?,?,?,?)",
            (clock(), name.lower(), "login-tui", "town:square", "other"),
        )
    for i in range(45):
        clock.tick(1000)
        game.conn.execute(
            "INSERT INTO activity(ts, player, verb, room, category) VALUES (?,?,?,?,?)",
            (clock(), name.lower(), "go", rooms[i % len(rooms)], "explore"),
        )


async def test_component_grants_unlock_once_and_tells_the_player(
    game: Game, clock: FakeClock
) -> None:
    session, screen = join(game, "Ana")
    _busy(game, clock, "Ana")
    seen: list[object] = []
    game.listeners.append(seen.append)
    refl = Reflection(game)
    first = await refl.run_cycle()
    assert first.errors == {}
    assert first.planned == 1
    assert game.unlocks.has("Ana", "form:visual")
    assert "Unlocked: form:visual. You have walked through 7 rooms" in screen.text
    assert sum(isinstance(e, UnlockGranted) for e in seen) == 1
    assert {e.analyst for e in seen if isinstance(e, ReflectionReportWritten)} == {"cal", "domingo"}
    clock.tick(300_000)
    second = await refl.run_cycle()
    assert second.planned == 0
    assert sum(isinstance(e, UnlockGranted) for e in seen) == 1
    assert apply_planned(game) == 0
    text = run(session, "growth").text
    assert "Play style: explorer" in text
    assert "Unlocked: form:visual" in text


async def test_line_mode_players_are_not_given_the_visual_form(
    game: Game, clock: FakeClock
) -> None:
    """Issue 13: Cal gave form:visual to players who only ever used line mode."""
    _busy(game, clock, "Ana", tui=False)
    outcome = await Reflection(game).run_cycle()
    assert outcome.planned == 0
    assert not game.unlocks.has("Ana", "form:visual")


async def test_unlocks_planned_by_the_shell_apply_without_a_restart(
    game: Game, clock: FakeClock
) -> None:
    """Issue 13: `sshrealm reflect --now` planned an unlock the running server applied only
    at its next start. The component's periodic step applies it."""
    _session, screen = join(game, "Ana")
    _busy(game, clock, "Ana")
    game.conn.execute(
        "INSERT INTO refl_actions(cycle_id, kind, target, detail)"
        " VALUES ('c1', 'unlock', 'Ana form:visual', 'a reason')"
    )
    refl = Reflection(game)
    await refl.planned.step()
    assert game.unlocks.has("Ana", "form:visual")
    assert "Unlocked: form:visual" in screen.text


def test_growth_before_any_cycle_and_bad_arguments(game: Game) -> None:
    session, _ = join(game, "Ana")
    assert "has not looked at your play yet" in run(session, "growth").text
    assert not run(session, "growth me").ok


async def test_component_applies_bounded_tuning_and_reset(game: Game, clock: FakeClock) -> None:
    game.settings = dataclasses.replace(game.settings, reflection_tuning=1)
    join(game, "Ana")
    game.wallet.credit("Ana", 1000, Reason.QUEST_REWARD, "old-savings")
    clock.tick(2 * 86_400_000)
    for i in range(20):
        game.wallet.credit(
            "Ana", 100, Reason.DAILY_BONUS, f"bonus-{i}"
        )  # daily bonus: a dominant faucet
    refl = Reflection(game)
    await refl.run_cycle()
    assert game.multipliers.multiplier(101) == 0.95
    assert game.multipliers.apply(101, 10) == 10
    assert game.multipliers.apply(101, 100) == 95
    for _ in range(10):
        clock.tick(300_000)
        await refl.run_cycle()
    assert game.multipliers.multiplier(101) == 0.8  # clamped at the 20% band
    log = game.conn.execute("SELECT old, new FROM refl_tuning_log ORDER BY id").fetchall()
    assert log[0] == (1.0, 0.95)
    assert len(log) == 4
    assert game.multipliers.reset("test", clock()) == 1
    assert game.multipliers.multiplier(101) == 1.0


def test_cli_reflect_now_and_check(game: Game, tmp_path_factory: object) -> None:
    join(game, "Ana")
    data = str(game.settings.data_dir)
    content = str(game.settings.content_dir)
    runner = CliRunner()
    ok = runner.invoke(main, ["reflect", "--check", "--content-dir", content])
    assert ok.exit_code == 0
    assert "ok (" in ok.output
    out = runner.invoke(main, ["reflect", "--now", "--data-dir", data, "--content-dir", content])
    assert out.exit_code == 0, out.output
    assert "cal: " in out.output
    assert "domingo: " in out.output
    none = runner.invoke(main, ["reflect", "--data-dir", data, "--content-dir", content])
    assert none.exit_code != 0
    assert "choose one of" in none.output


async def test_component_narrator_rewords_suggestions_and_failures_keep_templates(
    game: Game, clock: FakeClock
) -> None:
    session, _ = join(game, "Ana")
    for _ in range(12):  # fished often, never cooked: the cook-your-catch suggestion
        clock.tick(1000)
        game.conn.execute(
            "INSERT INTO activity(ts, player, verb, room, category) VALUES (?,?,?,?,?)",
            (clock(), "ana", "fish", "town:harbour", "achieve"),
        )
    asked: list[dict[str, object]] = []

    async def reword(text: str, context: dict[str, object]) -> str:
        asked.append(dict(context))
        return "Ahoy! " + text

    await Reflection(game, reword=reword).run_cycle()
    assert asked == [{"kind": "cal.suggestion", "player": "ana", "rule": "cook-your-catch"}]
    assert (
        "Suggestion: Ahoy! You have fished 12 times and never cooked" in run(session, "growth").text
    )

    async def broken(text: str, context: dict[str, object]) -> str:
        raise RuntimeError("model down")

    clock.tick(300_000)
    game.conn.execute(
        "INSERT INTO activity(ts, player, verb, room, category) VALUES (?,?,?,?,?)",
        (clock(), "ana", "fish", "town:harbour", "achieve"),
    )
    await Reflection(game, reword=broken).run_cycle()
    assert "Suggestion: You have fished 13 times and never cooked" in run(session, "growth").text


async def test_component_isolated_runs_the_cycle_in_a_worker_process(game: Game) -> None:
    join(game, "Ana")
    refl = Reflection(game, isolated=True)
    await refl.warm()
    outcome = await refl.run_cycle()
    assert outcome.errors == {}
    assert set(outcome.reports) == {"cal", "domingo"}
    assert refl._pool is not None
    await refl.stop()
    assert refl._pool is None
    stored = game.conn.execute("SELECT COUNT(*) FROM refl_reports").fetchone()[0]
    assert stored == 2


def test_multipliers_reach_the_rewards_the_game_pays(game: Game, clock: FakeClock) -> None:
    """Domingo's multiplier on the daily bonus changes what a player is actually paid."""
    base = game.world.content.economy.daily_bonus
    game.multipliers.set(int(Reason.DAILY_BONUS), 0.5, "test", "halve the bonus", clock())
    join(game, "Ana")
    assert game.rewards.daily("Ana") == max(1, int(base * 0.5 + 0.5))  # the game's rewards
    paid = game.conn.execute(
        "SELECT SUM(amount) FROM transfers WHERE code = ?", (int(Reason.DAILY_BONUS),)
    ).fetchone()[0]
    assert base > 1
    assert paid == max(1, int(base * 0.5 + 0.5))
