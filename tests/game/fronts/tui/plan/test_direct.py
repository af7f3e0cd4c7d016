"""Plan frames painted straight to the terminal (game/fronts/tui/direct.py), read back through a
terminal emulator (pyte): what the player's screen shows must be what the plan holds,
whichever way each frame went out."""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace

import pyte
import pytest
from textual.geometry import Region
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from game.core.reply import Kind, Reply
from game.fronts.tui import plan as plan_module
from game.fronts.tui.app import GameApp
from game.fronts.tui.direct import paint_spans
from game.fronts.tui.runner import TuiFactory, TuiSession
from game.fronts.tui.textual_private import layout_pending
from game.world.layout import Avatar, PlanView
from tests.game.fronts.tui.fakes import FakeChannel, FakePort
from tests.game.fronts.tui.plan.test_plan import SIZE, VIEW, big_room
from tests.game.fronts.tui.test_driver import wait_for

BOB_EAST = replace(VIEW, avatars=(*VIEW.avatars[:2], Avatar("bob", 6, 1)))
BOB_SOUTH = replace(VIEW, avatars=(*VIEW.avatars[:2], Avatar("bob", 6, 3)))


def on_screen(channel: FakeChannel, size: tuple[int, int] = SIZE) -> list[str]:
    """The terminal's rows after everything written so far."""
    screen = pyte.Screen(*size)
    pyte.Stream(screen).feed(channel.text())
    return list(screen.display)


def plan_area(channel: FakeChannel, app: GameApp) -> list[str]:
    region = app.plan.region
    rows = on_screen(channel, (app.size.width, app.size.height))[region.y : region.bottom]
    return [row[region.x : region.right].rstrip() for row in rows]


@asynccontextmanager
async def shown(
    view: PlanView,
    name: str = "alice",
    factory: TuiFactory | None = None,
    size: tuple[int, int] = SIZE,
) -> AsyncIterator[tuple[TuiSession, GameApp, FakeChannel]]:
    """A real TUI session on a byte-collecting channel, showing ``view`` on its plan."""
    channel = FakeChannel()
    tui = (factory or TuiFactory()).session(FakePort(name=name), channel, size=size)
    task = asyncio.create_task(tui.run())
    await wait_for(lambda: tui.link.ready)
    app = tui.app
    assert app is not None
    app.plan.min_interval = 0
    tui.deliver([Reply(Kind.PLAN, "", view)])

    def drawn() -> bool:
        rows = app.plan.visible_rows()
        return app.plan.region.height == len(rows) > 0 and plan_area(channel, app) == rows

    await wait_for(drawn)
    await wait_for(lambda: not layout_pending(app.screen))  # the plan's own relayout settles
    try:
        yield tui, app, channel
    finally:
        tui.close("bye")
        await asyncio.wait_for(task, 6)


async def test_a_step_is_painted_directly_and_the_screen_matches_the_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with shown(VIEW) as (tui, app, channel):
        frames: list[str] = []

        def recorded(widget: Widget, spans: Sequence[tuple[Region, Strip]]) -> bool:
            start = len(channel.data)
            painted = paint_spans(widget, spans)
            frames.append(channel.text(start))
            return painted

        monkeypatch.setattr(plan_module, "paint_spans", recorded)
        tui.deliver([Reply(Kind.PLAN, "", BOB_EAST)])
        await wait_for(lambda: app.plan.direct_frames == 1)
        # bob's glyph and label rows only (a wall above him: his label is below), two
        # spans of a few cells, then the cursor back
        moves = re.findall(r"\x1b\[(\d+);(\d+)H", frames[-1])
        top, left = app.plan.region.y + 1, app.plan.region.x + 1
        assert moves[:2] == [(str(top + 2), str(left + 10)), (str(top + 3), str(left + 10))]
        assert len(moves) == 3, frames  # the two spans, then the cursor back where it was
        assert len(frames[-1]) < 300, frames
        assert plan_area(channel, app) == app.plan.visible_rows()
        assert "@b" in app.plan.visible_rows()[2]


async def test_after_many_direct_frames_the_screen_still_matches_the_plan() -> None:
    layout = VIEW.layout
    floor = [(x, y) for x, y, tile in layout.cells() if tile.kind == "floor"]
    rng = random.Random(5)
    names = ["ana", "bo", "cy", "dee-dee the long-named", "ed"]
    async with shown(VIEW) as (tui, app, channel):
        for step in range(40):
            spots = rng.sample(floor, len(names))
            people = tuple(Avatar(n, x, y) for n, (x, y) in zip(names, spots, strict=True))
            tui.deliver([Reply(Kind.PLAN, "", replace(VIEW, avatars=people))])
            await wait_for(lambda n=step: app.plan.direct_frames == n + 1)
        assert plan_area(channel, app) == app.plan.visible_rows()


async def test_a_covered_plan_is_left_to_the_compositor() -> None:
    async with shown(VIEW) as (tui, app, channel):
        cover = Static("COVER", id="cover")
        cover.styles.position = "absolute"
        cover.styles.offset = (app.plan.region.x + 8, app.plan.region.y + 1)
        cover.styles.width = 5
        cover.styles.height = 2
        await app.screen.mount(cover)
        await wait_for(lambda: "COVER" in "".join(on_screen(channel)))
        tui.deliver([Reply(Kind.PLAN, "", BOB_SOUTH)])
        await wait_for(lambda: app.plan.view == BOB_SOUTH)
        await wait_for(lambda: "@b" in plan_area(channel, app)[4])
        assert app.plan.direct_frames == 0
        assert "COVER" in "".join(on_screen(channel))  # still on top: nothing painted over it


async def test_under_a_modal_screen_nothing_is_painted_until_it_closes() -> None:
    async with shown(VIEW) as (tui, app, channel):
        await app.push_screen(ModalScreen())
        before = len(channel.data)
        tui.deliver([Reply(Kind.PLAN, "", BOB_EAST)])
        await wait_for(lambda: app.plan.view == BOB_EAST)
        assert app.plan.direct_frames == 0
        assert "@b" not in channel.text(before)
        app.pop_screen()
        await wait_for(lambda: plan_area(channel, app) == app.plan.visible_rows())


async def test_viewers_of_one_server_share_every_row_but_their_own() -> None:
    factory = TuiFactory()
    async with (
        shown(VIEW, "alice", factory) as (_, alice, _),
        shown(VIEW, "carol", factory) as (_, carol, _),
    ):
        pairs = list(zip(alice.plan._rows, carol.plan._rows, strict=True))
        assert [a.strip is c.strip for a, c in pairs] == [y != 2 for y in range(len(pairs))]
        assert ("@", "self") in pairs[2][0].cells  # alice's own glyph is drawn as hers
        assert ("@", "self") not in pairs[2][1].cells


async def test_a_window_on_a_big_plan_is_painted_where_it_shows() -> None:
    far = PlanView("x:big", "Big", big_room(), (Avatar("alice", 27, 13), Avatar("bob", 20, 12)))
    async with shown(far, size=(80, 24)) as (tui, app, channel):
        await wait_for(lambda: app.plan._origin != (0, 0))  # laid out: the window is on alice
        await wait_for(lambda: plan_area(channel, app) == app.plan.visible_rows())
        for x in (21, 22, 23, 22):  # bob walks about inside alice's window
            step = replace(far, avatars=(far.avatars[0], Avatar("bob", x, 12)))
            tui.deliver([Reply(Kind.PLAN, "", step)])
            await wait_for(lambda s=step: app.plan.view == s)
            await wait_for(lambda: plan_area(channel, app) == app.plan.visible_rows())
        assert app.plan.direct_frames >= 3
        home = replace(far, avatars=(Avatar("alice", 2, 2), Avatar("bob", 22, 12)))
        tui.deliver([Reply(Kind.PLAN, "", home)])  # alice walks far: the window follows
        await wait_for(lambda: app.plan._origin == (0, 0))
        await wait_for(lambda: plan_area(channel, app) == app.plan.visible_rows())
