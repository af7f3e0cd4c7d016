"""GameApp under Textual's headless Pilot, with a fake PlayerPort."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from textual.geometry import Region
from textual.message import Message
from textual.pilot import Pilot

from game.core.reply import Kind, Reply, StatusView
from game.fronts.tui.app import GameApp
from game.fronts.tui.output import QUIT_HINT
from game.fronts.tui.widgets import fit_sections
from tests.game.fronts.tui.fakes import GARDEN, HALL, FakePort

SIZE = (100, 30)


async def settle(pilot: Pilot[None]) -> None:
    """Long enough for a coalesced flush and the repaint after it."""
    await pilot.pause(0.06)
    await pilot.pause()


def shown(app: GameApp) -> list[str]:
    """The log as drawn on screen right now, one string per row, trailing blanks cut."""
    log = app.chat_log
    strips = log.render_lines(Region(0, 0, log.size.width, log.size.height))
    return [strip.text.rstrip() for strip in strips]


async def test_typing_a_command_submits_it_and_clears_the_prompt() -> None:
    port = FakePort()
    app = GameApp(port)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"look", "enter")
        await pilot.press("enter", "space", "enter")  # blank lines are not sent
        assert port.submitted == ["look"]
        assert app.command.value == ""
        assert app.chat_log.plain_lines() == []  # no echo: the engine replies


async def test_typing_posts_no_changed_message_for_every_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        posted: list[str] = []
        for target in (app.command, app.screen, app):
            original = target.post_message

            def spy(message: Message, original: Callable[[Message], bool] = original) -> bool:
                sent = original(message)
                if sent:  # a disabled message is refused here and never dispatched
                    posted.append(type(message).__name__)
                return sent

            monkeypatch.setattr(target, "post_message", spy)
        await pilot.press(*"look")
        await settle(pilot)
        assert app.command.value == "look"
        assert "Changed" not in posted  # nothing listens; it cost three dispatches a key
        await pilot.press("enter")
        assert "Submitted" in posted


async def test_typing_repaints_the_prompt_without_reflowing_the_screen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        layouts = 0
        original = app.screen._refresh_layout

        def counting(*args: object, **kwargs: object) -> None:
            nonlocal layouts
            layouts += 1
            original(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(app.screen, "_refresh_layout", counting)
        for key in "say a long line of chat":
            await pilot.press("space" if key == " " else key)
        await settle(pilot)
        assert app.command.value == "say a long line of chat"
        assert layouts == 0
        prompt = app.command
        drawn = prompt.render_lines(Region(0, 0, prompt.size.width, prompt.size.height))
        assert "say a long line of chat" in "".join(strip.text for strip in drawn)


async def test_replies_are_shown_in_the_log() -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        app.post_message(GameApp.Output((Reply.info("Hello there."), Reply.error("No."))))
        await settle(pilot)
        assert app.chat_log.plain_lines() == ["Hello there.", "No."]
        assert shown(app)[:2] == ["Hello there.", "No."]


async def test_player_markup_is_shown_literally() -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        text = "bob says: [bold]hi[/bold] [link=http://x]y[/link] \x1b[31mred"
        app.post_message(GameApp.Output((Reply(Kind.SAY, text),)))
        await settle(pilot)
        row = shown(app)[0]
        assert row == "bob says: [bold]hi[/bold] [link=http://x]y[/link] red"  # escape stripped
        strip = app.chat_log.render_lines(Region(0, 0, app.chat_log.size.width, 1))[0]
        assert not any(seg.style and (seg.style.link or seg.style.bold) for seg in strip)


async def test_long_lines_wrap_instead_of_vanishing() -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        app.post_message(GameApp.Output((Reply.info("word " * 40),)))
        await settle(pilot)
        rows = [row for row in shown(app) if row]
        assert len(rows) == 4  # 200 cells on a log of 68 (70 less its margins)
        assert all(len(row) <= app.chat_log.size.width for row in rows)


async def test_room_reply_updates_the_panel_and_the_log() -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        assert app.room_panel.view == HALL
        app.post_message(GameApp.Output((Reply.room(GARDEN),)))
        await settle(pilot)
        assert app.room_panel.view == GARDEN
        assert app.chat_log.plain_lines()[0] == "The Rose Garden"
        app.post_message(GameApp.RoomChanged(HALL))
        await settle(pilot)
        assert app.room_panel.view == HALL
        assert "Great Hall" in str(app.room_panel.render())


async def test_a_crowded_room_fits_the_panel_with_a_count_of_the_rest() -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        crowd = replace(HALL, people=tuple(f"player{n:03d}" for n in range(100)))
        app.post_message(GameApp.RoomChanged(crowd))
        await settle(pilot)
        panel = app.room_panel
        lines = panel.render_lines(panel.region.reset_offset)
        rows = [strip.text.lstrip("▏ ").rstrip() for strip in lines]
        drawn = "\n".join(rows)
        assert "player000" in drawn
        assert "player099" not in drawn
        more = next(row for row in rows if row.startswith("… and "))
        shown_people = sum(row.startswith("player") for row in rows)
        assert more == f"… and {100 - shown_people} more"
        assert "Items" in drawn  # the sections after People still show
        assert len(str(panel.render()).splitlines()) <= app.size.height - 2  # all shown


def test_fit_sections_cuts_the_longest_section_only() -> None:
    people = [f"p{n}" for n in range(50)]
    fitted = fit_sections([("Exits", ["north"]), ("People", people), ("Items", [])], 12)
    assert fitted == [("Exits", ["north"]), ("People", [*people[:6], "… and 44 more"])]
    assert fit_sections([("Exits", ["north"]), ("People", people[:3])], 12) == [
        ("Exits", ["north"]),
        ("People", people[:3]),
    ]


async def test_status_bar_updates() -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        assert app.status_line.text.startswith("alice | The Great Hall | 12 tokens")
        app.post_message(GameApp.StatusChanged(StatusView("alice", "Garden", 40, "premium")))
        await settle(pilot)
        assert app.status_line.text == "alice | Garden | 40 tokens | premium"


async def test_output_is_coalesced_into_one_flush(monkeypatch: pytest.MonkeyPatch) -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        batches: list[int] = []
        write_lines = app.chat_log.write_lines

        def spy(lines: list[tuple[str, str]]) -> None:
            batches.append(len(lines))
            write_lines(lines)

        monkeypatch.setattr(app.chat_log, "write_lines", spy)
        for n in range(10):
            app.post_message(GameApp.Output((Reply(Kind.SAY, f"line {n}"),)))
        await settle(pilot)
        assert batches == [10]
        assert app.chat_log.plain_lines()[-1] == "line 9"


async def test_a_long_reply_waits_a_frame_rather_than_scroll_a_line_away_unseen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        batches: list[list[str]] = []
        write_lines = app.chat_log.write_lines

        def spy(lines: list[tuple[str, str]]) -> None:
            batches.append([text for _, text in lines])
            write_lines(lines)

        monkeypatch.setattr(app.chat_log, "write_lines", spy)
        app.post_message(GameApp.Output((Reply(Kind.SAY, "bob says: hi"),)))
        app.post_message(GameApp.Output(tuple(Reply.info(f"row {n}") for n in range(40))))
        await settle(pilot)
        await settle(pilot)
        assert batches[0] == ["bob says: hi"]  # drawn on its own before the long reply
        assert batches[1][-1] == "row 39"


async def test_log_is_capped_and_pages_through_scrollback() -> None:
    app = GameApp(FakePort(), max_lines=100)
    async with app.run_test(size=SIZE) as pilot:
        app.post_message(GameApp.Output(tuple(Reply.info(f"line {n}") for n in range(150))))
        await settle(pilot)
        log = app.chat_log
        assert len(log.plain_lines()) == 100
        assert shown(app)[-1] == "line 149"
        bottom = log.scroll_y
        await pilot.press("pageup")
        await pilot.pause()
        assert log.scroll_y == bottom - (log.size.height - 1)
        app.post_message(GameApp.Output((Reply.info("new while reading"),)))
        await settle(pilot)
        assert "new while reading" not in shown(app)  # the reader is not yanked down
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert shown(app)[-1] == "new while reading"


async def test_history_up_and_down() -> None:
    port = FakePort()
    app = GameApp(port)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"look", "enter", *"say hi", "enter", *"dr")
        await pilot.press("up")
        assert app.command.value == "say hi"
        await pilot.press("up", "up")
        assert app.command.value == "look"
        await pilot.press("down")
        assert app.command.value == "say hi"
        await pilot.press("down")
        assert app.command.value == "dr"
        await pilot.press("up", "enter")
        assert port.submitted == ["look", "say hi", "say hi"]


async def test_tab_completes_and_cycles() -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"go no", "tab")
        assert app.command.value == "go north "
        app.command.value = ""
        await pilot.press(*"lo", "tab")
        assert app.command.value == "locate"
        await pilot.press("tab")
        assert app.command.value == "look"
        await pilot.press("tab")
        assert app.command.value == "locate"
        app.command.value = ""
        await pilot.press(*"zzz", "tab")
        assert app.command.value == "zzz"
        assert app.focused is app.command  # Tab never moves focus away


async def test_too_small_terminal_shows_a_notice_then_recovers() -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=(50, 12)) as pilot:
        await pilot.pause()
        assert app.too_small.display
        assert not app.chat_log.display
        assert "need at least 60x16, you have 50x12" in str(app.too_small.render())
        await pilot.resize_terminal(100, 30)
        await pilot.pause(0.05)
        assert not app.too_small.display
        assert app.chat_log.display
        assert app.chat_log.size.width > 60
        assert app.focused is app.command


async def test_ctrl_c_and_ctrl_q_do_not_exit() -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+c")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.is_running
        assert app.chat_log.plain_lines() == [QUIT_HINT, QUIT_HINT]


async def test_an_engine_error_is_reported_not_fatal() -> None:
    port = FakePort()

    def broken(line: str) -> None:
        raise RuntimeError("engine bug")

    port.submit = broken  # type: ignore[method-assign]
    app = GameApp(port)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"look", "enter")
        await settle(pilot)
        assert app.is_running
        assert app.chat_log.plain_lines() == ["Something went wrong; that did not work."]


async def test_scrollback_after_resize_renders_older_lines_on_demand() -> None:
    app = GameApp(FakePort(), max_lines=300)
    async with app.run_test(size=SIZE) as pilot:
        app.post_message(GameApp.Output(tuple(Reply.info(f"line {n}") for n in range(300))))
        await settle(pilot)
        await pilot.resize_terminal(80, 30)  # new width: only recent lines are re-rendered
        await pilot.pause(0.05)
        assert shown(app)[-1] == "line 299"
        app.post_message(GameApp.Output(tuple(Reply.info(f"line {n}") for n in range(300, 350))))
        await settle(pilot)
        assert shown(app)[-1] == "line 349"
        for _ in range(20):
            await pilot.press("pageup")
        await pilot.pause()
        assert shown(app)[:3] == ["line 50", "line 51", "line 52"]
        for _ in range(20):
            await pilot.press("pagedown")
        await pilot.pause()
        assert shown(app)[-1] == "line 349"
