"""The world's end of the bus: gateways' commands in, one frame per gateway out.

The reader takes the gateways' entries from ``{c}:in`` through the consumer group and runs
each one as the all-in-one server would (game/cluster/world_ops.py). What the world then
says to a gateway's sessions is collected by :class:`Frames` (each delivery's replies are
put in a frame once, however many of that gateway's players hear them) and written by one
writer task, in order, in a Redis transaction together with presence changes and the
acknowledgement of the entries that caused them: a world that dies before that transaction
runs re-reads those entries when it starts again, and the sequence numbers kept in presence
let it skip lines it had already run.

The watcher checks the heartbeat of every gateway holding sessions once a second: when one
has gone quiet past its key's expiry, its players' bodies leave the world cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import Sequence
from typing import Any

import structlog

from game.cluster.bus import (
    CONSUMER,
    GROUP,
    HEARTBEAT_S,
    OUTBOX_MAXLEN,
    READ_COUNT,
    TTL_S,
    Keys,
)
from game.cluster.codec import pack, unpack
from game.cluster.world_ops import WorldOps
from game.core.reply import Reply, RoomView, StatusView
from game.engine.game import Game

log = structlog.get_logger("sshrealm.world")
YIELD_EVERY = 32
"""Entries run back to back before the reader lets timers and other tasks in."""


class Frame:
    """What one gateway gets from one release: a table of reply tuples and the ops."""

    __slots__ = ("_index", "ops", "replies")

    def __init__(self) -> None:
        self.replies: list[Sequence[Reply]] = []
        self._index: dict[int, int] = {}
        self.ops: list[list[Any]] = []

    def deliver(self, sid: str, replies: Sequence[Reply]) -> None:
        at = self._index.get(id(replies))
        if at is None:  # the tuple stays in self.replies, so its id is not reused meanwhile
            at = self._index[id(replies)] = len(self.replies)
            self.replies.append(replies)
        self.ops.append(["d", sid, at])

    def pack(self) -> bytes:
        return pack([time.time() * 1000, self.replies, self.ops])


class RemoteFrontEnd:
    """The front end of a session a gateway holds: every call becomes an op in a frame."""

    __slots__ = ("_completions", "gateway", "kind", "link", "sid")

    def __init__(self, link: WorldLink, gateway: str, sid: str, kind: str) -> None:
        self.link, self.gateway, self.sid, self.kind = link, gateway, sid, kind
        self._completions: list[str] | None = None

    @property
    def shows_room(self) -> bool:
        """Only the full-screen UI has a room panel (game/engine/dispatch.py)."""
        return self.kind == "tui"

    def deliver(self, replies: Sequence[Reply]) -> None:
        self.link.frame(self.gateway).deliver(self.sid, replies)

    def set_room(self, view: RoomView) -> None:
        words = self.link.ops.completions(self.sid)
        changed = words is not None and words != self._completions
        if changed:
            self._completions = words
        self.link.frame(self.gateway).ops.append(["r", self.sid, view, words if changed else None])

    def set_status(self, status: StatusView) -> None:
        self.link.frame(self.gateway).ops.append(["s", self.sid, status])

    def close(self, reason: str) -> None:
        self.link.frame(self.gateway).ops.append(["c", self.sid, reason])
        self.link.forget(self.sid)


class WorldLink:
    """Runs gateways' sessions in ``game``; a Component of the world role."""

    def __init__(self, game: Game, redis: Any, keys: Keys) -> None:
        self.game = game
        self.redis = redis
        self.keys = keys
        self.epoch = secrets.token_hex(8).encode()
        self.ops = WorldOps(game, self)
        self._frames: dict[str, Frame] = {}
        self._acks: list[bytes] = []
        self._present: dict[str, bytes] = {}  # presence entries to write
        self._absent: set[str] = set()  # presence entries to delete
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.gateways: dict[str, int] = {}  # gateway -> sessions it holds
        self.commands = 0  # lines run (metrics)
        self.last_lag_ms = 0.0  # entry id time to its run, last entry (metrics)
        self.redis_ok = False
        self._busy = False

    # -- what sessions and ops use ---------------------------------------------------------------
    def front(self, gateway: str, sid: str, kind: str) -> RemoteFrontEnd:
        return RemoteFrontEnd(self, gateway, sid, kind)

    def frame(self, gateway: str) -> Frame:
        frame = self._frames.get(gateway)
        if frame is None:
            frame = self._frames[gateway] = Frame()
            self._wake.set()
        return frame

    def present(self, sid: str, entry: list[Any]) -> None:
        self._absent.discard(sid)
        self._present[sid] = pack(entry)
        self._wake.set()

    def forget(self, sid: str) -> None:
        self._present.pop(sid, None)
        self._absent.add(sid)
        self._wake.set()

    def to_gateway(self, gateway: str, op: list[Any]) -> None:
        self.frame(gateway).ops.append(op)

    # -- reading ---------------------------------------------------------------------------------
    async def _read(self) -> None:
        pending = True  # first what an earlier run of the world was given and did not finish
        last = b"0-0"
        while True:
            try:
                found = await self.redis.xreadgroup(
                    GROUP,
                    CONSUMER,
                    {self.keys.inbox: last if pending else ">"},
                    count=READ_COUNT,
                    block=None if pending else 1000,
                )
            except Exception as exc:
                self.redis_ok = False
                log.warning("bus_read_failed", error=str(exc))
                await asyncio.sleep(0.2)
                continue
            entries = found[0][1] if found else []
            if pending and not entries:
                pending = False
                continue
            for n, (entry_id, fields) in enumerate(entries):
                last = entry_id
                self._acks.append(entry_id)
                try:
                    self.ops.run(unpack(fields[b"m"]), entry_id)
                except Exception:
                    log.exception("bus_entry_failed")
                if n % YIELD_EVERY == YIELD_EVERY - 1:
                    self._wake.set()
                    await asyncio.sleep(0)
            if entries:  # how long the newest entry waited for the world (metrics)
                sent_ms = int(entries[-1][0].split(b"-")[0])
                self.last_lag_ms = max(0.0, time.time() * 1000 - sent_ms)
            self._wake.set()

    # -- writing ---------------------------------------------------------------------------------
    async def _write(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            self._busy = True
            frames, self._frames = self._frames, {}
            acks, self._acks = self._acks, []
            present, self._present = self._present, {}
            absent, self._absent = self._absent, set()
            while True:
                try:
                    async with self.redis.pipeline(transaction=True) as pipe:
                        for gateway, frame in frames.items():
                            pipe.xadd(
                                self.keys.outbox(gateway),
                                {"m": frame.pack()},
                                maxlen=OUTBOX_MAXLEN,
                                approximate=True,
                            )
                        if present:
                            pipe.hset(self.keys.presence, mapping=present)
                        if absent:
                            pipe.hdel(self.keys.presence, *absent)
                        if acks:
                            pipe.xack(self.keys.inbox, GROUP, *acks)
                        await pipe.execute()
                    break
                except Exception as exc:  # Redis away: the same transaction again, later
                    self.redis_ok = False
                    log.warning("bus_write_failed", error=str(exc))
                    await asyncio.sleep(0.2)
            self._busy = False

    async def flush(self) -> None:
        """Wait until everything said so far is on the bus."""
        while self._frames or self._acks or self._present or self._absent or self._busy:
            self._wake.set()
            await asyncio.sleep(0.005)

    # -- heartbeats and gateways -----------------------------------------------------------------
    async def _beat(self) -> None:
        while True:
            try:
                await self.redis.set(self.keys.world, self.epoch, ex=TTL_S)
                self.redis_ok = True
                for gateway in list(self.gateways):
                    if not await self.redis.exists(self.keys.gateway(gateway)):
                        self.ops.gateway_lost(gateway)
            except Exception as exc:
                self.redis_ok = False
                log.warning("bus_heartbeat_failed", error=str(exc))
            await asyncio.sleep(HEARTBEAT_S)

    async def stream_lengths(self) -> dict[str, int]:
        """Entries waiting in the inbox and in each gateway's stream (for /metrics)."""
        out = {"in": int(await self.redis.xlen(self.keys.inbox))}
        for gateway in self.gateways:
            out[gateway] = int(await self.redis.xlen(self.keys.outbox(gateway)))
        return out

    # -- life ------------------------------------------------------------------------------------
    async def start(self) -> None:
        redis = self.redis
        with contextlib.suppress(Exception):  # BUSYGROUP: made by an earlier run
            await redis.xgroup_create(self.keys.inbox, GROUP, id="0", mkstream=True)
        present = await redis.hgetall(self.keys.presence)
        alive = {}
        for raw_sid, raw in present.items():
            sid = raw_sid.decode()
            entry = unpack(raw)
            gateway = entry[0]
            if gateway not in alive:
                alive[gateway] = bool(await redis.exists(self.keys.gateway(gateway)))
            if alive[gateway]:
                self.ops.resume(sid, entry)
            else:
                self.forget(sid)
        await redis.set(self.keys.world, self.epoch, ex=TTL_S)
        for gateway in self.gateways:
            self.to_gateway(gateway, ["w", "back"])
        self.redis_ok = True
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(c) for c in (self._write(), self._read(), self._beat())]
        log.info("world_link_started", resumed=len(self.ops.sessions), gateways=len(alive))

    async def stop(self) -> None:
        """Tell the gateways the world is restarting; their sessions stay in presence."""
        reader = self._tasks[1] if len(self._tasks) > 1 else None
        if reader is not None:
            reader.cancel()
        for gateway in self.gateways:
            self.to_gateway(gateway, ["w", "restarting"])
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.flush(), 2.0)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        with contextlib.suppress(Exception):
            await self.redis.delete(self.keys.world)
