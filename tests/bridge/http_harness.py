"""Start the HTTP API plugin against the fake game, and check answers against OpenAPI."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bridge.builtin.http_api import HttpApiPlugin, openapi_text
from bridge.bus import EventBus
from bridge.config import BridgeConfig, PluginConfig
from bridge.gate import AuditRecord, RateLimit
from bridge.registry import PluginHost
from bridge.requests import REQUEST_CAPABILITIES
from tests.bridge.fakes import FakeGame
from tests.bridge.schema_check import Schemas

ALL = sorted(REQUEST_CAPABILITIES | {"state.balances", "events.private"})
FAST = RateLimit(10_000, 10_000)
CLIENTS: dict[str, list[str]] = {"ana-bot": ALL, "viewer": []}


@dataclass
class Api:
    """A running HTTP plugin and a client session pointed at it."""

    host: PluginHost
    plugin: HttpApiPlugin
    bus: EventBus
    http: aiohttp.ClientSession
    audit: list[AuditRecord]
    codes: dict[str, str] = field(default_factory=dict)
    schemas: Schemas = field(default_factory=lambda: Schemas(json.loads(openapi_text())))

    async def token(self, name: str = "ana-bot") -> str:
        """Register ``name`` with the code the admin issued it (see ``running_api``)."""
        body = {"name": name, "language": "py", "code": self.codes[name]}
        async with self.http.post("/register", json=body) as r:
            body = await r.json()
            assert r.status == 200, body
            return str(body["token"])

    def check(self, path: str, method: str, status: int, body: Any) -> None:
        """The status is documented for the operation and the body fits its schema."""
        responses = self.schemas.doc["paths"][path][method]["responses"]
        assert str(status) in responses, f"{method} {path} answered undocumented {status}"
        content = responses[str(status)].get("content", {}).get("application/json")
        if content is not None:
            errors = self.schemas.errors(body, content["schema"])
            assert not errors, (status, body, errors)

    async def call(
        self, method: str, path: str, token: str | None = None, **kwargs: Any
    ) -> tuple[int, Any, Mapping[str, str]]:
        """Make a request and check the answer against the document; returns it."""
        headers = kwargs.pop("headers", {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        async with self.http.request(method, path, headers=headers, **kwargs) as resp:
            body = await resp.json(content_type=None)
            self.check(path.split("?")[0], method.lower(), resp.status, body)
            return resp.status, body, resp.headers


@asynccontextmanager
async def running_api(
    game: FakeGame,
    *,
    caps: frozenset[str] = REQUEST_CAPABILITIES,
    limit: RateLimit = FAST,
    bus: EventBus | None = None,
    request_timeout: float = 5.0,
    clients: dict[str, list[str]] | None = None,
    **settings: Any,
) -> AsyncIterator[Api]:
    """The plugin on a free port, with ``clients`` (name -> grants) added by the admin:
    their registration codes are in ``Api.codes``."""
    bus = bus or EventBus()
    audit: list[AuditRecord] = []
    plugin_settings = {"port": 0, **settings}
    config = BridgeConfig(
        plugins={"http": PluginConfig(caps, limit, plugin_settings)},
        request_timeout=request_timeout,
    )
    host = PluginHost(
        bus=bus,
        state=game,
        handler=game,
        config=config,
        factories={"http": HttpApiPlugin},
        audit=audit.append,
        entry_points=lambda: [],
    )
    await host.start()
    plugin = host.plugin("http")
    assert isinstance(plugin, HttpApiPlugin), host.status()
    codes = {
        name: plugin.add(name, caps)
        for name, caps in (CLIENTS if clients is None else clients).items()
    }
    try:
        async with aiohttp.ClientSession(plugin.url) as http:
            yield Api(host, plugin, bus, http, audit, codes)
    finally:
        await host.stop()
