"""WebhookRelay: POST chosen events as JSON to a URL (a chat relay, a dashboard, a log sink).

One event per request, in order, one at a time: a slow or dead endpoint backs up into the
relay's own bounded queue (oldest dropped) and never slows the game. Failures (refused
connection, timeout, non-2xx answer) are logged and counted, never raised, so the relay
keeps going with the next event.

Settings::

    url = "https://example.org/hook"      # required, http or https
    events = ["player-said", "quest-completed"]   # default: every non-private event
    timeout = 5.0                         # seconds per POST
    headers = { Authorization = "Bearer ..." }    # optional extra headers
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import aiohttp
from yarl import URL

from bridge.bus import Subscription
from bridge.events import EVENT_TYPES, Event, event_to_json
from bridge.plugin import PluginContext


def parse_settings(
    settings: Mapping[str, Any],
) -> tuple[URL, tuple[type[Event], ...], float, dict[str, str]]:
    unknown = sorted(set(settings) - {"url", "events", "timeout", "headers"})
    if unknown:
        raise ValueError(f"webhook settings: unknown keys {unknown}")
    url = URL(str(settings.get("url", "")))
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError("webhook settings: url must be an http(s) URL")
    names = settings.get("events")
    if names is None:
        types = tuple(t for t in EVENT_TYPES.values() if not t.private)
    else:
        if not isinstance(names, list) or not names:
            raise ValueError("webhook settings: events must be a non-empty list of event names")
        missing = sorted(str(n) for n in names if n not in EVENT_TYPES)
        if missing:
            raise ValueError(f"webhook settings: unknown events {missing}")
        types = tuple(EVENT_TYPES[n] for n in names)
    timeout = settings.get("timeout", 5.0)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        raise ValueError("webhook settings: timeout must be a positive number")
    headers = settings.get("headers", {})
    if not isinstance(headers, Mapping):
        raise ValueError("webhook settings: headers must be a table")
    return url, types, float(timeout), {str(k): str(v) for k, v in headers.items()}


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

    @property
    def dropped(self) -> int:
        """Events lost because the endpoint could not keep up."""
        return self._sub.dropped if self._sub is not None else 0

    async def start(self, ctx: PluginContext) -> None:
        """Validate settings, open a client session, start the sender task."""
        url, types, timeout, headers = parse_settings(ctx.settings)
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=timeout),
            headers={**headers, "Content-Type": "application/json"},
        )
        self._sub = ctx.subscribe(*types)
        ctx.spawn(self._pump(ctx, url, self._session, self._sub), name="webhook-pump")

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
        try:
            async with session.post(url, data=event_to_json(event).encode()) as resp:
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
