"""The landing, developer and admin pages over real HTTP: who is listed, the admin check
(in the web layer and in the engine), dashboard buttons as audited game commands."""

from __future__ import annotations

import json

import pytest

from game.app import Server
from game.fronts.web.ask import ask, refused
from tests.game.fronts.web.harness import WebClient, lines_until

pytestmark = pytest.mark.asyncio(loop_scope="module")


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
