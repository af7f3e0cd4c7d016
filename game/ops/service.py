"""The operations components a server runs, in start order."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from game.ops.http import OpsHttp
from game.ops.watch import IdleWatcher, LoopLag

if TYPE_CHECKING:
    from game.ops.host import OpsHost


class OpsComponents(NamedTuple):
    """Loop-lag sampler, idle watcher and the /healthz + /metrics server.

    The fields are in start order: the composition root adds the tuple to its components as
    it is, and keeps ``idle`` and ``http`` to reach them (tests read the HTTP port).
    """

    lag: LoopLag
    idle: IdleWatcher
    http: OpsHttp


def ops_components(server: OpsHost) -> OpsComponents:
    """The operations components watching ``server``."""
    return OpsComponents(LoopLag(server.game), IdleWatcher(server.game), OpsHttp(server))
