"""What a plugin is, and the context it gets from the host.

A plugin is any object with a ``name`` and async ``start(ctx)`` / ``stop()``. Everything it
may touch arrives through ``PluginContext``: a read-only ``state``, ``subscribe`` for
events, ``request`` to ask the game to act, ``spawn`` for supervised background tasks, its
``settings``, a ``log`` bound to its name and a ``clock``. A new context is made for every
(re)start; closing it cancels the plugin's tasks and subscriptions, so a restarted plugin
leaves nothing behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Coroutine, Mapping
from typing import Any, Protocol, cast, overload

import structlog
from structlog.typing import FilteringBoundLogger

from bridge.bus import E, EventBus, Subscription
from bridge.events import Event
from bridge.gate import RateLimit, RequestGate
from bridge.requests import Request, RequestResult
from bridge.state import StateView


class Plugin(Protocol):
    """The plugin protocol. ``start`` should return promptly: long work goes in
    ``ctx.spawn`` tasks, which the host supervises (a crash restarts the plugin)."""

    name: str

    async def start(self, ctx: PluginContext) -> None:
        """Begin work: subscribe, spawn tasks, open sockets."""
        ...

    async def stop(self) -> None:
        """Release what ``start`` acquired (tasks made with ``ctx.spawn`` are cancelled
        by the host anyway)."""
        ...


PluginFactory = Callable[[], Plugin]


class PluginContext:
    """A plugin's view of the game for one run (from ``start`` to ``stop``)."""

    def __init__(
        self,
        *,
        name: str,
        state: StateView,
        bus: EventBus,
        gate: RequestGate,
        capabilities: frozenset[str],
        limit: RateLimit,
        settings: Mapping[str, Any],
        clock: Callable[[], float],
        queue_size: int,
        on_task_failed: Callable[[BaseException], None],
    ) -> None:
        self.name = name
        self.state = state
        self.capabilities = capabilities
        self.settings = settings
        self.clock = clock
        self.log: FilteringBoundLogger = cast(
            FilteringBoundLogger, structlog.get_logger("bridge.plugin").bind(plugin=name)
        )
        self.closed = False
        self._bus = bus
        self._gate = gate
        self._limit = limit
        self._queue_size = queue_size
        self._on_task_failed = on_task_failed
        self._subs: list[Subscription[Event]] = []
        self._tasks: set[asyncio.Task[Any]] = set()

    @overload
    def subscribe(self, *, maxsize: int | None = None) -> Subscription[Event]: ...

    @overload
    def subscribe(self, *types: type[E], maxsize: int | None = None) -> Subscription[E]: ...

    def subscribe(self, *types: type[Event], maxsize: int | None = None) -> Subscription[Any]:
        """A bounded stream of ``types`` (all events if none), closed when the plugin stops."""
        sub = self._bus.subscribe(
            *types, maxsize=maxsize or self._queue_size, name=f"{self.name}#{len(self._subs)}"
        )
        self._subs = [s for s in self._subs if not s.closed]
        self._subs.append(sub)
        if self.closed:
            sub.close()
        return sub

    async def request(self, request: Request) -> RequestResult:
        """Ask the game to act; checked against this plugin's capabilities and rate."""
        return await self._submit(self.name, request, self.capabilities)

    async def request_as(
        self, client: str, request: Request, capabilities: Collection[str]
    ) -> RequestResult:
        """Act for one of the plugin's own clients (the HTTP API does this per token).

        The client gets at most the plugin's capabilities, its own rate bucket, and its own
        name in the audit log and in the handler's ``plugin`` argument (``name/client``).
        """
        caps = self.capabilities & frozenset(capabilities)
        return await self._submit(f"{self.name}/{client}", request, caps)

    async def _submit(
        self, principal: str, request: Request, caps: frozenset[str]
    ) -> RequestResult:
        if self.closed:
            return self._gate.refuse(principal, request, f"plugin {self.name!r} is stopped")
        return await self._gate.submit(principal, request, caps, self._limit)

    def spawn(
        self, coro: Coroutine[Any, Any, Any], *, name: str | None = None
    ) -> asyncio.Task[Any]:
        """Run ``coro`` as a supervised task: if it raises, the host restarts the plugin."""
        if self.closed:
            coro.close()
            raise RuntimeError(f"plugin {self.name!r} is stopped")
        task = asyncio.create_task(coro, name=f"plugin:{self.name}:{name or 'task'}")
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled() or self.closed:
            return
        exc = task.exception()
        if exc is not None:
            self._on_task_failed(exc)

    @property
    def task_count(self) -> int:
        """Running tasks spawned through this context."""
        return len(self._tasks)

    def subscriptions(self) -> list[Subscription[Event]]:
        """This run's open subscriptions (for stats)."""
        return [s for s in self._subs if not s.closed]

    def close(self) -> None:
        """End this run: cancel spawned tasks, close subscriptions, refuse new requests."""
        self.closed = True
        for task in list(self._tasks):
            task.cancel()
        for sub in self._subs:
            sub.close()
        self._subs = []
