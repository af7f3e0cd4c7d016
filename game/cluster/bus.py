"""The Redis bus between the world and its gateways: key names, limits and the connection.

Why Streams for both directions, not pub/sub: a command typed while the world restarts
must wait and then run, and a delivery must reach its gateway in order even when the
gateway's reader was busy for a moment; pub/sub drops both. Each stream is bounded
(``MAXLEN ~``); what is bounded per session is the number of commands waiting for the world
(gateway side, ``max_waiting``). Heartbeats are plain keys with a time to live: a process
that stops refreshing its key is gone once the key expires.

* ``{c}:in``: every gateway's commands to the world, in one stream, read by the world's
  consumer group ``world`` (one consumer: the world is the single writer). An entry is
  acknowledged in the same Redis transaction as the deliveries it caused, so a world that
  dies before that re-reads it on restart; a retried line is recognised by its per-session
  sequence number.
* ``{c}:out:{gateway}``: frames from the world to one gateway: one entry per release of
  the world's outbox, holding every session's deliveries; a room line said to forty
  players on that gateway is in it once (fan-out happens on the gateway).
* ``{c}:world``: the world's heartbeat (its epoch, a random id per start).
* ``{c}:gw:{gateway}``: a gateway's heartbeat.
* ``{c}:sessions``: presence, session id -> (gateway, name, kind, address, last line run),
  written by the world with the deliveries; a restarted world brings these bodies back.
"""

from __future__ import annotations

from dataclasses import dataclass

GROUP = "world"
CONSUMER = "world"
HEARTBEAT_S = 1.0
"""How often each process refreshes its heartbeat key."""
TTL_S = 3
"""A heartbeat key lives this long: a process silent for longer is taken for dead."""
INBOX_MAXLEN = 200_000
OUTBOX_MAXLEN = 20_000
READ_COUNT = 512


@dataclass(frozen=True, slots=True)
class Keys:
    """Redis key names of one cluster (``cluster_name``: several may share one Redis)."""

    cluster: str = "sshrealm"

    @property
    def inbox(self) -> str:
        return f"{self.cluster}:in"

    def outbox(self, gateway: str) -> str:
        return f"{self.cluster}:out:{gateway}"

    @property
    def world(self) -> str:
        return f"{self.cluster}:world"

    def gateway(self, gateway: str) -> str:
        return f"{self.cluster}:gw:{gateway}"

    @property
    def presence(self) -> str:
        return f"{self.cluster}:sessions"


def connect(url: str):  # type: ignore[no-untyped-def]
    """An asyncio Redis client for ``url`` (bytes in, bytes out)."""
    import redis.asyncio as aioredis

    return aioredis.Redis.from_url(url, decode_responses=False, health_check_interval=10)
