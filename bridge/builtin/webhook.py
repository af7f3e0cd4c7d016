"""WebhookRelay: POST chosen events as JSON to a URL (a chat relay, a dashboard, a log sink).

Events are redacted like the HTTP stream's (bridge/privacy.py): without ``scopes`` the
endpoint never gets a private event or a private field (a typed line's arguments, a
balance). One event per request, in order, one at a time: a slow or dead endpoint backs up into the
relay's own bounded queue (oldest dropped) and never slows the game. Failures (refused
connection, timeout, non-2xx answer) are logged and counted, never raised, so the relay
keeps going with the next event.

Settings::

    url = "https://example.org/hook"      # required, http or https
    events = ["player-said", "quest-completed"]   # default: every event its scopes allow
    scopes = ["state.balances"]           # privacy scopes (bridge/privacy.py); default none
    timeout = 5.0                         # seconds per POST
    headers = { Authorization = "Bearer ..." }    # optional extra headers
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
from yarl import URL

from bridge.bus import Subscription
from bridge.events import EVENT_TYPES, Event
from bridge.plugin import PluginContext
from bridge.privacy import PRIVACY_SCOPES, may_see, redact_json


@dataclass(frozen=True)
class WebhookSettings:
    url: URL
    types: tuple[type[Event], ...]
    scopes: frozenset[str]
    timeout: float
    headers: dict[str, str]


def parse_settings(settings: Mapping[str, Any]) -> WebhookSettings:
    unknown = sorted(set(settings) - {"url", "events", "scopes", "timeout", "headers"})
    if unknown:
        raise ValueError(f"webhook settings: unknown keys {unknown}")
    url = URL(str(settings.get("url", "")))
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError("webhook settings: url must be an http(s) URL")
    scopes = settings.get("scopes", [])
    if not isinstance(scopes, list) or not set(scopes) <= PRIVACY_SCOPES:
        raise ValueError(f"webhook settings: scopes must be a list of {sorted(PRIVACY_SCOPES)}")
    names = settings.get("events")
    if names is None:
        types = tuple(t for t in EVENT_TYPES.values() if may_see(t, scopes))
    else:
        if not isinstance(names, list) or not names:
            raise ValueError("webhook settings: events must be a non-empty list of event names")
        missing = sorted(str(n) for n in names if n not in EVENT_TYPES)
        if missing:
            raise ValueError(f"webhook settings: unknown events {missing}")
        types = tuple(EVENT_TYPES[n] for n in names)
        hidden = sorted(t.name for t in types if not may_see(t, scopes))
        if hidden:
            raise ValueError(f"webhook settings: {hidden} need scopes = ['events.private']")
    timeout = settings.get("timeout", 5.0)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise ValueError("webhook settings: timeout must be a positive number")
    headers = settings.get("headers", {})
    if not isinstance(headers, Mapping):
        raise ValueError("webhook settings: headers must be a table")
    return WebhookSettings(
        url, types, frozenset(scopes), float(timeout), {str(k): str(v) for k, v in headers.items()}
    )


class WebhookRelay:
    """Posts events to ``settings.url``; counters ``sent`` / ``failed`` for metrics."""

    name = "webhook"

    def __init__(self) -> None:
        self.sent = 0
        self.failed = 0
        self.last_error = ""
        self._session: aiohttp.ClientSession | None = None
        self._sub: Subscription[Event] | None = None
        self._attempted = asyncio.Condition()
        self._scopes: frozenset[str] = frozenset()

    @property
    def dropped(self) -> int:
        """Events lost because the endpoint could not keep up."""
        return self._sub.dropped if self._sub is not None else 0

    async def start(self, ctx: PluginContext) -> None:
        """Validate settings, open a client session, start the sender task."""
        settings = parse_settings(ctx.settings)
        self._scopes = settings.scopes
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=settings.timeout),
            headers={**settings.headers, "Content-Type": "application/json"},
        )
        self._sub = ctx.subscribe(*settings.types)
        ctx.spawn(self._pump(ctx, settings.url, self._session, self._sub), name="webhook-pump")

    async def _pump(
        self, ctx: PluginContext, url: URL, session: aiohttp.ClientSession, sub: Subscription[Event]
    ) -> None:
        async for event in sub:
            await self._post(ctx, url, session, event)
            async with self._attempted:
                self._attempted.notify_all()

    async def _post(
        self, ctx: PluginContext, url: URL, session: aiohttp.ClientSession, event: Event
    ) -> None:
        body = redact_json(event, self._scopes)
        if body is None:
            return
        try:
            async with session.post(url, data=body.encode()) as resp:
                await resp.read()
                if resp.status >= 300:
                    raise aiohttp.ClientResponseError(
                        resp.request_info, (), status=resp.status, message=resp.reason or ""
                    )
            self.sent += 1
        except Exception as exc:  # every failure is counted, none may stop the relay
            self.failed += 1
            self.last_error = f"{type(exc).__name__}: {exc}"
            ctx.log.warning("webhook-failed", kind=event.name, error=self.last_error)

    async def wait_for_attempts(self, count: int) -> None:
        """Wait until ``count`` events have been attempted (tests and graceful drains)."""
        async with self._attempted:
            await self._attempted.wait_for(lambda: self.sent + self.failed >= count)

    async def stop(self) -> None:
        """Close the client session; queued events are not sent."""
        session, self._session = self._session, None
        if session is not None:
            await session.close()
