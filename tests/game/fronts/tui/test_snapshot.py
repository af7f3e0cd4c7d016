"""What the main screen looks like (pytest-textual-snapshot; --snapshot-update to accept)."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from game.core.reply import Kind, Reply
from game.fronts.tui.app import GameApp
from tests.game.fronts.tui.fakes import HALL, FakePort

REPLIES = (
    Reply.room(HALL),
    Reply(Kind.SAY, "bob says: Hello! Mind the [bold]markup[/bold]."),
    Reply(Kind.EMOTE, "bob waves."),
    Reply(Kind.TELL, "carol tells you: meet me in the garden"),
    Reply(Kind.ECONOMY, "You paid 2 tokens."),
    Reply.error("You can't go that way."),
    Reply(Kind.SYSTEM, "Type quit to leave."),
)


def test_main_screen(snap_compare: Callable[..., bool]) -> None:
    app = GameApp(FakePort())

    async def deliver(pilot: Pilot[None]) -> None:
        app.post_message(GameApp.Output(REPLIES))
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(100, 30), run_before=deliver)
