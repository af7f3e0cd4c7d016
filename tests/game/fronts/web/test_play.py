"""Playing in the browser over real WebSockets (no browser): sign-in and origin checks,
the accessible line-mode socket, the full-screen socket (takeover, resize, the visual form),
and no Textual app outliving its tab."""

from __future__ import annotations

import asyncio
import json
import re

import aiohttp
import asyncssh
import pytest

from game.app import Server
from tests.e2e.conftest import connect
from tests.game.fronts.web.harness import WebClient, bytes_until, lines_until, settled

pytestmark = pytest.mark.asyncio(loop_scope="module")


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


async def test_an_account_made_on_the_web_links_an_ssh_key_later(server: Server) -> None:
    """Sign up in the browser, type keys link on the accessible page, log in over SSH with
    a new key and that code: the key is bound, and logs in alone from then on."""

    class CodeTyper(asyncssh.SSHClient):
        def kbdint_auth_requested(self) -> str:
            return ""

        def kbdint_challenge_received(
            self, name: str, instructions: str, lang: str, prompts: object
        ) -> list[str]:
            return [code]

    web = WebClient(server)
    try:
        assert await web.signup("Linda") == 303
        async with web.socket("/play/text.ws") as ws:
            await lines_until(ws, "Exits:")
            await ws.send_str(json.dumps({"line": "keys link"}))
            said = await lines_until(ws, "Your link code is")
    finally:
        await web.close()
    found = re.search(r"code is (\S{4}-\S{4})", " ".join(said))
    assert found, said
    code = found.group(1)
    key = asyncssh.generate_private_key("ssh-ed25519")
    async with await asyncssh.connect(
        "127.0.0.1",
        server.ssh_port,
        username="Linda",
        client_keys=[key],
        known_hosts=None,
        agent_path=None,
        client_factory=CodeTyper,
    ) as conn:
        assert (await conn.run("look")).exit_status == 0
    async with await connect(server.ssh_port, "Linda", key) as conn:
        assert str((await conn.run("keys")).stdout).startswith("1 key can log in as you:")
