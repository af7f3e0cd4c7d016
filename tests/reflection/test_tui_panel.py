"""The growth panel in the TUI: F2 asks for `growth`; a growth reply opens the panel."""

from __future__ import annotations

from game.core.reply import Kind, Reply
from game.fronts.tui.app import GameApp
from game.fronts.tui.growth import GrowthPanel
from reflection.sheet import GrowthSheet
from tests.game.fronts.tui.fakes import FakePort

SHEET = GrowthSheet((("Play style", ("explorer (explore 90%).",)), ("Suggestion", ("[b]x[/b]",))))


async def test_tui_f2_submits_growth_and_reply_opens_panel() -> None:
    port = FakePort()
    app = GameApp(port)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        assert port.submitted == ["growth"]
        app.post_message(GameApp.Output((Reply(Kind.INFO, "\n".join(SHEET.lines()), SHEET),)))
        await pilot.pause(0.06)
        await pilot.pause()
        assert isinstance(app.screen, GrowthPanel)
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "explorer (explore 90%)." in text
        assert "[b]x[/b]" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, GrowthPanel)


async def test_growth_panel_fits_its_text_and_typing_goes_back_to_the_prompt() -> None:
    app = GameApp(FakePort())
    async with app.run_test(size=(100, 30)) as pilot:
        app.post_message(GameApp.Output((Reply(Kind.INFO, "\n".join(SHEET.lines()), SHEET),)))
        await pilot.pause(0.06)
        await pilot.pause()
        assert isinstance(app.screen, GrowthPanel)
        box = app.screen.query_one("VerticalScroll")
        assert box.size.height <= 10  # a title and two short sections, not 80% of 30 rows
        assert box.size.width < 60
        await pilot.press(*"look")
        await pilot.pause()
        assert not isinstance(app.screen, GrowthPanel)
        assert app.command.value == "look"
