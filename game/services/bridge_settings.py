"""The bridge's settings as the game reads them: the plugin config, the HTTP API's client
store and what an admin should know when adding a client.

Kept apart from game/engine/bridging.py (which runs the plugin host over the live game) so the
``@bridge`` command and the ``sshrealm bridge`` shell commands need nothing of the game.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from bridge.builtin.http_clients import READ_SCOPES, ClientRegistry
from bridge.config import BridgeConfig
from bridge.config import ConfigError as BridgeConfigError
from game.core.config import ConfigError, Settings


def bridge_config(settings: Settings) -> BridgeConfig:
    """The ``BridgeConfig`` for these settings; raises ``ConfigError`` saying what is wrong.

    ``[bridge]`` is the primary form. The older flat settings still work: ``plugins`` adds
    names to ``[bridge].enabled`` and ``plugin_settings.NAME`` fills in
    ``[bridge.plugin.NAME.settings]`` (the ``[bridge]`` table wins on a clash). The ``http``
    plugin listens on ``bridge_port`` (``SSHREALM_BRIDGE_PORT``), its one port setting.
    """
    raw: dict[str, Any] = copy.deepcopy(dict(settings.bridge))
    enabled = raw.get("enabled", [])
    if not isinstance(enabled, list):
        raise ConfigError("bridge.enabled must be a list of plugin names")
    raw["enabled"] = enabled + [p for p in settings.plugins if p not in enabled]
    tables = raw.setdefault("plugin", {})
    if not isinstance(tables, dict):
        raise ConfigError("bridge.plugin must be a table of plugin tables")
    for name, extra in settings.plugin_settings.items():
        table = tables.setdefault(name, {})
        if not isinstance(extra, Mapping) or not isinstance(table, dict):
            raise ConfigError(f"plugin_settings.{name} must be a table")
        table["settings"] = {**extra, **table.get("settings", {})}
    if "http" in raw["enabled"]:
        http = tables.setdefault("http", {})
        http_settings = dict(http.get("settings", {})) if isinstance(http, dict) else {}
        if "port" in http_settings:
            raise ConfigError(
                "bridge.plugin.http.settings.port: set the HTTP bridge port with bridge_port "
                "([bridge] port = N, or SSHREALM_BRIDGE_PORT), so there is only one"
            )
        if isinstance(http, dict):
            http["settings"] = {
                "store": str(client_store_path(settings)),
                **http_settings,
                "port": settings.bridge_port,
            }
    try:
        return BridgeConfig.from_mapping(raw)
    except BridgeConfigError as exc:
        raise ConfigError(str(exc)) from exc


def client_store_path(settings: Settings) -> Path:
    """Where the HTTP API keeps its clients: ``[bridge.plugin.http.settings] store``, or
    ``bridge_clients.sqlite`` in the data folder. The server and ``sshrealm bridge`` agree."""
    tables = settings.bridge.get("plugin", {})
    http = tables.get("http", {}) if isinstance(tables, Mapping) else {}
    table = http.get("settings", {}) if isinstance(http, Mapping) else {}
    extra = settings.plugin_settings.get("http", {})
    store = (table if isinstance(table, Mapping) else {}).get("store") or (
        extra.get("store") if isinstance(extra, Mapping) else None
    )
    return Path(str(store)) if store else settings.data_dir / "bridge_clients.sqlite"


def client_registry(settings: Settings) -> ClientRegistry:
    """The HTTP API's client store as the shell and the console use it: the same file and
    the same default grants as the running plugin."""
    defaults: Any = ()
    with contextlib.suppress(ConfigError):  # a bad table stops the server, not the tools
        defaults = bridge_config(settings).plugin("http").settings.get("default_capabilities", ())
    return ClientRegistry.open(client_store_path(settings), default_capabilities=defaults)


def grant_notes(settings: Settings, capabilities: Collection[str]) -> list[str]:
    """What would keep a client added with ``capabilities`` from using them: the http
    plugin is off, or it was not granted some of them itself (a client gets at most the
    plugin's). Said when an admin adds a client, so the first request does not surprise."""
    try:
        config = bridge_config(settings)
    except ConfigError as exc:
        return [f"Note: the [bridge] settings are wrong, so the API will not start: {exc}"]
    notes = []
    if "http" not in config.enabled:
        notes.append(
            "Note: the HTTP bridge is off. Add http to [bridge].enabled (or set"
            " SSHREALM_PLUGINS=http) and restart; see docs/plugins.md."
        )
    missing = sorted(set(capabilities) - config.plugin("http").capabilities - READ_SCOPES)
    if missing:
        notes.append(
            f"Note: the http plugin itself is not granted {', '.join(missing)}: add them to"
            " [bridge.plugin.http].capabilities, or the client's requests are refused."
        )
    return notes
