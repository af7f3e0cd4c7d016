"""The admin console under Textual's headless Pilot, over a real Game and Session."""

from __future__ import annotations

from collections.abc import Sequence

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static, TabbedContent

from game.core.reply import Reply, RoomView, StatusView
from game.engine.game import Game
from game.engine.session import Session
from game.fronts.tui.admin import AdminScreen
from game.fronts.tui.app import GameApp
from tests.conftest import join

SIZE = (120, 36)


class AppFront:
    """The FrontEnd half of a TUI session: everything goes to the app as a message."""

    def __init__(self) -> None:
        self.app: GameApp | None = None
        self.closed: str | None = None

    def deliver(self, replies: Sequence[Reply]) -> None:
        if self.app is not None:  # before the app exists (while connecting) nothing shows
            self.app.post_message(GameApp.Output(tuple(replies)))

    def set_room(self, view: RoomView) -> None:
        if self.app is not None:
            self.app.post_message(GameApp.RoomChanged(view))

    def set_status(self, status: StatusView) -> None:
        if self.app is not None:
            self.app.post_message(GameApp.StatusChanged(status))

    def close(self, reason: str) -> None:
        self.closed = reason


def tui(game: Game, name: str) -> tuple[Session, GameApp]:
    game.ensure_account(name)
    front = AppFront()
    session = game.connect(name, front, kind="tui")
    app = GameApp(session)
    front.app = app
    return session, app


async def settle(pilot: Pilot[None]) -> None:
    await pilot.pause(0.06)
    await pilot.pause()


def result_text(app: GameApp) -> str:
    return str(app.screen.query_one("#result", Static).render())


async def test_f9_opens_console_and_grant_runs_through_engine(game: Game) -> None:
    game.ensure_account("root")
    game.store.set_role("root", "admin")
    _, bob_screen = join(game, "bob")
    before = game.wallet.balance("bob")
    _, app = tui(game, "root")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, AdminScreen)
        table = app.screen.query_one("#player-table", DataTable)
        assert table.row_count == 2
        assert [str(c) for c in table.get_row_at(0)][:3] == ["bob", "Town Square", "free"]
        await pilot.press("g")  # bob is the selected row
        action = app.screen.query_one("#action", Input)
        assert action.value == "@grant bob "
        await pilot.press(*"12 helped a newcomer", "enter")
        await settle(pilot)
        assert "\nGranted 12 tokens to bob" in result_text(app)
        assert str(table.get_row_at(0)[3]) == str(before + 12)
        assert "An admin granted you 12 tokens: helped a newcomer" in bob_screen.text
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, AdminScreen)
    rows = game.conn.execute("SELECT actor, action, target, reason FROM audit_log").fetchall()
    assert rows == [("root", "grant", "bob", "helped a newcomer")]


async def test_console_tabs_show_reports_and_server(game: Game) -> None:
    game.ensure_account("root")
    game.store.set_role("root", "admin")
    _, app = tui(game, "root")
    async with app.run_test(size=SIZE) as pilot:
        app.port.submit("admin")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AdminScreen)
        economy = str(screen.query_one("#economy-text", Static).render())
        assert economy.startswith("No economy report yet")
        server = str(screen.query_one("#server-text", Static).render())
        assert server.startswith("Sessions: 1 (1 full-screen, 0 line).")
        screen.query_one("#action", Input).focus()
        await pilot.press(*"@kick nobody", "enter")  # typed letters are not shortcuts here
        await settle(pilot)
        assert result_text(app).endswith("'nobody' is not online. Nothing was done.")


async def test_player_f9_is_refused_by_the_engine(game: Game) -> None:
    _, app = tui(game, "eve")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f9")
        await settle(pilot)
        assert not isinstance(app.screen, AdminScreen)
        assert "Permission denied: admin is for admins." in app.chat_log.plain_lines()


async def test_typing_on_the_table_goes_to_the_action_line_never_to_a_hotkey(game: Game) -> None:
    game.ensure_account("root")
    game.store.set_role("root", "admin")
    join(game, "bob")
    _, app = tui(game, "root")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f9")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AdminScreen)
        assert screen.query_one("#player-table", DataTable).has_focus
        await pilot.press(*"@broadcast hi")  # "b" and "t" are hotkeys, but we are typing
        action = screen.query_one("#action", Input)
        assert action.value == "@broadcast hi"
        await pilot.press("enter")
        await settle(pilot)
        assert "Broadcast sent to 2 sessions." in result_text(app)
        assert "[Admin root] hi" in result_text(app)  # output sent later shows here too
        screen.query_one("#player-table", DataTable).focus()
        await pilot.press("k")  # nothing typed: the hotkey works
        assert action.value == "@kick bob "


async def test_results_wrap_and_scroll_and_who_counts_its_rows(game: Game) -> None:
    game.ensure_account("root")
    game.store.set_role("root", "admin")
    for name in ("bob", "cyra", "dana", "eve"):
        join(game, name)
    _, app = tui(game, "root")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("f9")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AdminScreen)
        screen.query_one("#action", Input).focus()
        await pilot.press(*"@who", "enter")
        await settle(pilot)
        text = result_text(app)
        rows = [line for line in text.splitlines() if ", free, " in line]
        assert text.splitlines()[1] == f"{len(rows)} sessions:"
        box = screen.query_one("#result-box")
        assert box.virtual_size.height > box.size.height  # wrapped rows: taller than shown
        assert box.scroll_y == box.max_scroll_y  # and scrolled to the newest
        assert box.virtual_size.width <= box.size.width  # nothing cut at the right edge


async def test_console_tabs_have_keys_shown_in_a_footer(game: Game) -> None:
    game.ensure_account("root")
    game.store.set_role("root", "admin")
    _, app = tui(game, "root")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f9")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AdminScreen)
        footer = " ".join(str(w.render()) for w in screen.query("FooterKey"))
        for hint in ("Players", "Economy", "Growth", "Content", "Server", "Close"):
            assert hint in footer
        await pilot.press("f5")
        await settle(pilot)
        assert screen.query_one("#tabs", TabbedContent).active == "server"


async def test_the_action_line_results_and_key_hints_are_all_on_screen(game: Game) -> None:
    """A walkthrough found the action line hidden: results, action line and footer were
    each docked to the bottom, drawn over one another. Now they stack, at every size."""
    game.ensure_account("root")
    game.store.set_role("root", "admin")
    for size in (SIZE, (60, 20), (100, 60)):
        _, app = tui(game, "root")
        async with app.run_test(size=size) as pilot:
            await pilot.press("f9")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, AdminScreen)
            screen.query_one("#action", Input).focus()
            await pilot.press(*"@who", "enter")
            await settle(pilot)
            regions = {
                name: screen.query_one(selector).region
                for name, selector in (
                    ("results", "#result-box"),
                    ("action", "#action"),
                    ("footer", "Footer"),
                )
            }
            for name, region in regions.items():
                assert region.height >= 1, (size, name, region)
                assert region.bottom <= size[1], (size, name, region)
            assert not regions["results"].overlaps(regions["action"]), size
            assert not regions["action"].overlaps(regions["footer"]), size
            assert regions["results"].bottom <= regions["action"].y < regions["footer"].y


async def test_feedback_tab_lists_open_reports_and_answers_the_selected_one(game: Game) -> None:
    ana, ana_screen = join(game, "ana")
    game.engine.execute(ana, "idea a ferry to the island")
    game.engine.execute(ana, "typo 'welcom' on the sign")
    game.ensure_account("root")
    game.store.set_role("root", "admin")
    _, app = tui(game, "root")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AdminScreen)
        table = screen.query_one("#feedback-table", DataTable)
        assert table.has_focus
        assert [str(c) for c in table.get_row_at(0)][:4] == ["2", "typo", "ana", "Town Square"]
        assert str(table.get_row_at(1)[5]) == "a ferry to the island"
        await pilot.press("down", "a")  # the idea, #1
        action = screen.query_one("#action", Input)
        assert action.value == "@feedback answer 1 "
        await pilot.press(*"on its way", "enter")
        await settle(pilot)
        assert "Answered report #1 from ana: told them now" in result_text(app)
        assert 'root answered your idea report #1: "on its way"' in ana_screen.text
        table.focus()
        await pilot.press("c", "enter")
        await settle(pilot)
        assert "Closed report #1" in result_text(app)  # the selection stayed on #1
        assert table.row_count == 1
