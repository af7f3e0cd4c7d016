"""Parsing the [bridge] config table."""

from __future__ import annotations

import pytest

from bridge.config import BridgeConfig, ConfigError
from bridge.gate import RateLimit


def test_from_mapping_reads_plugins() -> None:
    cfg = BridgeConfig.from_mapping(
        {
            "enabled": ["http"],
            "start_timeout": 2,
            "plugin": {
                "http": {
                    "capabilities": ["message", "tokens.grant"],
                    "rate": 2.5,
                    "burst": 4,
                    "settings": {"port": 0},
                }
            },
        }
    )
    assert cfg.enabled == ("http",)
    assert cfg.start_timeout == 2.0
    http = cfg.plugin("http")
    assert http.capabilities == {"message", "tokens.grant"}
    assert http.limit == RateLimit(2.5, 4)
    assert http.settings == {"port": 0}
    assert cfg.plugin("other").capabilities == frozenset()


@pytest.mark.parametrize(
    ("raw", "match"),
    [
        ({"enable": ["http"]}, "unknown keys"),
        ({"enabled": "http"}, "list"),
        ({"plugin": {"x": {"capabilities": ["tokens.steal"]}}}, "tokens.steal"),
        ({"plugin": {"x": {"rate": 0}}}, "rate"),
        ({"plugin": {"x": {"burst": 1.5}}}, "burst"),
        ({"plugin": {"x": {"port": 1}}}, "unknown keys"),
        ({"plugin": {"x": {"settings": []}}}, "settings"),
        ({"start_timeout": "soon"}, "number"),
        ({"max_restarts": -1}, "negative"),
    ],
)
def test_from_mapping_rejects_mistakes(raw: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        BridgeConfig.from_mapping(raw)
