"""The web front over real HTTP and WebSockets against a real server (no browser): headers,
CSRF, accounts through the shared gate, privacy, the admin check, both play sockets."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio

from game.app import Server
from game.fronts.web.ask import ask, refused
from game.fronts.web.security import SECURE
from tests.game.fronts.web.harness import (
    WebClient,
    bytes_until,
    lines_until,
    settled,
    web_server,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")
PAGES = ("/", "/signin", "/signup", "/developers")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Server]:
    data = tmp_path_factory.mktemp("web") / "var"
    async with web_server(Path(data), login_failures=3) as srv:
        yield srv


@pytest_asyncio.fixture(loop_scope="module")
async def client(server: Server) -> AsyncIterator[WebClient]:
    web = WebClient(server)
    yield web
    await web.close()


async def test_every_page_forbids_inline_script_and_framing(client: WebClient) -> None:
    for path in PAGES:
        async with client.http.get(client.base + path) as resp:
            csp = resp.headers["Content-Security-Policy"]
            body = await resp.text()
            assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert "script-src 'self';" in csp, path
        assert "unsafe" not in csp, path
        assert "frame-ancestors 'none'" in csp
        assert not re.search(r"<script(?![^>]*\bsrc=)", body), path  # no inline script
        assert " style=" not in body, path
        assert "<style" not in body, path


async def test_a_form_without_its_token_or_from_elsewhere_changes_nothing(
    client: WebClient, server: Server
) -> None:
    form = {"name": "Mallory", "password": "12345678", "repeat": "12345678"}
    status, _, _ = await client.post("/signup", form, csrf="forged-token-forged-token")
    assert status == 403
    status, _, _ = await client.post("/signup", form, origin="http://evil.example")
    assert status == 403
    assert server.game.store.account("Mallory") is None


async def test_signup_signs_in_with_httponly_samesite_cookie(
    client: WebClient, server: Server
) -> None:
    token = await client.csrf("/signup")
    async with client.http.post(
        client.base + "/signup",
        data={
            "csrf": token,
            "name": "Wren",
            "password": "a long secret",
            "repeat": "a long secret",
        },
        headers={"Origin": client.base},
        allow_redirects=False,
    ) as resp:
        assert resp.status == 303
        assert resp.headers["Location"] == "/me"
        cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    account = server.game.store.account("wren")
    assert account is not None
    assert account.password_hash.startswith("$argon2")
    status, body = await client.get("/me")
    assert status == 200
    assert "<h1>Wren</h1>" in body
    assert "You have" in body


async def test_behind_a_tls_proxy_cookies_are_secure_and_https_forms_count(
    server: Server,
) -> None:
    assert server.web.app is not None
    server.web.app[SECURE] = True
    web = WebClient(server)
    try:
        async with web.http.get(web.base + "/signin") as resp:
            assert "Secure" in resp.headers["Set-Cookie"]
            token = resp.cookies["sshrealm_csrf"].value
        https = web.base.replace("http://", "https://")
        form = {"name": "Proxied", "password": "long enough", "repeat": "long enough"}
        # The test's cookie jar keeps Secure cookies off plain http: send the token by hand.
        async with web.http.post(
            web.base + "/signup",
            data={"csrf": token, **form},
            headers={"Origin": https, "Cookie": f"sshrealm_csrf={token}"},
            allow_redirects=False,
        ) as resp:
            assert resp.status == 303
    finally:
        server.web.app[SECURE] = False
        await web.close()


@pytest.mark.parametrize(
    ("name", "password", "repeat", "says"),
    [
        ("1abc", "long enough", "long enough", "Names are 3 to 20"),
        ("Wanda", "short", "short", "at least 8"),
        ("Wanda", "long enough", "different!", "did not match"),
    ],
)
async def test_signup_refuses_bad_input_and_makes_nothing(
    client: WebClient, server: Server, name: str, password: str, repeat: str, says: str
) -> None:
    status, _, body = await client.post(
        "/signup", {"name": name, "password": password, "repeat": repeat}
    )
    assert status == 400
    assert says in body
    assert server.game.store.account(name) is None


async def test_signup_refuses_a_taken_name(client: WebClient, server: Server) -> None:
    server.game.ensure_account("Taken")
    status, _, body = await client.post(
        "/signup", {"name": "taken", "password": "long enough", "repeat": "long enough"}
    )
    assert status == 400
    assert "is taken" in body


async def test_code_from_the_game_signs_in_once(client: WebClient, server: Server) -> None:
    game = server.game
    game.ensure_account("Kira")  # an SSH-key account: no password
    replies = ask(game, "Kira", "web login")
    code = re.search(r"code is (\S{4}-\S{4})", replies[0].text)
    assert code
    status, body = await client.signin("kira", "whatever", how="password")
    assert status == 400
    assert "web login" in body
    assert await client.signin("Kira", code.group(1), how="code") == (303, "/me")
    other = WebClient(server)
    try:
        status, body = await other.signin("Kira", code.group(1), how="code")
        assert status == 400
        assert "wrong, used or expired" in body
    finally:
        await other.close()


async def test_wrong_passwords_lock_the_address_like_ssh(server: Server) -> None:
    """The gate's throttle (login_failures = 3 here) counts web guesses too."""
    web = WebClient(server)
    try:
        assert await web.signup("Lock") == 303
        fresh = WebClient(server)
        for _ in range(3):
            status, body = await fresh.signin("Lock", "wrong password")
            assert status == 400
        status, body = await fresh.signin("Lock", "correct horse")
        assert status == 400
        assert "Too many failed logins" in body
        await fresh.close()
    finally:
        server.gate.throttle.settle("127.0.0.1", True, "Lock")
        await web.close()


async def test_admin_pages_refuse_players_and_the_engine_refuses_too(
    client: WebClient, server: Server
) -> None:
    assert await client.signup("Pleb") == 303
    for path in ("/admin", "/admin/reports/economy", "/admin/bridge", "/admin/audit"):
        status, body = await client.get(path)
        assert (status, "Admins only" in body) == (403, True), path
    status, _, _ = await client.post(
        "/admin/act", {"action": "kick", "name": "Wren", "reason": "x"}
    )
    assert status == 403
    assert refused(ask(server.game, "Pleb", "@report economy"))  # the engine's own check


async def test_admin_buttons_build_only_checked_commands(server: Server) -> None:
    from game.fronts.web.admin import command_for

    assert command_for({"action": "kick", "name": "ana", "reason": "spam  now"}) == (
        "@kick ana spam now"
    )
    assert command_for({"action": "kick", "name": "ana; @ban x", "reason": "r"}) is None
    assert command_for({"action": "kick", "name": "ana", "reason": ""}) is None
    assert command_for({"action": "mute", "name": "ana", "duration": "99y", "reason": "r"}) is None
    assert command_for({"action": "approve", "name": "bot", "capabilities": "say"}) == (
        "@bridge approve bot say"
    )
    assert command_for({"action": "drop tables", "name": "ana"}) is None


async def test_admin_kicks_from_the_dashboard(client: WebClient, server: Server) -> None:
    game = server.game
    assert await client.signup("Boss") == 303
    game.store.set_role("Boss", "admin")
    victim = WebClient(server)
    try:
        assert await victim.signup("Victim") == 303
        async with victim.socket("/play/text.ws") as ws:
            await lines_until(ws, "Welcome to sshrealm, Victim")
            status, body = await client.get("/admin")
            assert status == 200
            assert "Kick Victim" in body
            status, _, body = await client.post(
                "/admin/act", {"action": "kick", "name": "Victim", "reason": "testing kicks"}
            )
            assert status == 200
            assert "@kick Victim testing kicks" in body
            seen = await lines_until(ws, "testing kicks")
            assert "You have been disconnected by an admin. Reason: testing kicks" in seen
    finally:
        await victim.close()
    assert any(row.action == "kick" for row in game.audit.recent(5))


async def test_play_sockets_need_a_signed_in_browser_of_this_site(
    client: WebClient, server: Server
) -> None:
    async with client.socket("/play/text.ws") as ws:
        msg = await ws.receive()
        assert json.loads(msg.data) == {"closed": "Sign in first."}
        await ws.receive()
    assert ws.close_code == 4001
    assert await client.signup("Cross") == 303
    with pytest.raises(aiohttp.WSServerHandshakeError):
        async with client.socket("/play/text.ws", origin="http://evil.example"):
            pass


async def test_accessible_socket_is_line_mode_without_escapes(
    client: WebClient, server: Server
) -> None:
    assert await client.signup("Reader") == 303
    async with client.socket("/play/text.ws") as ws:
        seen = await lines_until(ws, "Exits:")
        await ws.send_str(json.dumps({"line": "look"}))
        seen += await lines_until(ws, "You see a notice board.")
        await ws.send_str("not json at all")  # ignored
        await ws.send_str(json.dumps({"line": "say plain words"}))
        seen += await lines_until(ws, "plain words")
    assert "Town Square" in seen
    assert not any(ch in line for line in seen for ch in "\x1b\x07\r\n")
    await settled(server)
    assert server.gate.sessions == 0  # the slot came back


async def test_browser_tui_takeover_and_resize(client: WebClient, server: Server) -> None:
    assert await client.signup("Tess") == 303
    async with client.socket("/play/terminal.ws?cols=100&rows=30") as first:
        screen = await bytes_until(first, b"ype a command")
        assert b"Town Square" in screen
        await first.send_str(json.dumps({"r": [9999, 9999]}))  # clamped, coalesced
        await first.send_str(json.dumps({"i": "say typed in a tab\r"}))
        await bytes_until(first, b"typed in a tab")
        async with client.socket("/play/terminal.ws?cols=80&rows=24") as second:
            await bytes_until(second, b"ype a command")
            rest = await bytes_until(first, b"logged in from somewhere else")
            assert rest
            msg = await first.receive()
            assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    assert first.close_code == 1000
    await settled(server)
    assert server.gate.sessions == 0


async def test_landing_lists_online_players_unless_hidden(
    client: WebClient, server: Server
) -> None:
    viewer = WebClient(server)
    try:
        assert await viewer.signup("Shown") == 303
        async with viewer.socket("/play/text.ws") as ws:
            await lines_until(ws, "Exits:")
            status, body = await client.get("/")
            assert status == 200
            assert "Shown" in body
            assert "in Harrowmere" in body
            await ws.send_str(json.dumps({"line": "web hide"}))
            await lines_until(ws, "no longer lists you")
            _, live = await client.get("/live.json")
            assert "Shown" not in live
    finally:
        await viewer.close()


async def test_developer_page_renders_the_openapi_document(client: WebClient) -> None:
    status, body = await client.get("/developers")
    assert status == 200
    assert "/register" in body
    assert "/events" in body
    assert "sshrealm bridge API" in body
    for name in ("client.mjs", "ws.mjs"):
        status, text = await client.get(f"/developers/{name}")
        assert status == 200
        assert "export" in text
    status, _ = await client.get("/developers/secret.mjs")
    assert status == 404
    status, spec = await client.get("/developers/openapi.json")
    assert status == 200
    assert json.loads(spec)["openapi"].startswith("3.")


async def test_browser_tui_sessions_leave_no_app_behind(server: Server) -> None:
    """Ten tabs play full-screen at once; half quit, half just close: no Textual app stays."""
    import gc

    from game.fronts.tui.app import GameApp

    def live() -> int:
        gc.collect()
        return sum(isinstance(obj, GameApp) for obj in gc.get_objects())

    await settled(server)
    before = live()
    tabs = [WebClient(server) for _ in range(10)]
    try:
        for n, web in enumerate(tabs):
            assert await web.signup(f"Leak{n}") == 303
        sockets = [await web.socket("/play/terminal.ws?cols=90&rows=25") for web in tabs]
        await asyncio.gather(*(bytes_until(ws, b"ype a command") for ws in sockets))
        assert live() == before + 10
        for n, ws in enumerate(sockets):
            if n % 2:
                await ws.send_str(json.dumps({"i": "quit\r"}))
                await bytes_until(ws, b"Goodbye.")
            await ws.close()
    finally:
        await asyncio.gather(*(web.close() for web in tabs))
    await settled(server)
    assert server.gate.sessions == 0
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while live() != before:  # the apps' last callbacks run on the loop after their tasks end
        assert loop.time() < deadline, f"{live() - before} apps outlived their tabs"
        await asyncio.sleep(0.05)


async def test_admin_manages_bridge_clients_from_the_dashboard(server: Server) -> None:
    admin = WebClient(server)
    try:
        assert await admin.signup("Bridgette") == 303
        server.game.store.set_role("Bridgette", "admin")
        form = {"action": "add", "name": "robot", "capabilities": "", "back": "/admin/bridge"}
        status, _, body = await admin.post("/admin/act", form)
        assert status == 200
        assert "Registration code for robot" in body
        status, body = await admin.get("/admin/bridge")
        assert status == 200
        assert "Rotate robot" in body
        status, _, body = await admin.post("/admin/act", {**form, "action": "rotate"})
        assert "Registration code for robot" in body
        status, _, body = await admin.post("/admin/act", {**form, "action": "revoke"})
        assert "robot is revoked" in body
        status, _, body = await admin.post("/admin/act", {**form, "action": "approve"})
        assert status == 400  # nothing pending: the game says so, nothing changes
        assert "Nothing was done" in body
    finally:
        await admin.close()
    actions = [row.action for row in server.game.audit.recent(10)]
    assert {"bridge-add", "bridge-rotate", "bridge-revoke"} <= set(actions)


async def test_the_visual_form_works_in_the_browser(server: Server) -> None:
    """The floor plan is drawn in the tab, and an arrow key on an empty line walks."""
    game = server.game
    web = WebClient(server)
    try:
        assert await web.signup("Vis") == 303
        game.unlocks.grant("Vis", "form:visual", "test", "test")
        async with web.socket("/play/terminal.ws?cols=100&rows=30") as ws:
            await bytes_until(ws, b"ype a command")
            await ws.send_str(json.dumps({"i": "form visual\r"}))
            await bytes_until(ws, b"@V")  # the plan, with Vis's avatar
            body = game.world.find_online("Vis")
            assert body is not None
            before = game.positions.spot(body)
            for arrow in ("\x1b[C", "\x1b[D", "\x1b[B", "\x1b[A"):
                await ws.send_str(json.dumps({"i": arrow}))
                await bytes_until(ws, b"@V")
                if game.positions.spot(body) != before:
                    break
            assert game.positions.spot(body) != before
            await ws.send_str(json.dumps({"i": "form text\r"}))
            await bytes_until(ws, b"text form")
    finally:
        await web.close()


async def test_a_failure_shows_a_sentence_not_a_traceback(
    client: WebClient, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    from game.fronts.web import pages

    def broken(game: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(pages, "online", broken)
    status, body = await client.get("/live.json")
    assert status == 500
    assert "Something went wrong on our side" in body
    assert "secret internals" not in body
    assert "Traceback" not in body
