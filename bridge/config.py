"""Bridge configuration: which plugins load, what they may do, and how they are supervised.

The game's own config loader reads the ``[bridge]`` table of ``sshrealm.toml`` and hands the
plain mapping to ``BridgeConfig.from_mapping``, which rejects unknown keys and unknown
capabilities so that a typo fails at startup instead of silently granting nothing (or too
much).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bridge.gate import RateLimit
from bridge.requests import REQUEST_CAPABILITIES


class ConfigError(ValueError):
    """The ``[bridge]`` configuration is malformed."""


@dataclass(frozen=True)
class PluginConfig:
    """One plugin's grants: request capabilities, its rate limit and its own settings."""

    capabilities: frozenset[str] = frozenset()
    limit: RateLimit = field(default_factory=RateLimit)
    settings: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BridgeConfig:
    """Everything the ``PluginHost`` needs to know; defaults suit production."""

    enabled: tuple[str, ...] = ()  # the allow-list: entry points not named here never load
    plugins: Mapping[str, PluginConfig] = field(default_factory=dict)
    start_timeout: float = 5.0
    stop_timeout: float = 5.0
    request_timeout: float = 5.0
    backoff_base: float = 1.0  # first restart delay; doubles per consecutive failure
    backoff_max: float = 60.0
    max_restarts: int = 5  # consecutive failures before a plugin is marked failed
    healthy_after: float = 60.0  # seconds of running that reset the failure count
    queue_size: int = 1000  # default bound of each plugin subscription

    def plugin(self, name: str) -> PluginConfig:
        """The config of ``name`` (defaults: no capabilities, no settings)."""
        return self.plugins.get(name, PluginConfig())

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> BridgeConfig:
        """Parse the ``[bridge]`` table (see docs/plugins.md for its shape)."""
        scalars = {
            "start_timeout": float,
            "stop_timeout": float,
            "request_timeout": float,
            "backoff_base": float,
            "backoff_max": float,
            "max_restarts": int,
            "healthy_after": float,
            "queue_size": int,
        }
        _no_unknown("bridge", raw, {"enabled", "plugin", *scalars})
        enabled = raw.get("enabled", [])
        if not isinstance(enabled, list) or not all(isinstance(n, str) for n in enabled):
            raise ConfigError("bridge.enabled must be a list of plugin names")
        tables = raw.get("plugin", {})
        if not isinstance(tables, Mapping):
            raise ConfigError("bridge.plugin must be a table of plugin tables")
        plugins = {str(n): _plugin(str(n), t) for n, t in tables.items()}
        values: dict[str, Any] = {}
        for key, kind in scalars.items():
            if key in raw:
                value = raw[key]
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise ConfigError(f"bridge.{key} must be a number")
                if value < 0:
                    raise ConfigError(f"bridge.{key} must not be negative")
                values[key] = kind(value)
        return cls(enabled=tuple(enabled), plugins=plugins, **values)


def _no_unknown(where: str, raw: Mapping[str, Any], known: set[str]) -> None:
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown keys {unknown}; known: {sorted(known)}")


def _plugin(name: str, raw: object) -> PluginConfig:
    where = f"bridge.plugin.{name}"
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where} must be a table")
    _no_unknown(where, raw, {"capabilities", "rate", "burst", "settings"})
    caps = raw.get("capabilities", [])
    if not isinstance(caps, list) or not all(isinstance(c, str) for c in caps):
        raise ConfigError(f"{where}.capabilities must be a list of strings")
    unknown = sorted(set(caps) - REQUEST_CAPABILITIES)
    if unknown:
        raise ConfigError(
            f"{where}.capabilities: unknown {unknown}; known: {sorted(REQUEST_CAPABILITIES)}"
        )
    rate, burst = raw.get("rate", RateLimit.rate), raw.get("burst", RateLimit.burst)
    if isinstance(rate, bool) or not isinstance(rate, int | float) or rate <= 0:
        raise ConfigError(f"{where}.rate must be a positive number")
    if isinstance(burst, bool) or not isinstance(burst, int) or burst < 1:
        raise ConfigError(f"{where}.burst must be a positive integer")
    settings = raw.get("settings", {})
    if not isinstance(settings, Mapping):
        raise ConfigError(f"{where}.settings must be a table")
    return PluginConfig(frozenset(caps), RateLimit(float(rate), burst), dict(settings))
