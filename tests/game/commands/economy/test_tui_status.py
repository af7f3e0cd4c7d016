"""The TUI status bar shows the balance and updates live after every change, through the
real TuiSession front end (headless Textual, no SSH)."""

from __future__ import annotations

from textual.pilot import Pilot

from economy import Reason
from game.engine.game import Game
from game.fronts.tui.runner import TuiSession
from tests.game.commands.economy.conftest import player, rules
from tests.game.fronts.tui.fakes import FakeChannel


async def settle(pilot: Pilot[None]) -> None:
    """Long enough for the app's coalesced flush (one tick) and the repaint after it."""
    await pilot.pause(0.06)
    await pilot.pause()


async def test_status_bar_follows_every_balance_change(econ: Game) -> None:
    rules(econ, first_visit=0)
    econ.ensure_account("ana")
    session = econ.connect("ana", FakeChannelFrontEnd(), kind="tui")  # type: ignore[arg-type]
    tui = TuiSession(session, FakeChannel(), size=(100, 30))
    session.front_end = tui
    bob, _ = player(econ, "bob", 20)
    app = tui.app
    assert app is not None
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "10 tokens" in app.status_line.text  # the daily bonus paid on connect
        bob.submit("pay ana 7")  # another player's action
        await settle(pilot)
        assert "17 tokens" in app.status_line.text
        session.submit("premium buy")  # 40 needed: refused, nothing changes
        econ.wallet.credit("ana", 30, Reason.ADMIN_GRANT, "grant")
        await settle(pilot)
        assert "47 tokens | free | 3 priced actions left today" in app.status_line.text
        session.submit("premium buy")
        await settle(pilot)
        assert app.status_line.text.endswith(
            "7 tokens | premium | health [##########] 20/20 stamina 10/10"
        )


class FakeChannelFrontEnd:
    """Stands in until the TuiSession exists, as the SSH layer's placeholder does."""

    def deliver(self, replies: object) -> None: ...
    def set_room(self, view: object) -> None: ...
    def set_status(self, status: object) -> None: ...
    def close(self, reason: str) -> None: ...
