"""docs/plugins.md documents every event, request, capability and setting, and its code
blocks are real: the JSON parses into requests/events, the TOML is a valid config, and the
example plugin and game wiring run."""

from __future__ import annotations

import ast
import asyncio
import dataclasses
import json
import re
import tomllib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bridge import BridgeConfig, EventBus, PluginHost
from bridge.builtin.http_api import HttpSettings, openapi_text
from bridge.builtin.http_clients import CLIENT_CAPABILITIES
from bridge.builtin.webhook import parse_settings
from bridge.events import EVENT_TYPES, PlayerJoined, PlayerSaid, event_field_names, event_from_dict
from bridge.registry import GROUP
from bridge.requests import REQUEST_TYPES, MessagePlayer, Request, RequestResult, request_fields
from bridge.wire import request_from_wire
from tests.bridge.fakes import FakeGame
from tests.bridge.schema_check import Schemas

DOC = (Path(__file__).resolve().parents[2] / "docs" / "plugins.md").read_text()
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", DOC, re.S)
SCHEMAS = Schemas(json.loads(openapi_text()))
RESPONSE_SCHEMAS = (
    "RegisterApproved",
    "RegisterPending",
    "Universal",
    "BridgeResult",
    "Error",
    "StreamDropped",
)


def blocks(lang: str) -> list[str]:
    return [body for kind, body in BLOCKS if kind == lang]


def test_every_event_is_documented() -> None:
    for name, cls in EVENT_TYPES.items():
        assert f"### {name}\n" in DOC, f"no section for {name}"
        signature = f"`{cls.__name__}({', '.join(event_field_names(cls))})`"
        assert signature in DOC, f"missing {signature}"


def test_every_request_is_documented() -> None:
    for cls in REQUEST_TYPES.values():
        assert f"### {cls.capability}\n" in DOC, f"no section for {cls.capability}"
        signature = f"`{cls.__name__}({', '.join(request_fields(cls))})`"
        assert signature in DOC, f"missing {signature}"
    for cap in CLIENT_CAPABILITIES:
        assert f"| `{cap}` |" in DOC, f"capability {cap} is not in a table"


def test_json_examples_are_valid_events_requests_or_responses() -> None:
    seen_events, seen_requests = set(), set()
    for body in blocks("json"):
        value = json.loads(body)
        if value.get("type") in EVENT_TYPES:
            seen_events.add(event_from_dict(value).name)
        elif "target" in value:
            request = request_from_wire(value)
            seen_requests.add(type(request))
        else:
            fits = [
                s
                for s in RESPONSE_SCHEMAS
                if not SCHEMAS.errors(value, {"$ref": f"#/components/schemas/{s}"})
            ]
            assert fits, f"example fits no documented schema: {body}"
    assert seen_events == set(EVENT_TYPES)
    assert seen_requests == set(REQUEST_TYPES.values())


def test_toml_examples_are_valid_config() -> None:
    configs = [tomllib.loads(body) for body in blocks("toml")]
    [bridge] = [c["bridge"] for c in configs if "bridge" in c]
    config = BridgeConfig.from_mapping(bridge)
    HttpSettings.from_mapping(config.plugin("http").settings)
    parse_settings(config.plugin("webhook").settings)
    for field in dataclasses.fields(BridgeConfig):
        if field.name != "plugins":
            assert re.search(rf"^{field.name} = ", DOC, re.M) or field.name == "enabled"
    for field in dataclasses.fields(HttpSettings):
        assert f"`{field.name}" in DOC, f"http setting {field.name} is not documented"
    [project] = [c["project"] for c in configs if "project" in c]
    entry_points = project["entry-points"][GROUP]
    assert all(re.fullmatch(r"[\w.]+:\w+", v) for v in entry_points.values())


class NotifyingGame(FakeGame):
    def __init__(self) -> None:
        super().__init__()
        self.applied = asyncio.Event()

    async def apply(self, plugin: str, request: Request) -> RequestResult:
        result = await super().apply(plugin, request)
        self.applied.set()
        return result


async def test_example_plugin_runs_under_the_host() -> None:
    source = blocks("python")[0]
    namespace: dict[str, Any] = {"__name__": "doc_example"}
    exec(compile(source, "docs/plugins.md", "exec"), namespace)
    configs = [tomllib.loads(body) for body in blocks("toml")]
    [bridge] = [c["bridge"] for c in configs if "bridge" in c]
    config = BridgeConfig.from_mapping({"plugin": {"greeter": bridge["plugin"]["greeter"]}})
    bus, game = EventBus(), NotifyingGame()
    host = PluginHost(
        bus=bus,
        state=game,
        handler=game,
        config=config,
        factories={"greeter": namespace["Greeter"]},
        entry_points=lambda: [],
    )
    await host.start()
    bus.publish(PlayerJoined("ana", "s-1", "tui", ts=1.0))
    await asyncio.wait_for(game.applied.wait(), 2)
    await host.stop()
    assert game.calls == [("greeter", MessagePlayer("ana", "Welcome back, ana!"))]


async def test_game_wiring_example_runs() -> None:
    source = blocks("python")[1]
    code = compile(source, "docs/plugins.md", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    game, audit = FakeGame(), list[Any]()
    namespace: dict[str, Any] = {
        "EventBus": EventBus,
        "PluginHost": PluginHost,
        "BridgeConfig": BridgeConfig,
        "PlayerSaid": PlayerSaid,
        "settings": SimpleNamespace(bridge={}),
        "game_state_view": game,
        "game_request_handler": game,
        "write_audit_record": audit.append,
        "clock_ms": lambda: 1.0,
    }
    result = eval(code, namespace)
    if result is not None:
        await result
    assert namespace["bus"].published == 1
    assert namespace["http"] is None  # not enabled in this empty config
