"""TuiSession with the real SSHDriver over a fake channel: bytes in, bytes out."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from textual import events
from textual.message import Message
from textual.strip import Strip

from game.core.reply import Kind, Reply
from game.fronts.tui import driver as driver_module
from game.fronts.tui import runner
from game.fronts.tui.output import QUIT_HINT
from game.fronts.tui.runner import TuiFactory, TuiSession
from game.fronts.tui.terminal import LEAVE_APPLICATION_MODE, color_system_for
from tests.game.fronts.tui.fakes import GARDEN, FakeChannel, FakePort


async def wait_for(condition: Callable[[], bool], within: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def started(
    size: tuple[int, int] = (100, 30), term: str = "xterm-256color"
) -> tuple[TuiSession, FakePort, FakeChannel, asyncio.Task[None]]:
    port, channel = FakePort(), FakeChannel()
    tui = TuiSession(port, channel, size=size, term=term)
    task = asyncio.create_task(tui.run())
    await wait_for(lambda: tui.link.driver is not None and "sshrealm" in channel.text())
    return tui, port, channel, task


async def test_keys_in_screen_out_and_goodbye() -> None:
    port, channel = FakePort(), FakeChannel()
    tui = TuiSession(port, channel, size=(100, 30))
    tui.feed(b"lo")  # typed before the app is ready: kept, not lost
    tui.deliver([Reply.info("Welcome back, alice.")])  # delivered before run(): kept too
    task = asyncio.create_task(tui.run())
    await wait_for(lambda: "Welcome back, alice." in channel.text())
    tui.feed(b"ok\r")
    await wait_for(lambda: port.submitted == ["look"])

    tui.deliver([Reply.room(GARDEN)])
    await wait_for(lambda: "The Rose Garden" in channel.text())
    assert channel.text().startswith("\x1b[?1049h")  # alternate screen first

    app = tui.app
    assert app is not None
    tui.feed(b"\x03\x11")  # Ctrl-C, Ctrl-Q
    await wait_for(lambda: app.chat_log.plain_lines()[-2:] == [QUIT_HINT, QUIT_HINT])
    assert app.is_running
    tui.resize(80, 24)
    await wait_for(lambda: app.size == (80, 24) and app.chat_log.size.width == 80 - 30 - 2)

    tui.close("Goodbye.")
    await asyncio.wait_for(task, 6)
    assert channel.text().endswith(LEAVE_APPLICATION_MODE + "Goodbye.\r\n")
    assert channel.closed
    assert tui.app is None


async def test_frontend_calls_after_the_end_are_ignored() -> None:
    tui, _, channel, task = await started()
    tui.close("bye")
    tui.close("twice")
    await asyncio.wait_for(task, 6)
    tui.deliver([Reply.info("late")])
    tui.set_room(GARDEN)
    tui.feed(b"late\r")
    assert channel.text().endswith("bye\r\n")


async def test_close_before_run_still_restores_and_closes() -> None:
    channel = FakeChannel()
    tui = TuiSession(FakePort(), channel, size=(100, 30))
    tui.close("Taken over by a new login.")
    await asyncio.wait_for(tui.run(), 2)
    assert channel.text() == "Taken over by a new login.\r\n"
    assert channel.closed


async def test_lone_escape_becomes_an_escape_key(monkeypatch: pytest.MonkeyPatch) -> None:
    tui, _, _, task = await started()
    driver = tui.link.driver
    assert driver is not None
    keys: list[str] = []
    send = driver.send_message

    def spy(message: Message) -> None:
        if isinstance(message, events.Key):
            keys.append(message.key)
        send(message)

    monkeypatch.setattr(driver, "send_message", spy)
    tui.feed(b"\x1b")
    assert keys == []  # could still be the start of a sequence
    await wait_for(lambda: keys == ["escape"], within=1)
    tui.feed(b"\x1b[A\x1b[97;5u")  # arrow up, then a kitty-protocol ctrl+a
    assert keys == ["escape", "up", "ctrl+a"]
    tui.close("bye")
    await task


async def test_slow_client_drops_frames_then_repaints_fully(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(driver_module, "DRAIN_CHECK", 0.05)
    tui, _, channel, task = await started()
    driver = tui.link.driver
    assert driver is not None
    channel.queued = driver_module.HIGH_WATER + 1
    before = len(channel.data)
    tui.deliver([Reply.info("while congested")])
    await wait_for(lambda: driver.frames_dropped > 0)
    assert len(channel.data) == before
    channel.queued = 0
    await wait_for(lambda: "while congested" in channel.text())
    assert "sshrealm" in channel.text(since=before)  # the whole screen, not just the change
    tui.close("bye")
    await task


async def test_stuck_app_is_cancelled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "HARD_CANCEL_AFTER", 0.1)
    tui, _, channel, task = await started()
    app = tui.app
    assert app is not None
    monkeypatch.setattr(app, "exit", lambda *args, **kwargs: None)  # refuses to exit
    tui.close("bye")
    await asyncio.wait_for(task, 3)
    assert channel.closed
    assert channel.text().endswith("bye\r\n")


async def test_cancelling_run_takes_the_app_down() -> None:
    tui, _, channel, task = await started()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert channel.closed
    assert LEAVE_APPLICATION_MODE in channel.text()
    assert tui.app is None


async def test_broken_channel_does_not_crash_the_app() -> None:
    tui, _, channel, task = await started()
    channel.closed = True  # writes now raise BrokenPipeError
    app = tui.app
    assert app is not None
    tui.deliver([Reply.info("nobody hears this")])
    await wait_for(lambda: "nobody hears this" in app.chat_log.plain_lines())
    await asyncio.wait_for(app.screen.wait_for_refresh(), 5)  # a frame was written to the dead pipe
    assert app.is_running
    tui.close("gone")
    await asyncio.wait_for(task, 6)


@pytest.mark.parametrize(
    ("term", "colorterm", "expected"),
    [
        ("xterm-256color", None, "256"),
        ("xterm-256color", "truecolor", "truecolor"),
        ("xterm-direct", None, "truecolor"),
        ("xterm-kitty", None, "truecolor"),
        ("xterm", None, "standard"),
        ("screen", None, "standard"),
        (None, None, "standard"),
    ],
)
def test_colour_system_comes_from_the_client(
    term: str | None, colorterm: str | None, expected: str
) -> None:
    assert color_system_for(term, colorterm) == expected


async def test_truecolor_session_sends_24_bit_colour() -> None:
    tui, _, channel, task = await started(term="xterm-direct")
    assert "38;2;" in channel.text()
    assert "38;5;" not in channel.text()
    tui.close("bye")
    await task


async def test_each_session_keeps_its_own_colour_depth() -> None:
    rich, _, rich_channel, rich_task = await started(term="xterm-direct")
    plain, _, plain_channel, plain_task = await started(term="xterm")  # same styles, later
    assert "38;2;" in rich_channel.text()
    for code in ("38;2;", "48;2;", "38;5;", "48;5;"):
        assert code not in plain_channel.text()
    rich.close("bye")
    plain.close("bye")
    await asyncio.gather(rich_task, plain_task)


async def test_pasted_commands_are_submitted_one_by_one() -> None:
    # A paste arrives as one chunk: the keys after the first Enter are typed before the app
    # handles that Enter's Submitted message, so the line must be taken at Enter time.
    tui, port, _, task = await started()
    tui.feed(b"look\rsay hi\r")
    await wait_for(lambda: len(port.submitted) >= 2, within=2)
    app = tui.app
    assert app is not None
    await asyncio.wait_for(app.screen.wait_for_refresh(), 5)  # everything queued has been handled
    assert port.submitted == ["look", "say hi"]
    assert app.command.value == ""
    tui.close("bye")
    await task


async def test_sessions_of_one_server_share_rendered_lines_but_not_colour_depth() -> None:
    sessions = TuiFactory(tick_ms=30)
    runs = []
    for term in ("xterm-256color", "xterm-256color", "xterm-direct", "xterm"):
        port, channel = FakePort(), FakeChannel()
        tui = sessions.session(port, channel, size=(100, 30), term=term)
        runs.append((tui, channel, asyncio.create_task(tui.run())))
    await wait_for(lambda: all(tui.link.driver is not None for tui, _, _ in runs))
    marks = [len(channel.data) for _, channel, _ in runs]
    say = Reply(Kind.SAY, 'bob says: "the same line for everyone"')
    for tui, _, _ in runs:
        tui.deliver([say])
    await wait_for(lambda: all("the same line for" in channel.text() for _, channel, _ in runs))

    def strips(tui: TuiSession) -> list[Strip]:
        assert tui.app is not None
        log = tui.app.chat_log
        return [s for s in log._strips if "the same line" in s.text]

    first, second, rich, plain = (strips(tui) for tui, _, _ in runs)
    assert first
    assert first[0] is second[0]  # same look: rendered once, shared
    assert rich[0] is not first[0]  # other colour depths never share a strip
    assert plain[0] is not first[0]
    assert plain[0] is not rich[0]
    assert sessions.line_cache.hits >= 1
    texts = [channel.text(mark) for (_, channel, _), mark in zip(runs, marks, strict=True)]
    assert "38;5;" in texts[1]
    assert "38;2;" in texts[2]
    for code in ("38;2;", "48;2;", "38;5;", "48;5;"):
        assert code not in texts[3]
    for tui, _, _ in runs:
        tui.close("bye")
    await asyncio.gather(*(task for _, _, task in runs))
