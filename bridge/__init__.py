"""The plugin bridge: events out of the game, checked requests into it.

The game builds one ``EventBus`` and one ``PluginHost`` (handing it a ``StateView`` and a
``RequestHandler`` it implements), calls ``bus.publish(event)`` as things happen, and
``await host.start()`` / ``await host.stop()`` around its own lifetime. Nothing here imports
the game. See docs/plugins.md.
"""

from __future__ import annotations

from bridge.bus import BusStats, EventBus, Subscription
from bridge.config import BridgeConfig, ConfigError, PluginConfig
from bridge.events import EVENT_TYPES, Event, event_to_dict, event_to_json
from bridge.gate import AuditRecord, RateLimit
from bridge.plugin import Plugin, PluginContext
from bridge.registry import PluginHost, PluginStatus
from bridge.requests import REQUEST_TYPES, Request, RequestHandler, RequestResult
from bridge.state import PlayerInfo, Progress, StateView

__all__ = [
    "EVENT_TYPES",
    "REQUEST_TYPES",
    "AuditRecord",
    "BridgeConfig",
    "BusStats",
    "ConfigError",
    "Event",
    "EventBus",
    "PlayerInfo",
    "Plugin",
    "PluginConfig",
    "PluginContext",
    "PluginHost",
    "PluginStatus",
    "Progress",
    "RateLimit",
    "Request",
    "RequestHandler",
    "RequestResult",
    "StateView",
    "Subscription",
    "event_to_dict",
    "event_to_json",
]
