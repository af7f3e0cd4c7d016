"""The command prompt (game/fronts/tui/prompt.py): editing keys, its drawing against
Textual's styles cache, and keys taken without Textual's message queues."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from textual import events
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from game.fronts.tui.app import GameApp
from game.fronts.tui.prompt import CommandInput
from tests.game.fronts.tui.fakes import FakePort
from tests.game.fronts.tui.test_app import SIZE, settle
from tests.game.fronts.tui.test_direct_log import full_repaint_matches, session, settled
from tests.game.fronts.tui.test_driver import wait_for


@pytest.mark.parametrize(
    ("keys", "value", "cursor"),
    [
        (["l", "o", "k", "left", "o"], "look", 3),
        (["a", "b", "home", "x", "end", "y"], "xaby", 4),
        (["a", "b", "ctrl+a", "x", "ctrl+e", "y"], "xaby", 4),
        (["a", "b", "c", "left", "backspace"], "ac", 1),
        (["a", "b", "c", "home", "delete"], "bc", 0),
        (["a", "b", "c", "home", "ctrl+d"], "bc", 0),
        ([*"say hi there", "ctrl+w"], "say hi ", 7),
        ([*"say hi there", "ctrl+left", "ctrl+left", "ctrl+k"], "say ", 4),
        ([*"say hi there", "ctrl+left", "ctrl+u"], "there", 0),
        ([*"say hi there", "ctrl+a", "ctrl+f"], " hi there", 0),
        ([*"say hi", "ctrl+a", "ctrl+right", "ctrl+right"], "say hi", 6),
        (["left", "backspace", "delete", "ctrl+w", "ctrl+k"], "", 0),  # nothing to do
    ],
)
async def test_editing_keys(keys: list[str], value: str, cursor: int) -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*("space" if key == " " else key for key in keys))
        assert (app.command.value, app.command.cursor_position) == (value, cursor)


async def test_a_paste_inserts_its_first_line_cleaned() -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        app.command.post_message(events.Paste("say \x1b[31mred\u202e here\nsecond line\n"))
        await settle(pilot)
        assert app.command.value == "xsay red here"
        assert app.command.cursor_position == len("xsay red here")


def _cells(strips: list[Strip]) -> list[list[tuple[str, object]]]:
    """Each cell's character and Rich style: what the terminal shows, whatever the
    segmentation."""
    rows = []
    for strip in strips:
        row: list[tuple[str, object]] = []
        for segment in strip:
            for char in segment.text:
                row.append((char, segment.style))
                row.extend(("", segment.style) for _ in range(Segment(char).cell_length - 1))
        rows.append(row)
    return rows


async def test_the_row_is_drawn_as_textuals_styles_cache_draws_it() -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        prompt = app.command
        width = prompt.outer_size.width
        states = [
            ("", 0),  # the placeholder, the cursor on its first cell
            ("look", 4),
            ("look", 1),
            ("say " + "long words " * 20, 150),  # wider than the prompt: scrolled
            ("say " + "long words " * 20, 3),
            ("say 日本語 🐟 fish", 6),  # wide characters
        ]
        for focused in (True, False):
            if not focused:
                prompt.blur()
                await settle(pilot)
            for value, cursor in states:
                prompt.value = value
                prompt.cursor_position = cursor
                crop = Region(0, 0, width, 1)
                mine = prompt.render_lines(crop)
                textuals = Widget.render_lines(prompt, crop)  # the styles cache
                assert _cells(mine) == _cells(textuals), (focused, value, cursor)
                part = Region(3, 0, 20, 1)
                assert _cells(prompt.render_lines(part)) == _cells(
                    Widget.render_lines(prompt, part)
                )
        app.theme = "textual-light"  # other colours: the kept styles are dropped
        await settle(pilot)
        crop = Region(0, 0, width, 1)
        assert _cells(prompt.render_lines(crop)) == _cells(Widget.render_lines(prompt, crop))


async def test_a_long_line_scrolls_to_keep_the_cursor_in_view() -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        prompt = app.command
        prompt.value = "x" * 150 + "END"
        row = prompt.render_lines(Region(0, 0, prompt.outer_size.width, 1))[0].text
        assert "END" in row
        prompt.cursor_position = 0
        row = prompt.render_lines(Region(0, 0, prompt.outer_size.width, 1))[0].text
        assert "END" not in row
        assert row.strip().startswith("x")
        x, y = prompt.content_region.offset
        assert app.cursor_position == (x, y)  # where a screen reader's cursor goes


async def test_keys_over_ssh_skip_textuals_queues_unless_something_waits() -> None:
    async with session() as (tui, app, channel, terminal):
        taken: list[bool] = []
        original = app.take_key

        def spy(event: object) -> bool:
            result = original(event)  # type: ignore[arg-type]
            taken.append(result)
            return result

        app.take_key = spy  # type: ignore[method-assign]
        tui.link.driver._take_key = spy  # type: ignore[union-attr]
        for key in b"say hi":
            tui.feed(bytes([key]))
        await wait_for(lambda: app.command.value == "say hi")
        assert taken == [True] * 6
        tui.feed(b"\x1b[5~")  # Page Up: a priority binding, through Textual
        await settled(channel, app)
        assert taken[-1] is False
        app.command.post_message(CommandInput.Submitted(""))  # something waits: queued
        tui.feed(b"!")
        assert taken[-1] is False
        await wait_for(lambda: app.command.value == "say hi!")
        tui.feed(b"\r")
        await wait_for(lambda: app.port.submitted == ["say hi!"])  # type: ignore[attr-defined]
        await full_repaint_matches(terminal, channel, app)
