"""The operations components a server runs, in start order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.ops.http import OpsHttp
from game.ops.watch import IdleWatcher, LoopLag

if TYPE_CHECKING:
    from game.app import Component, Server


def ops_components(server: Server) -> list[Component]:
    """Loop-lag sampler, idle watcher and the /healthz + /metrics server.

    Plugin states come from the bridge component when the server has one, so /metrics and
    the admin console show them without the bridge knowing about either.
    """
    bridge: Any = getattr(server, "bridge", None)
    if bridge is not None and callable(getattr(bridge, "status", None)):
        server.game.metrics.plugins = bridge.status
    server.ops_http = OpsHttp(server)
    server.idle = IdleWatcher(server.game)
    return [LoopLag(server.game), server.idle, server.ops_http]
