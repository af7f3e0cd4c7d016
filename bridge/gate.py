"""The checkpoint every plugin request passes: capability, rate limit, audit, timeout.

All of this lives in the bridge, before the game's handler, so that a denied request never
reaches the game and every request (allowed or not) leaves exactly one audit record.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

import structlog

from bridge.requests import Request, RequestHandler, RequestResult

_log = structlog.get_logger("bridge.audit")


@dataclass(frozen=True)
class RateLimit:
    """Sustained ``rate`` requests per second with bursts of up to ``burst``."""

    rate: float = 5.0
    burst: int = 20


class TokenBucket:
    """Classic token bucket over an injected clock (seconds)."""

    def __init__(self, limit: RateLimit, clock: Callable[[], float]) -> None:
        self.limit = limit
        self._clock = clock
        self._tokens = float(limit.burst)
        self._at = clock()

    def take(self) -> float:
        """Spend one token: returns 0.0 if allowed, else the seconds until one is free."""
        now = self._clock()
        rate, burst = self.limit.rate, self.limit.burst
        self._tokens = min(float(burst), self._tokens + max(0.0, now - self._at) * rate)
        self._at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return 0.0
        return (1.0 - self._tokens) / rate if rate > 0 else float("inf")


@dataclass(frozen=True)
class AuditRecord:
    """One request and what became of it."""

    ts: float  # the gate's clock, seconds
    principal: str  # plugin name, or "http/<client>"
    request: Request
    outcome: str
    detail: str


def log_audit(record: AuditRecord) -> None:
    """The default audit sink: one structured log line per request."""
    _log.info(
        "request",
        principal=record.principal,
        request=type(record.request).__name__,
        fields=repr(record.request),
        outcome=record.outcome,
        detail=record.detail,
    )


class RequestGate:
    """Checks and forwards requests to the game's ``RequestHandler``."""

    def __init__(
        self,
        handler: RequestHandler,
        *,
        clock: Callable[[], float],
        audit: Callable[[AuditRecord], None] = log_audit,
        timeout: float = 5.0,
    ) -> None:
        self._handler = handler
        self._clock = clock
        self._audit = audit
        self._timeout = timeout
        self._buckets: dict[str, TokenBucket] = {}
        self.counts: dict[str, int] = {}

    def _bucket(self, principal: str, limit: RateLimit) -> TokenBucket:
        bucket = self._buckets.get(principal)
        if bucket is None or bucket.limit != limit:
            bucket = self._buckets[principal] = TokenBucket(limit, self._clock)
        return bucket

    async def submit(
        self,
        principal: str,
        request: Request,
        capabilities: frozenset[str],
        limit: RateLimit,
    ) -> RequestResult:
        """Check, audit and (if allowed) apply ``request``. Never raises."""
        result = self._check(principal, request, capabilities, limit)
        if result is None:
            result = await self._apply(principal, request)
        else:
            # Yield even when refusing at once, so a plugin looping on denied requests
            # cannot starve the event loop (a coroutine that never suspends never yields).
            await asyncio.sleep(0)
        self._record(principal, request, result)
        return result

    def _check(
        self, principal: str, request: Request, caps: frozenset[str], limit: RateLimit
    ) -> RequestResult | None:
        if not isinstance(request, Request) or not request.capability:
            return RequestResult(False, f"not a request: {type(request).__name__}", "invalid")
        if request.capability not in caps:
            detail = f"capability {request.capability!r} is not granted to {principal!r}"
            return RequestResult(False, detail, "denied")
        wait = self._bucket(principal, limit).take()
        if wait > 0:
            return RequestResult(
                False,
                f"rate limit exceeded; retry in {wait:.2f}s",
                "rate-limited",
                {"retry_after": wait},
            )
        return None

    async def _apply(self, principal: str, request: Request) -> RequestResult:
        try:
            result = await asyncio.wait_for(self._handler.apply(principal, request), self._timeout)
        except TimeoutError:
            return RequestResult(False, f"the game did not answer in {self._timeout}s", "timeout")
        except Exception as exc:
            _log.exception("handler-failed", principal=principal)
            return RequestResult(False, f"the game failed: {type(exc).__name__}", "error")
        if not isinstance(result, RequestResult):
            return RequestResult(False, "the game returned no result", "error")
        return result

    def refuse(self, principal: str, request: Request, detail: str) -> RequestResult:
        """Deny without checking (e.g. the plugin is stopped), still leaving an audit record."""
        result = RequestResult(False, detail, "denied")
        self._record(principal, request, result)
        return result

    def _record(self, principal: str, request: Request, result: RequestResult) -> None:
        self.counts[result.outcome] = self.counts.get(result.outcome, 0) + 1
        try:
            self._audit(
                AuditRecord(self._clock(), principal, request, result.outcome, result.detail)
            )
        except Exception:
            _log.exception("audit-failed", principal=principal)
