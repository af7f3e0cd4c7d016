"""The plugin host: discovery, lifecycle and supervision.

Plugins come from the ``sshrealm.plugins`` entry-point group, filtered by the config's
allow-list, or from explicit factories (tests, the game's own wiring). Each one is started
with a timeout and then supervised: an exception in ``start`` or in a ``ctx.spawn`` task is
logged and the plugin is restarted from a fresh instance after an exponential backoff; a
plugin that hangs in ``start``/``stop`` is abandoned and marked failed. Nothing a plugin does
raises into the game: every public coroutine here returns normally.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field

import structlog

from bridge.bounded import Abandoned, bounded
from bridge.bus import EventBus, SubscriberStats
from bridge.config import BridgeConfig
from bridge.gate import AuditRecord, RequestGate, log_audit
from bridge.plugin import Plugin, PluginContext, PluginFactory
from bridge.requests import RequestHandler
from bridge.state import StateView

GROUP = "sshrealm.plugins"
STATES = ("starting", "running", "backoff", "failed", "stopped")
_log = structlog.get_logger("bridge.host")


@dataclass(frozen=True)
class PluginStatus:
    """One plugin as the admin console and metrics see it."""

    name: str
    state: str  # one of STATES
    errors: int  # exceptions and timeouts since the host started
    restarts: int
    last_error: str
    capabilities: tuple[str, ...]
    tasks: int
    subscriptions: tuple[SubscriberStats, ...]


@dataclass
class _Slot:
    name: str
    factory: PluginFactory | None
    state: str = "stopped"
    errors: int = 0
    restarts: int = 0
    consecutive: int = 0
    last_error: str = ""
    started_at: float = 0.0
    instance: Plugin | None = None
    ctx: PluginContext | None = None
    recovery: asyncio.Task[None] | None = field(default=None, repr=False)


def _entry_points() -> Iterable[importlib.metadata.EntryPoint]:
    return importlib.metadata.entry_points(group=GROUP)


class PluginHost:
    """Owns every plugin for one game process."""

    def __init__(
        self,
        *,
        bus: EventBus,
        state: StateView,
        handler: RequestHandler,
        config: BridgeConfig | None = None,
        factories: Mapping[str, PluginFactory] | None = None,
        audit: Callable[[AuditRecord], None] = log_audit,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        entry_points: Callable[[], Iterable[importlib.metadata.EntryPoint]] = _entry_points,
    ) -> None:
        self.bus = bus
        self.state = state
        self.config = config or BridgeConfig()
        self.gate = RequestGate(
            handler, clock=clock, audit=audit, timeout=self.config.request_timeout
        )
        self._clock = clock
        self._sleep = sleep
        self._factories = dict(factories or {})
        self._entry_points = entry_points
        self._slots: dict[str, _Slot] = {}
        self._orphans = Abandoned()
        self._waiters: list[asyncio.Future[None]] = []
        self._stopping = False

    # -- discovery ---------------------------------------------------------------------

    def _discover(self) -> None:
        for name, factory in self._factories.items():
            self._slots[name] = _Slot(name, factory)
        wanted = [n for n in self.config.enabled if n not in self._slots]
        try:
            found = {ep.name: ep for ep in self._entry_points() if ep.name in wanted}
        except Exception as exc:
            _log.exception("discovery-failed")
            found, error = {}, f"entry point discovery failed: {exc!r}"
        else:
            error = "not installed (no entry point in group sshrealm.plugins)"
        for name in wanted:
            slot = self._slots[name] = _Slot(name, None)
            ep = found.get(name)
            try:
                if ep is None:
                    raise LookupError(error)
                slot.factory = ep.load()
            except Exception as exc:
                self._mark(slot, "failed", f"load failed: {exc}")
                slot.errors += 1

    # -- public lifecycle ---------------------------------------------------------------

    async def start(self) -> None:
        """Discover and start every plugin concurrently; returns when each has settled.

        Does nothing while plugins are still live (use ``restart`` for one plugin)."""
        if any(s.state in ("starting", "running", "backoff") for s in self._slots.values()):
            return
        self._stopping = False
        self._slots.clear()
        self._discover()
        await asyncio.gather(*(self._launch(s) for s in self._slots.values() if s.factory))

    async def stop(self) -> None:
        """Stop every plugin (each bounded by ``stop_timeout``); never raises."""
        self._stopping = True
        for slot in self._slots.values():
            if slot.recovery is not None:
                slot.recovery.cancel()
        await asyncio.gather(*(self._shutdown(s) for s in self._slots.values()))

    async def restart(self, name: str) -> bool:
        """Admin action: stop ``name`` and start a fresh instance, forgetting past failures."""
        slot = self._slots.get(name)
        if slot is None or slot.factory is None or self._stopping:
            return False
        if slot.recovery is not None:
            slot.recovery.cancel()
        await self._shutdown(slot)
        slot.consecutive = 0
        await self._launch(slot)
        return True

    def plugin(self, name: str) -> Plugin | None:
        """The live instance of ``name`` (e.g. for ``http.approve(...)``), if running."""
        slot = self._slots.get(name)
        return slot.instance if slot is not None and slot.state == "running" else None

    def status(self) -> list[PluginStatus]:
        """A snapshot of every plugin's state and counters."""
        return [self._status(s) for s in self._slots.values()]

    def _status(self, s: _Slot) -> PluginStatus:
        subs = tuple(x.stats() for x in s.ctx.subscriptions()) if s.ctx else ()
        caps = tuple(sorted(self.config.plugin(s.name).capabilities))
        tasks = s.ctx.task_count if s.ctx else 0
        return PluginStatus(s.name, s.state, s.errors, s.restarts, s.last_error, caps, tasks, subs)

    async def wait_for_state(self, name: str, *states: str) -> str:
        """Wait until ``name`` is in one of ``states`` (wrap in ``asyncio.timeout``)."""
        while True:
            slot = self._slots.get(name)
            if slot is not None and slot.state in states:
                return slot.state
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            await waiter

    # -- supervision --------------------------------------------------------------------

    def _mark(self, slot: _Slot, state: str, error: str = "") -> None:
        slot.state = state
        if error:
            slot.last_error = error
        _log.info("plugin-state", plugin=slot.name, state=state, error=error or None)
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def _launch(self, slot: _Slot) -> None:
        self._mark(slot, "starting")
        cfg = self.config.plugin(slot.name)
        slot.instance = slot.ctx = None
        try:
            assert slot.factory is not None
            instance = slot.factory()
        except Exception as exc:
            self._fail(slot, None, exc)
            return
        ctx = PluginContext(
            name=slot.name,
            state=self.state,
            bus=self.bus,
            gate=self.gate,
            capabilities=cfg.capabilities,
            limit=cfg.limit,
            settings=cfg.settings,
            clock=self._clock,
            queue_size=self.config.queue_size,
            on_task_failed=lambda exc: self._fail(slot, ctx, exc),
        )
        slot.instance, slot.ctx = instance, ctx
        error = await bounded(lambda: instance.start(ctx), self.config.start_timeout, self._orphans)
        if isinstance(error, TimeoutError):
            slot.errors += 1
            ctx.close()
            self._mark(slot, "failed", f"start hung: {error}")
        elif error is not None:
            self._fail(slot, ctx, error)
        elif not ctx.closed:  # a spawned task may already have failed the plugin
            slot.started_at = self._clock()
            self._mark(slot, "running")

    def _fail(self, slot: _Slot, ctx: PluginContext | None, exc: BaseException) -> None:
        """Record a crash and schedule the restart (called from task callbacks too)."""
        stale = ctx is not slot.ctx or (ctx is not None and ctx.closed)
        if stale or self._stopping or slot.state in ("failed", "stopped"):
            return  # an old run, a run already failed once, or the host is shutting down
        slot.errors += 1
        _log.error("plugin-crashed", plugin=slot.name, exc_info=exc)
        if ctx is not None:
            ctx.close()
        if slot.state == "running" and self._clock() - slot.started_at >= self.config.healthy_after:
            slot.consecutive = 0
        slot.consecutive += 1
        error = f"{type(exc).__name__}: {exc}"
        if slot.consecutive > self.config.max_restarts:
            self._mark(slot, "failed", f"gave up after {slot.consecutive} failures; {error}")
            return
        self._mark(slot, "backoff", error)
        delay = min(self.config.backoff_base * 2 ** (slot.consecutive - 1), self.config.backoff_max)
        slot.recovery = asyncio.create_task(self._recover(slot, slot.instance, delay))

    async def _recover(self, slot: _Slot, old: Plugin | None, delay: float) -> None:
        if old is not None:
            error = await bounded(old.stop, self.config.stop_timeout, self._orphans)
            if isinstance(error, TimeoutError):
                slot.errors += 1
                self._mark(slot, "failed", f"stop hung: {error}")
                return
            if error is not None:
                slot.errors += 1
                _log.error("plugin-stop-failed", plugin=slot.name, exc_info=error)
        await self._sleep(delay)
        if slot.state == "backoff" and not self._stopping:
            slot.restarts += 1
            await self._launch(slot)

    async def _shutdown(self, slot: _Slot) -> None:
        instance, ctx, was = slot.instance, slot.ctx, slot.state
        slot.instance = None
        if was in ("running", "starting") and instance is not None:
            error = await bounded(instance.stop, self.config.stop_timeout, self._orphans)
            if error is not None:
                slot.errors += 1
                _log.error("plugin-stop-failed", plugin=slot.name, exc_info=error)
            if ctx is not None:
                ctx.close()
            if isinstance(error, TimeoutError):
                self._mark(slot, "failed", f"stop hung: {error}")
                return
        elif ctx is not None:
            ctx.close()
        if slot.state != "failed":
            self._mark(slot, "stopped")
