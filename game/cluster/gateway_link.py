"""A gateway's end of the bus: commands out to the world, frames in, heartbeats both ways.

One writer task sends what the gateway's sessions queued (``send`` never blocks: typed lines
come from protocol callbacks) in order, batched into one pipeline per turn; one reader task
applies the world's frames to the local sessions: each frame's replies are decoded once and
handed to every session they are addressed to (the world sends a room line once per
gateway). The heartbeat task refreshes this gateway's key and watches the world's: when it
goes quiet the players are told once that the world is restarting, and their commands wait
in the stream until it is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from typing import Any, Protocol

import structlog

from game.cluster.bus import HEARTBEAT_S, INBOX_MAXLEN, READ_COUNT, TTL_S, Keys
from game.cluster.codec import pack, unpack
from game.core.reply import Reply, RoomView, StatusView

log = structlog.get_logger("sshrealm.gateway")

RESTARTING = "The world is restarting: what you type waits, then runs."
BACK = "The world is back."
ASK_TIMEOUT_S = 5.0


class Remote(Protocol):
    """A session on this gateway as the link updates it (game/cluster/remote.py)."""

    closed: bool

    def deliver(self, replies: list[Reply]) -> None: ...
    def set_room(self, view: RoomView, completions: list[str] | None) -> None: ...
    def set_status(self, status: StatusView) -> None: ...
    def closed_by_world(self, reason: str) -> None: ...
    def acked(self, seq: int) -> None: ...


class GatewayLink:
    def __init__(self, redis: Any, keys: Keys, gateway: str) -> None:
        self.redis = redis
        self.keys = keys
        self.gateway = gateway
        self.sessions: dict[str, Remote] = {}
        self._out: list[bytes] = []
        self._wake = asyncio.Event()
        self._asks: dict[int, asyncio.Future[Any]] = {}
        self._rid = itertools.count(1)
        self._tasks: list[asyncio.Task[None]] = []
        self.world_up = False
        self.told_restarting = False
        self.frame_lag_ms = 0.0  # the world's stamp to our reading, last frame (metrics)
        self.redis_ok = False
        self._busy = False  # a batch is being written

    # -- out -----------------------------------------------------------------------------------
    def send(self, *op: Any) -> None:
        """Queue ``op`` for the world, in order after everything queued before it."""
        self._out.append(pack([op[0], self.gateway, *op[1:]]))
        self._wake.set()

    async def ask(self, what: str, *args: Any, within: float = ASK_TIMEOUT_S) -> Any:
        """A question for the world (login facts, an exec command); TimeoutError when the
        world does not answer in time (it is restarting)."""
        rid = next(self._rid)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._asks[rid] = future
        self.send("ask", rid, what, list(args))
        try:
            return await asyncio.wait_for(future, within)
        finally:
            self._asks.pop(rid, None)

    async def _write(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            batch, self._out = self._out, []
            self._busy = True
            while batch:
                try:
                    async with self.redis.pipeline(transaction=False) as pipe:
                        for raw in batch:
                            pipe.xadd(
                                self.keys.inbox, {"m": raw}, maxlen=INBOX_MAXLEN, approximate=True
                            )
                        await pipe.execute()
                    batch = []
                except Exception as exc:  # Redis away: keep the batch, in order, and retry
                    log.warning("bus_write_failed", error=str(exc))
                    await asyncio.sleep(0.2)
            self._busy = False

    # -- in ------------------------------------------------------------------------------------
    async def _read(self) -> None:
        last = b"0-0"
        stream = self.keys.outbox(self.gateway)
        while True:
            try:
                found = await self.redis.xread({stream: last}, count=READ_COUNT, block=1000)
            except Exception as exc:
                log.warning("bus_read_failed", error=str(exc))
                await asyncio.sleep(0.2)
                continue
            for _, entries in found or ():
                for entry_id, fields in entries:
                    last = entry_id
                    try:
                        self._apply(unpack(fields[b"m"]))
                    except Exception:
                        log.exception("frame_failed")
                if entries:
                    await self.redis.xtrim(stream, minid=last, approximate=True)

    def _apply(self, frame: list[Any]) -> None:
        stamp, replies, ops = frame
        self.frame_lag_ms = max(0.0, time.time() * 1000 - stamp)
        for op in ops:
            kind = op[0]
            if kind == "d":
                session = self.sessions.get(op[1])
                if session is not None:
                    session.deliver(replies[op[2]])
            elif kind == "k":
                session = self.sessions.get(op[1])
                if session is not None:
                    session.acked(op[2])
            elif kind == "r":
                session = self.sessions.get(op[1])
                if session is not None:
                    session.set_room(op[2], op[3])
            elif kind == "s":
                session = self.sessions.get(op[1])
                if session is not None:
                    session.set_status(op[2])
            elif kind == "c":
                session = self.sessions.pop(op[1], None)
                if session is not None:
                    session.closed_by_world(op[2])
            elif kind == "a":
                future = self._asks.get(op[1])
                if future is not None and not future.done():
                    future.set_result(op[2])
            elif kind == "w":
                self._world_said(op[1])

    # -- heartbeats ----------------------------------------------------------------------------
    def _world_said(self, what: str) -> None:
        if what == "restarting":
            self._tell_all(RESTARTING)
            self.told_restarting = True
        elif what == "back":
            if self.told_restarting:
                self._tell_all(BACK)
            self.told_restarting = False

    def _tell_all(self, text: str) -> None:
        for session in list(self.sessions.values()):
            session.deliver([Reply.info(text)])

    async def _beat(self) -> None:
        key = self.keys.gateway(self.gateway)
        while True:
            try:
                await self.redis.set(key, b"1", ex=TTL_S)
                epoch = await self.redis.get(self.keys.world)
                self.redis_ok = True
            except Exception as exc:
                self.redis_ok = False
                log.warning("bus_heartbeat_failed", error=str(exc))
                epoch = None
            if epoch is None and self.world_up:
                self.world_up = False
                if not self.told_restarting:
                    self._tell_all(RESTARTING)
                    self.told_restarting = True
            elif epoch is not None:
                self.world_up = True
            await asyncio.sleep(HEARTBEAT_S)

    # -- life ----------------------------------------------------------------------------------
    async def start(self) -> None:
        await self.redis.delete(self.keys.outbox(self.gateway))  # a fresh name: nothing old
        await self.redis.set(self.keys.gateway(self.gateway), b"1", ex=TTL_S)
        self.world_up = await self.redis.get(self.keys.world) is not None
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(c) for c in (self._write(), self._read(), self._beat())]

    async def stop(self) -> None:
        """Say every session is gone (the world lets their bodies go now, not at expiry)."""
        for sid in list(self.sessions):
            self.send("gone", sid)
        self.sessions.clear()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._drain(), 2.0)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        with contextlib.suppress(Exception):
            await self.redis.delete(self.keys.gateway(self.gateway))

    async def _drain(self) -> None:
        while self._out or self._wake.is_set() or self._busy:  # noqa: ASYNC110 (two flags)
            await asyncio.sleep(0.01)
