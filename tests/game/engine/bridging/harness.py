"""A real server with the bridge on: SSH on port 0, the HTTP plugin on port 0, and helpers
to act as an HTTP client of it (register, /universal, /bridge, /events)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

from bridge.builtin.http_api import HttpApiPlugin
from bridge.plugin import PluginFactory
from bridge.requests import REQUEST_CAPABILITIES
from game.app import Server
from game.core.config import Settings
from game.engine.bridging import BridgeComponent
from tests.e2e.conftest import e2e_settings

ALL_SCOPES = sorted(REQUEST_CAPABILITIES | {"state.balances", "events.private"})
CLIENTS: dict[str, list[str]] = {
    "probe": ALL_SCOPES,
    "js-example": ["tokens.grant", "state.balances"],
    "granter": ["tokens.grant", "tokens.charge"],  # may move tokens, may not read balances
}


def bridged_settings(
    data_dir: Path, *, plugins: Mapping[str, Any] | None = None, **bridge: Any
) -> Settings:
    """Settings with ``http`` enabled on a free port (``Client.open`` issues the codes)."""
    table: dict[str, Any] = {
        "enabled": ["http", *(plugins or {})],
        "plugin": {
            "http": {
                "capabilities": sorted(REQUEST_CAPABILITIES),
                "rate": 1000.0,
                "burst": 1000,
                "settings": {},
            },
            **(plugins or {}),
        },
        **bridge,
    }
    return e2e_settings(data_dir, bridge=table, bridge_port=0)


@asynccontextmanager
async def bridged_server(
    settings: Settings,
    factories: Mapping[str, PluginFactory] | None = None,
    accounts: tuple[str, ...] = (),
) -> AsyncIterator[Server]:
    """The real server; ``factories`` adds in-process plugins (not installed as entry
    points), ``accounts`` exist before any plugin starts."""
    server = Server(settings)
    for name in accounts:
        server.game.ensure_account(name)
    if factories:
        server.components.remove(server.bridge)
        server.bridge = BridgeComponent(server.game, settings, factories=factories)
        server.components.append(server.bridge)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def http_plugin(server: Server) -> HttpApiPlugin:
    plugin = server.bridge.http
    assert plugin is not None, server.bridge.status()
    return plugin


class Client:
    """One HTTP client of the bridge, added by the admin and registered with its code."""

    def __init__(self, http: aiohttp.ClientSession, token: str) -> None:
        self.http = http
        self.headers = {"Authorization": f"Bearer {token}"}

    @classmethod
    @asynccontextmanager
    async def open(cls, server: Server, name: str = "probe") -> AsyncIterator[Client]:
        code = http_plugin(server).add(name, CLIENTS[name])
        body = {"name": name, "language": "py", "code": code}
        async with aiohttp.ClientSession(http_plugin(server).url) as http:
            async with http.post("/register", json=body) as r:
                body = await r.json()
                assert r.status == 200, body
            yield cls(http, str(body["token"]))

    async def universal(self) -> dict[str, Any]:
        async with self.http.get("/universal", headers=self.headers) as r:
            assert r.status == 200
            return dict(await r.json())

    async def player(self, name: str) -> dict[str, Any]:
        players = (await self.universal())["players"]
        return next(p for p in players if p["name"] == name)

    async def bridge(self, target: str, action: str, **data: Any) -> tuple[int, dict[str, Any]]:
        rid = data.pop("request_id", None)
        body = {"target": target, "action": action, "data": data}
        if rid is not None:
            body["request_id"] = rid
        async with self.http.post("/bridge", json=body, headers=self.headers) as r:
            return r.status, dict(await r.json())

    @asynccontextmanager
    async def events(self, *types: str) -> AsyncIterator[aiohttp.ClientWebSocketResponse]:
        query = f"?types={','.join(types)}" if types else ""
        async with self.http.ws_connect(f"/events{query}", headers=self.headers) as ws:
            yield ws


async def next_event(ws: aiohttp.ClientWebSocketResponse, within: float = 10.0) -> Any:
    msg = await ws.receive(within)
    assert msg.type == aiohttp.WSMsgType.TEXT, msg
    return json.loads(msg.data)
