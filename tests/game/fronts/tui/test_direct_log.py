"""Log lines painted straight to the terminal (ChatLog._paint_end), read back through a
terminal emulator (pyte): after any sequence of events and sizes, the player's screen must
be exactly what a full compositor repaint draws, cell by cell, colours and attributes
included."""

from __future__ import annotations

import asyncio
import codecs
import random
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace

import pyte
import pytest
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from game.core.reply import Kind, Reply, StatusView
from game.fronts.tui import prompt
from game.fronts.tui.app import GameApp
from game.fronts.tui.direct import paint_spans
from game.fronts.tui.runner import TuiSession
from tests.game.fronts.tui.fakes import GARDEN, HALL, FakeChannel, FakePort
from tests.game.fronts.tui.plan.test_plan import VIEW
from tests.game.fronts.tui.test_driver import wait_for

Cell = tuple[object, ...]


class Terminal:
    """A pyte screen fed with everything the session writes, resized along with it."""

    def __init__(self, channel: FakeChannel, size: tuple[int, int]) -> None:
        self.channel = channel
        self.screen = pyte.Screen(*size)
        self.stream = pyte.Stream(self.screen)
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.fed = 0

    def catch_up(self) -> None:
        data = bytes(self.channel.data[self.fed :])
        self.fed += len(data)
        self.stream.feed(self.decoder.decode(data))

    def resize(self, cols: int, rows: int) -> None:
        self.catch_up()
        self.screen.resize(rows, cols)

    def cells(self) -> list[list[Cell]]:
        self.catch_up()
        screen = self.screen
        return [
            [
                (c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.reverse, c.strikethrough)
                for c in (screen.buffer[y][x] for x in range(screen.columns))
            ]
            for y in range(screen.lines)
        ]

    def rows(self) -> list[str]:
        self.catch_up()
        return list(self.screen.display)


async def settled(channel: FakeChannel, app: GameApp) -> None:
    """Wait until the app has nothing queued and has written nothing new for a while."""
    await wait_for(lambda: app._flush_handle is None and not app._pending_lines)
    seen, quiet = len(channel.data), 0
    while quiet < 5:
        await asyncio.sleep(0.01)
        quiet = quiet + 1 if len(channel.data) == seen else 0
        seen = len(channel.data)


async def full_repaint_matches(terminal: Terminal, channel: FakeChannel, app: GameApp) -> None:
    """What the terminal shows now equals what a full compositor repaint then draws."""
    await settled(channel, app)
    before = terminal.cells()
    app.screen.refresh()
    await settled(channel, app)
    after = terminal.cells()
    diff = [y for y, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert not diff, [(y, terminal.rows()[y]) for y in diff]


@asynccontextmanager
async def session(
    size: tuple[int, int] = (100, 30), term: str = "xterm-256color"
) -> AsyncIterator[tuple[TuiSession, GameApp, FakeChannel, Terminal]]:
    channel = FakeChannel()
    tui = TuiSession(FakePort(), channel, size=size, term=term)
    task = asyncio.create_task(tui.run())
    await wait_for(lambda: tui.link.ready)
    app = tui.app
    assert app is not None
    terminal = Terminal(channel, size)
    try:
        await settled(channel, app)
        yield tui, app, channel, terminal
    finally:
        tui.close("bye")
        await asyncio.wait_for(task, 6)


async def test_a_line_while_following_is_painted_directly_and_matches_a_full_repaint() -> None:
    async with session() as (tui, app, channel, terminal):
        for n in range(40):  # past the log's height: every later line scrolls it
            before = app.chat_log.direct_frames
            tui.deliver([Reply(Kind.SAY, f"bob says: line {n}")])
            await wait_for(lambda b=before: app.chat_log.direct_frames == b + 1)
        assert any("bob says: line 39" in row for row in terminal.rows())
        await full_repaint_matches(terminal, channel, app)


@pytest.mark.parametrize("size", [(100, 30), (70, 24)])  # with the room panel, and narrow
async def test_a_scrolling_log_is_scrolled_by_the_terminal_and_only_new_cells_are_sent(
    size: tuple[int, int],
) -> None:
    async with session(size=size) as (tui, app, channel, terminal):
        tui.set_room(HALL)  # a panel with text beside the log: its rows move too
        for n in range(40):
            tui.deliver([Reply(Kind.SAY, f"bob says: line {n}")])
            await settled(channel, app)
        sent = len(channel.data)
        tui.deliver([Reply(Kind.SAY, "bob says: one more")])
        await settled(channel, app)
        frame = bytes(channel.data[sent:]).decode()
        log = app.chat_log.region
        assert f"\x1b[{log.y + 1};{log.bottom}r" in frame  # the log's rows as the region
        assert "\x1b[1M" in frame  # deleting its top line scrolls it by one
        assert frame.count("bob says") == 1  # no line already on screen is sent again
        assert len(frame) < 1500
        assert "bob says: one more" in terminal.rows()[log.bottom - 1]
        await full_repaint_matches(terminal, channel, app)


async def test_keys_typed_repaint_the_prompt_directly_and_match_a_full_repaint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    painted: list[bool] = []

    def counted(widget: Widget, spans: Sequence[tuple[Region, Strip]]) -> bool:
        done = paint_spans(widget, spans)
        painted.append(done)
        return done

    monkeypatch.setattr(prompt, "paint_spans", counted)
    async with session() as (tui, app, channel, terminal):
        for key in [b"l", b"o", b"o", b"k", b" ", b"\x7f", b"\x1b[D", b"a"]:
            before = len(painted)
            tui.feed(key)
            await wait_for(lambda b=before: len(painted) > b)
            await full_repaint_matches(terminal, channel, app)
        assert app.command.value == "looak"
        assert all(painted), painted
        assert any("looak" in row for row in terminal.rows())


async def test_a_covered_log_is_left_to_the_compositor() -> None:
    async with session() as (tui, app, channel, terminal):
        tui.deliver([Reply(Kind.INFO, "growth coming")])
        await settled(channel, app)
        frames = app.chat_log.direct_frames
        app.notify("a toast over the log", timeout=60)  # a toast covers part of the log
        await settled(channel, app)
        tui.deliver([Reply(Kind.SAY, "bob says: under the toast")])
        await wait_for(lambda: "bob says: under the toast" in app.chat_log.plain_lines()[-1])
        await settled(channel, app)
        assert app.chat_log.direct_frames == frames
        assert any("bob says: under the toast" in row for row in terminal.rows())


WORDS = [
    "bob says: hello",
    "the quick brown fox jumps over the lazy dog " * 3,  # wraps
    "日本語のテキスト and a 🐟 fish",  # wide characters
    "[bold]not markup[/bold] stays literal",
    "ana emotes: waves",
    "",
]
KINDS = [Kind.SAY, Kind.INFO, Kind.ERROR, Kind.MOVE, Kind.ECONOMY, Kind.SYSTEM]
KEYS = {"pageup": b"\x1b[5~", "pagedown": b"\x1b[6~", "end": b"\x1b[F"}
TYPING = [b"l", b"o", b"k", b" ", b"\x7f", b"\x1b[D", b"\x1b[C", b"\t", b"\x1b[A", b"\r", b"x" * 90]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_random_events_and_sizes_leave_the_screen_a_full_repaint_would_draw(
    seed: int,
) -> None:
    rng = random.Random(seed)
    async with session() as (tui, app, channel, terminal):
        for _ in range(60):
            event = rng.choice(["lines"] * 6 + ["status", "room", "resize", "key", "plan", "burst"])
            if event in ("lines", "burst"):
                for _ in range(rng.randint(1, 3) if event == "lines" else rng.randint(8, 30)):
                    kind, text = rng.choice(KINDS), rng.choice(WORDS)
                    tui.deliver([Reply(kind, text or "…")])
            elif event == "status":
                tokens = rng.randint(0, 999)
                tui.set_status(StatusView("alice", "The Great Hall", tokens, "free", 3))
            elif event == "room":
                tui.set_room(rng.choice([HALL, GARDEN, replace(HALL, people=("bob", "cy"))]))
            elif event == "resize":
                cols, rows = rng.randint(60, 140), rng.randint(16, 45)
                terminal.resize(cols, rows)
                tui.resize(cols, rows)
            elif event == "key":
                tui.feed(KEYS[rng.choice(list(KEYS))])
            elif event == "type":
                for _ in range(rng.randint(1, 6)):
                    tui.feed(rng.choice(TYPING))
            else:
                tui.deliver([Reply(Kind.PLAN, "", VIEW)])
            await full_repaint_matches(terminal, channel, app)
        assert app.chat_log.direct_frames > 0


async def test_a_line_that_fits_renders_as_rich_would_render_it() -> None:
    samples = [
        "",
        "bob says: hello",
        "x" * 67,
        "trailing spaces   ",
        "  leading spaces",
        "日本語のテキスト and a 🐟 fish",
        "[bold]not markup[/bold]",
        "café, naïve, Ærø",
        "e\u0301 combining",
    ]
    async with session() as (_, app, _channel, _terminal):
        log = app.chat_log
        _, roles = log._styles()
        for role in roles:
            style = roles[role]
            for text in samples:
                if text.isprintable():
                    rich = log._strips_of(log._rich_rows(text, style))
                    assert log._render_strips(role, text) == rich, (role, text)


async def test_a_newer_room_view_wins_over_a_look_queued_before_it() -> None:
    async with session() as (tui, app, channel, _terminal):
        crowded, empty = replace(HALL, people=("bob", "cy")), replace(HALL, people=())
        tui.deliver([Reply.room(crowded)])  # a look's reply, then bob and cy leave
        tui.set_room(empty)
        await settled(channel, app)
        assert app.room_panel.view == empty
