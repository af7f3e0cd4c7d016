"""The floor-plan widget inside the real GameApp (headless Pilot, fake port)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from rich.color import Color as RichColor
from rich.style import Style
from rich.terminal_theme import MONOKAI
from textual.color import Color
from textual.filter import ANSIToTruecolor, DimFilter
from textual.geometry import Region
from textual.pilot import Pilot

from game.core.reply import Kind, Reply
from game.fronts.tui.app import GameApp
from game.fronts.tui.plan_rows import build_strip, filtered_styles, follow
from game.world.layout import Avatar, Bubble, Layout, PlanView, Tile
from game.world.loader import load_content
from tests.conftest import FakeClock
from tests.game.fronts.tui.fakes import FakePort

SIZE = (100, 30)
SQUARE = load_content(Path(__file__).parent / "content").rooms["plaza:square"]
assert SQUARE.layout is not None
VIEW = PlanView(
    SQUARE.id,
    SQUARE.title,
    SQUARE.layout,
    (Avatar("the guard", 6, 2, "npc"), Avatar("alice", 1, 1), Avatar("bob", 5, 1)),
)


def plan(data: object) -> GameApp.Output:
    return GameApp.Output((Reply(Kind.PLAN, "", data),))


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause(0.06)
    await pilot.pause()


class Seconds:
    """A float clock for the widget's bubbles, moved by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_plan_hidden_until_visual_then_drawn_with_labels() -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        assert not app.plan.display or not app.plan.shown
        app.post_message(plan(VIEW))
        await settle(pilot)
        rows = app.plan.plain_rows()
        assert app.plan.region.height == len(rows) == 1 + 6 + 1
        assert rows[2].startswith("██@a")
        assert "@b" in rows[2]
        assert rows[1] == "████████░░████████"  # a wall above: no label over it...
        assert rows[3].startswith("██ali…FFFF")  # ...it goes below, and stops at furniture
        assert "&g" in rows[3]  # "the guard": the name's letter, not the article's
        assert "FF fountain" in rows[-1]
        app.post_message(plan(None))
        await settle(pilot)
        assert not app.plan.shown
        assert app.plan.region.height == 0
        assert app.chat_log.plain_lines() == []  # plan replies never reach the log


async def test_a_layout_right_after_a_style_update_keeps_the_plans_height() -> None:
    """A style update empties the plan's kept rows (to repaint them all); a layout landing
    before the next redraw must still give the plan its height. It once came out 0, and
    nothing laid the plan out again: the visual e2e test lost its plan about one run in
    thirty that way."""
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        app.post_message(plan(VIEW))
        await settle(pilot)
        height = app.plan.region.height
        assert height == 8
        app.plan.notify_style_update()
        app.screen.refresh(layout=True)
        await settle(pilot)
        assert app.plan.region.height == height
        assert "@a" in app.plan.plain_rows()[2]


async def test_a_step_repaints_only_the_changed_cells() -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        app.plan.min_interval = 0
        app.post_message(plan(VIEW))
        await settle(pilot)
        moved = replace(VIEW, avatars=(*VIEW.avatars[:2], Avatar("bob", 4, 1)))
        app.post_message(plan(moved))
        await settle(pilot)
        # bob's square row (his glyph, the guard's label after it) and the row below,
        # where his label was: above him is a wall, below him now the fountain
        assert app.plan.repainted == [Region(8, 2, 7, 1), Region(10, 3, 2, 1)]


async def test_labels_never_show_in_part_behind_a_glyph_and_are_cut_before_the_next() -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        app.plan.min_interval = 0
        # bob stands just south of alice: his label would start under her glyph
        app.post_message(plan(replace(VIEW, avatars=(Avatar("alice", 1, 1), Avatar("bob", 1, 2)))))
        await settle(pilot)
        rows = app.plan.plain_rows()
        assert rows[2].startswith("██@a")
        assert rows[3].startswith("██@b  ")  # not "@ba": alice's label has no room below
        # two neighbours on a row: the left label stops one cell before the right one,
        # and a label with no room for two cells is left out rather than cut to a letter
        app.post_message(plan(replace(VIEW, avatars=(Avatar("alice", 1, 2), Avatar("bob", 2, 2)))))
        await settle(pilot)
        assert app.plan.plain_rows()[2].startswith("██  bob  ")
        # a label never runs on from a glyph just left of it: "@a bob", not "@abob"
        app.post_message(plan(replace(VIEW, avatars=(Avatar("alice", 5, 2), Avatar("bob", 6, 3)))))
        await settle(pilot)
        assert app.plan.plain_rows()[3].endswith("@a bob░░")


async def test_snapshots_in_one_tick_are_coalesced_to_the_newest() -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        app.plan.min_interval = 0
        app.post_message(plan(VIEW))
        await settle(pilot)
        drawn: list[PlanView | None] = []
        original = app.plan.redraw

        def recording() -> None:
            drawn.append(app.plan.view)
            original()

        app.plan.redraw = recording  # type: ignore[method-assign]
        steps = [replace(VIEW, avatars=(Avatar("bob", x, 1),)) for x in range(1, 8)]
        for step in steps:
            app.post_message(plan(step))
        for _ in range(200):  # waits on the app, not on a clock: bounded polling
            if app.plan.view == steps[-1]:
                break
            await pilot.pause(0.01)
        assert app.plan.view == steps[-1]
        # a redraw for a resize may repeat the first view; no step but the last is drawn
        assert {steps.index(view) for view in drawn if view in steps} == {len(steps) - 1}


async def test_plan_repaints_at_most_once_per_min_interval() -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        app.plan.min_interval = 0.3
        app.post_message(plan(VIEW))
        await settle(pilot)
        moved = replace(VIEW, avatars=(Avatar("bob", 7, 1),))
        app.post_message(plan(moved))
        await settle(pilot)
        assert app.plan.view == VIEW  # too soon after the last repaint: still queued
        await pilot.pause(0.35)
        assert app.plan.view == moved  # the throttle timer drew it


async def test_speech_bubble_shows_then_expires_on_the_injected_clock() -> None:
    app = GameApp(FakePort())
    clock = Seconds()
    async with app.run_test(size=SIZE) as pilot:
        app.plan.clock = clock
        app.post_message(plan(VIEW))
        app.post_message(plan(Bubble("bob", "hi [bold]all\x1b[31m")))
        await settle(pilot)
        rows = app.plan.plain_rows()
        assert rows[-1] == "bob: hi [bold]all"  # under the plan, literally
        assert rows[-2] == "bb bench  FF fountain"
        clock.now += 10
        app.plan.expire()
        assert not any("bob: hi" in row for row in app.plan.plain_rows())
        assert app.plan.plain_rows()[-1] == "bb bench  FF fountain"


async def test_long_speech_wraps_under_the_plan_instead_of_being_cut() -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=SIZE) as pilot:
        app.plan.clock = Seconds()
        app.post_message(plan(VIEW))
        words = "the tide is turning and the boats come home before the storm " * 2
        app.post_message(plan(Bubble("bob", words)))
        await settle(pilot)
        rows = app.plan.plain_rows()
        width = app.plan.size.width
        assert rows[-2].startswith("bob: the tide is turning")
        assert len(rows[-2]) > 40
        assert all(len(row) <= width for row in rows)
        assert "before the storm" in rows[-2] + " " + rows[-1]


async def test_arrow_keys_walk_only_in_the_visual_form_with_an_empty_line() -> None:
    port = FakePort()
    app = GameApp(port)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        assert port.submitted == []  # text form: arrows edit and recall as before
        app.post_message(plan(VIEW))
        await settle(pilot)
        await pilot.press("right", "up", "left", "down")
        assert port.submitted == ["walk east", "walk north", "walk west", "walk south"]
        await pilot.press("l", "left")
        assert port.submitted[-1] == "walk south"
        assert app.command.cursor_position == 0


def big_room(width: int = 30, height: int = 16) -> Layout:
    """The largest plan an author may draw: 60 columns, wider than 80x24 leaves for it."""
    wall, floor = Tile("wall", code="#"), Tile("floor", code=".")
    edge = (0, width - 1)
    return Layout(
        tuple(
            tuple(wall if x in edge or y in (0, height - 1) else floor for x in range(width))
            for y in range(height)
        )
    )


async def test_a_plan_bigger_than_its_space_follows_the_viewer() -> None:
    app = GameApp(FakePort())  # the viewer is alice
    async with app.run_test(size=(80, 24)) as pilot:
        app.plan.min_interval = 0
        far = PlanView("x:big", "Big", big_room(), (Avatar("alice", 27, 13), Avatar("bob", 2, 2)))
        app.post_message(plan(far))
        await settle(pilot)
        await settle(pilot)
        assert app.plan.size.width == 50
        assert app.plan.size.height < len(app.plan.plain_rows()) == 18  # 60% of the screen at most
        shown = app.plan.visible_rows()
        assert len(shown) == app.plan.size.height
        assert any("@a" in row for row in shown)
        assert any("ali…██" in row for row in shown)  # her name too, cut at the wall
        assert not any("@b" in row for row in shown)  # bob is off in the far corner
        # one step left stays inside the margin: the window does not move with every step
        origin = app.plan._origin
        app.post_message(plan(replace(far, avatars=(Avatar("alice", 26, 13), far.avatars[1]))))
        await settle(pilot)
        assert app.plan._origin == origin
        # walking over to bob brings the window along
        app.post_message(plan(replace(far, avatars=(Avatar("alice", 3, 3), far.avatars[1]))))
        await settle(pilot)
        shown = app.plan.visible_rows()
        assert any("@a" in row for row in shown)
        assert any("@b" in row for row in shown)


def test_follow_keeps_the_window_until_the_target_nears_an_edge() -> None:
    assert follow(0, 10, 14, 50, 40, 4) == 0  # the plan fits: no window at all
    assert follow(0, 10, 14, 20, 60, 4) == 0
    assert follow(0, 14, 18, 20, 60, 4) == 6  # too near the right edge: centred
    assert follow(6, 12, 16, 20, 60, 4) == 6  # inside the margins: stays
    assert follow(6, 56, 60, 20, 60, 4) == 40  # never past the plan's end
    assert follow(40, 58, 60, 20, 60, 4) == 40  # at the plan's own edge: fine there


def test_plan_snapshot(snap_compare: Callable[..., bool]) -> None:
    app = GameApp(FakePort())

    async def show(pilot: Pilot[None]) -> None:
        app.plan.clock = FakeClock()  # bubbles never expire during the snapshot
        app.post_message(plan(VIEW))
        app.post_message(plan(Bubble("bob", "Lovely fountain!")))
        app.post_message(GameApp.Output((Reply(Kind.SAY, 'bob says, "Lovely fountain!"'),)))
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=SIZE, run_before=show)


def test_filtering_the_role_styles_once_equals_filtering_every_strip() -> None:
    styles = {
        "floor": Style(color="red", bgcolor="blue"),
        "label": Style(color=RichColor.from_rgb(9, 9, 9), dim=True),
        "self": Style(color="bright_green", reverse=True, bold=True),
    }
    row = [("a", "floor"), ("b", "floor"), ("c", "label"), ("d", "self"), ("e", "floor")]
    background = Color(10, 20, 30)
    filters = [(ANSIToTruecolor(MONOKAI), background), (DimFilter(), background)]
    filtered = build_strip(row, styles)
    for line_filter, bg in filters:
        filtered = filtered.apply_filter(line_filter, bg)
    assert list(build_strip(row, filtered_styles(styles, filters))) == list(filtered)
    assert filtered_styles(styles, []) is styles
