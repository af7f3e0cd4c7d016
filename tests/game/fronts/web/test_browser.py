"""The web front in a real headless Chromium (Debian's, driven by Playwright), against a real
server, beside real SSH players. One server and one browser for the whole module.

Every page visited is checked with axe-core (vendored, tests/game/fronts/web/vendor) and
must have no violation, and no page may trip its Content-Security-Policy. The screenshots
the README shows are taken here; ``SSHREALM_SCREENSHOTS=1`` copies them into docs/images.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import asyncssh
import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from economy import Reason
from game.app import Server
from game.fronts.web.pages import LIVE_EVERY
from game.fronts.web.play import PLAYING
from tests.e2e.conftest import ROOT, Reader, connect
from tests.game.fronts.web.harness import base, web_server

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.slow, pytest.mark.e2e]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text("utf-8")
SHOTS = ROOT / "docs" / "images"
WAIT_MS = 15_000


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Server]:
    async with web_server(Path(tmp_path_factory.mktemp("browser")) / "var") as srv:
        assert srv.web.app is not None
        srv.web.app[LIVE_EVERY] = 200  # the landing page's refresh, quick for the test
        yield srv


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Browser]:
    if shutil.which(CHROMIUM) is None:
        pytest.fail("Chromium is missing: make system-tools installs it (apt chromium)")
    async with async_playwright() as pw:
        # launch() gives Chromium a fresh temporary profile (user-data-dir) of its own.
        chromium = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture(scope="module")
def keys() -> dict[str, asyncssh.SSHKey]:
    return {name: asyncssh.generate_private_key("ssh-ed25519") for name in ("ana", "bob")}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def ana(server: Server, keys: dict[str, asyncssh.SSHKey]) -> AsyncIterator[Reader]:
    """An SSH player in line mode, in the Town Square, for the whole module."""
    async with await connect(server.ssh_port, "ana", keys["ana"]) as conn:
        reader = Reader(await conn.create_process(encoding=None))
        await reader.until("Exits:")
        yield reader


class Watched:
    """A browser tab that records Content-Security-Policy complaints."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.csp: list[str] = []
        page.on("console", self._console)

    def _console(self, message: object) -> None:
        text = str(getattr(message, "text", ""))
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.csp.append(text)


async def tab(context: BrowserContext) -> Watched:
    return Watched(await context.new_page())


async def accessible(watched: Watched, *, exclude: tuple[str, ...] = ()) -> None:
    """axe-core finds no violation on the page, and the page broke no CSP rule."""
    page = watched.page
    if not await page.evaluate("() => typeof window.axe !== 'undefined'"):
        await page.evaluate(AXE)
    found = await page.evaluate(
        """async (exclude) => {
            const context = exclude.length ? {exclude: exclude.map(s => [s])} : document;
            const result = await axe.run(context, {resultTypes: ['violations']});
            return result.violations.map(v => v.id + ': ' + v.help + ' @ ' +
                v.nodes.map(n => n.target.join(' ')).join(', '));
        }""",
        list(exclude),
    )
    assert found == [], f"{page.url}: {found}"
    assert watched.csp == [], watched.csp


async def screenshot(page: Page, name: str, tmp: Path, *, full: bool = False) -> None:
    path = tmp / f"{name}.png"
    await page.screenshot(path=str(path), full_page=full)
    assert path.stat().st_size > 1000
    if os.environ.get("SSHREALM_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SHOTS / f"{name}.png")


async def drop_sockets(server: Server) -> None:
    """The network drops every game socket: the connections end without a close frame."""
    assert server.web.app is not None
    for request in list(server.web.app[PLAYING].values()):
        assert request.transport is not None
        request.transport.abort()


async def sign_up(watched: Watched, server: Server, name: str) -> None:
    page = watched.page
    await page.goto(base(server) + "/signup")
    await accessible(watched)
    await page.fill("#name", name)
    await page.fill("#password", "a long password")
    await page.fill("#repeat", "a long password")
    await page.click("button[type=submit]:has-text('Create the account')")
    await expect(page.locator("h1")).to_have_text(name, timeout=WAIT_MS)


async def test_landing_lists_an_ssh_player_who_comes_online(
    server: Server, browser: Browser, keys: dict[str, asyncssh.SSHKey], tmp_path: Path
) -> None:
    context = await browser.new_context(viewport={"width": 1100, "height": 800})
    watched = await tab(context)
    page = watched.page
    await page.goto(base(server) + "/")
    await expect(page.locator("#online")).to_contain_text("Nobody is playing", timeout=WAIT_MS)
    async with await connect(server.ssh_port, "bob", keys["bob"]) as conn:
        reader = Reader(await conn.create_process(encoding=None))
        await reader.until("Exits:")
        await expect(page.locator("#online li")).to_contain_text(["bob"], timeout=WAIT_MS)
        await expect(page.locator("#online")).to_contain_text("in Harrowmere")
        await accessible(watched)
        await screenshot(page, "web-landing", tmp_path, full=True)
    for path in ("/developers", "/signin"):
        await page.goto(base(server) + path)
        await accessible(watched)
    await context.close()


async def test_sign_in_with_a_code_from_the_game_then_play_full_screen(
    server: Server,
    browser: Browser,
    keys: dict[str, asyncssh.SSHKey],
    ana: Reader,
    tmp_path: Path,
) -> None:
    async with await connect(server.ssh_port, "bob", keys["bob"]) as conn:
        done = await conn.run("web login", check=True)
    code = re.search(r"code is (\S{4}-\S{4})", str(done.stdout))
    assert code, done.stdout
    context = await browser.new_context(viewport={"width": 1100, "height": 760})
    watched = await tab(context)
    page = watched.page
    await page.goto(base(server) + "/signin")
    await page.fill("#code-name", "bob")
    await page.fill("#code-secret", code.group(1))
    await page.click("button:has-text('Sign in with the code')")
    await expect(page.locator("h1")).to_have_text("bob", timeout=WAIT_MS)
    await expect(page.locator("main")).to_contain_text("Statement of your token transfers")
    await accessible(watched)

    # The full-screen UI in xterm.js: the room title, then a say both ways.
    await page.goto(base(server) + "/play")
    rows = page.locator(".xterm-rows")
    await expect(rows).to_contain_text("Town Square", timeout=WAIT_MS)
    await expect(rows).to_contain_text("ype a command", timeout=WAIT_MS)
    await page.locator("#terminal").click()
    await page.keyboard.type("say hello from the browser")
    await page.keyboard.press("Enter")
    await ana.until("hello from the browser")
    ana.send("say and hello back from ssh")
    await expect(rows).to_contain_text("hello back from ssh", timeout=WAIT_MS)
    await page.evaluate(  # a paste, as the browser delivers one to xterm.js
        """() => {
            const data = new DataTransfer();
            data.setData('text/plain', 'say words from the clipboard');
            document.querySelector('.xterm-helper-textarea').dispatchEvent(
                new ClipboardEvent('paste', {clipboardData: data, bubbles: true}));
        }"""
    )
    await page.keyboard.press("Enter")
    await ana.until("words from the clipboard")
    await accessible(watched, exclude=(".xterm",))
    await screenshot(page, "web-terminal", tmp_path)

    # The network drops (the connection ends without a close frame): the page reconnects.
    await drop_sockets(server)
    status = page.locator("#status")
    await expect(status).to_contain_text("Connection lost", timeout=WAIT_MS)
    await expect(status).to_have_text("Connected.", timeout=WAIT_MS)
    await expect(rows).to_contain_text("Welcome to sshrealm, bob", timeout=WAIT_MS)

    # The accessible page: it takes the session over, and its log announces new lines.
    await page.goto(base(server) + "/play/text")
    log = page.locator("#log")
    await expect(log).to_have_attribute("role", "log")
    await expect(log).to_have_attribute("aria-live", "polite")
    await expect(log).to_contain_text("Town Square", timeout=WAIT_MS)
    ana.send("say a line for the live region")
    await expect(log.locator("p").last).to_contain_text(
        "a line for the live region", timeout=WAIT_MS
    )
    await page.fill("#line", "look")
    await page.keyboard.press("Enter")
    await expect(log).to_contain_text("You see a notice board.", timeout=WAIT_MS)
    await page.locator("#line").press("ArrowUp")
    await expect(page.locator("#line")).to_have_value("look")
    text = await log.inner_text()
    html = await log.inner_html()
    assert "\x1b" not in text
    assert "\x1b" not in html
    assert "[0m" not in text
    await accessible(watched)
    await drop_sockets(server)  # the page reconnects and the log carries on
    await expect(page.locator("#status")).to_contain_text("Connection lost", timeout=WAIT_MS)
    await expect(page.locator("#status")).to_contain_text("Connected.", timeout=WAIT_MS)
    welcomes = log.locator("p", has_text="Welcome to sshrealm, bob")
    await expect(welcomes).to_have_count(2, timeout=WAIT_MS)  # the second session's greeting
    await screenshot(page, "web-accessible", tmp_path)
    await context.close()


async def test_admin_pages_refuse_a_player_and_show_reports_to_an_admin(
    server: Server, browser: Browser, tmp_path: Path
) -> None:
    player = await browser.new_context()
    watched = await tab(player)
    await sign_up(watched, server, "cyra")
    await watched.page.goto(base(server) + "/admin/reports/economy")
    await expect(watched.page.locator("h1")).to_have_text("Admins only")
    await accessible(watched)
    await player.close()

    game = server.game
    start = game.clock()
    for n in range(4):  # a few cycles with tokens moving between them: charts have a shape
        game.ensure_account(f"payee{n}")
        game.wallet.credit(f"payee{n}", 15 * (n + 1), Reason.ADMIN_GRANT, f"shot-{n}", "test")
        await server.reflection.run_cycle(now_ms=start + n * 300_000)
    admin = await browser.new_context(viewport={"width": 1100, "height": 900})
    watched = await tab(admin)
    page = watched.page
    await sign_up(watched, server, "dana")
    server.game.store.set_role("dana", "admin")
    await page.goto(base(server) + "/admin")
    await expect(page.locator("h1")).to_have_text("Admin dashboard")
    await expect(page.locator("main")).to_contain_text("session")
    await accessible(watched)
    await page.click("button:has-text('Reload the world now')")  # a button: a game command
    await expect(page.locator("h1")).to_have_text("Done", timeout=WAIT_MS)
    await expect(page.locator("main")).to_contain_text("in the background")
    await accessible(watched)
    running = server.game.content_watcher.running
    if running is not None:
        await running  # the reload is checked in a worker thread
    await page.goto(base(server) + "/admin")
    await expect(page.locator("main")).to_contain_text("Last reload: #")
    await expect(page.locator("main")).to_contain_text("Reloaded in")
    for kind, heading in (("economy", "Domingo"), ("growth", "Cal")):
        await page.goto(base(server) + f"/admin/reports/{kind}")
        await expect(page.locator("h1")).to_contain_text(heading)
        await expect(page.locator("main")).to_contain_text("report, cycle")
        await accessible(watched)
        if kind == "economy":
            assert await page.locator("svg[role=img]").count() > 0
            await expect(page.locator("main")).to_contain_text("Wealth distribution")
            await screenshot(page, "web-dashboard", tmp_path, full=True)
    for path in ("/admin/bridge", "/admin/audit"):
        await page.goto(base(server) + path)
        await accessible(watched)
    await admin.close()
