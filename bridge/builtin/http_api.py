"""The built-in HTTP/WebSocket API plugin: the bridge for programs in other languages.

Off by default (enable ``http`` in ``[bridge].enabled``). It binds 127.0.0.1:7777 unless
settings say otherwise, and serves ``POST /register``, ``GET /universal``, ``POST /bridge``,
``GET /events`` (WebSocket) and ``GET /openapi.json``. It is an ordinary plugin: its clients'
requests go through ``ctx.request_as`` and so get the same capability checks, rate limits
and audit as in-process plugins, narrowed to what each client was granted.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from aiohttp import WSCloseCode, web

from bridge.builtin.http_clients import Client, ClientRegistry, parse_client_caps
from bridge.builtin.http_routes import ApiRoutes, json_errors
from bridge.plugin import PluginContext


def openapi_text() -> str:
    """The shipped OpenAPI 3.1 document describing this API."""
    return resources.files("bridge.builtin").joinpath("openapi.json").read_text("utf-8")


@dataclass(frozen=True)
class HttpSettings:
    """The plugin's ``settings`` table, validated."""

    host: str = "127.0.0.1"
    port: int = 7777
    store: str = ":memory:"  # the client store file; the game points it under its data dir
    default_capabilities: frozenset[str] = frozenset()
    allow_pending: bool = False
    max_pending: int = 50
    max_pending_per_address: int = 3
    pending_ttl: float = 3600.0
    max_streams: int = 32
    streams_per_client: int = 4
    token_recheck: float = 2.0
    stream_queue: int = 1000
    max_body: int = 64 * 1024

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> HttpSettings:
        """Validate settings; a mistake stops the plugin from starting (and says why)."""
        if "clients" in raw:
            raise ValueError(
                "http settings: clients (pre-approval by name alone) was removed, since any "
                "local process could take such a name; issue each client a registration "
                "code with `sshrealm bridge add-client NAME --capabilities ...`"
            )
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ValueError(f"http settings: unknown keys {unknown}; known {sorted(known)}")
        values: dict[str, Any] = {}
        for key in (
            "port",
            "max_pending",
            "max_pending_per_address",
            "max_streams",
            "streams_per_client",
            "stream_queue",
            "max_body",
        ):
            if key in raw:
                value = raw[key]
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise ValueError(f"http settings: {key} must be a non-negative integer")
                values[key] = value
        for key in ("pending_ttl", "token_recheck"):
            if key in raw:
                value = raw[key]
                if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                    raise ValueError(f"http settings: {key} must be a positive number")
                values[key] = float(value)
        for key in ("host", "store"):
            if key in raw:
                if not isinstance(raw[key], str) or not raw[key]:
                    raise ValueError(f"http settings: {key} must be a non-empty string")
                values[key] = raw[key]
        if "allow_pending" in raw:
            values["allow_pending"] = bool(raw["allow_pending"])
        if "default_capabilities" in raw:
            values["default_capabilities"] = parse_client_caps(
                "http settings: default_capabilities", raw["default_capabilities"]
            )
        return cls(**values)


class HttpApiPlugin:
    """Serves the bridge over HTTP and WebSocket. See docs/plugins.md and openapi.json."""

    name = "http"

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self._routes: ApiRoutes | None = None
        self.clients: ClientRegistry | None = None
        self.port: int | None = None
        self.host = "127.0.0.1"

    @property
    def url(self) -> str:
        """The base URL clients use (with the real port when settings asked for 0)."""
        return f"http://{self.host}:{self.port}"

    async def start(self, ctx: PluginContext) -> None:
        """Validate settings, build the app and start listening."""
        settings = HttpSettings.from_mapping(ctx.settings)
        self.clients = ClientRegistry.open(
            settings.store,
            default_capabilities=settings.default_capabilities,
            allow_pending=settings.allow_pending,
            max_pending=settings.max_pending,
            max_pending_per_address=settings.max_pending_per_address,
            pending_ttl_s=settings.pending_ttl,
        )
        self._routes = ApiRoutes(
            ctx,
            self.clients,
            max_streams=settings.max_streams,
            stream_queue=settings.stream_queue,
            streams_per_client=settings.streams_per_client,
            token_recheck=settings.token_recheck,
        )
        app = web.Application(middlewares=[json_errors], client_max_size=settings.max_body)
        self._routes.add_to(app)
        spec = openapi_text()

        async def openapi(request: web.Request) -> web.Response:
            return web.Response(text=spec, content_type="application/json")

        app.router.add_get("/openapi.json", openapi)
        app.on_shutdown.append(self._close_sockets)
        # access_log=None: /events may carry ?token=..., which must not reach a log file.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, settings.host, settings.port)
        await site.start()
        self.host = settings.host
        self.port = int(self._runner.addresses[0][1])
        ctx.log.info("http-api-listening", url=self.url)

    async def _close_sockets(self, app: web.Application) -> None:
        if self._routes is not None:
            for ws in list(self._routes.sockets):
                await ws.close(code=WSCloseCode.GOING_AWAY, message=b"server stopping")

    async def stop(self) -> None:
        """Close every stream and the listening socket."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        if self.clients is not None:
            self.clients.close()

    # -- admin console --------------------------------------------------------------------

    def add(self, name: str, capabilities: Collection[str] | None = None) -> str:
        """Store ``name`` with its grants; returns its one-time registration code. An
        existing client's token stops working and its streams end (a rotation)."""
        if self.clients is None:
            raise RuntimeError("the http plugin is not running")
        code = self.clients.add(name, capabilities)
        if self._routes is not None:
            self._routes.end_streams(name)
        return code

    def approve(self, name: str, capabilities: Collection[str] | None = None) -> bool:
        """Let the pending claimant of ``name`` get a token (default capabilities unless
        given)."""
        return self.clients.approve(name, capabilities) if self.clients else False

    def revoke(self, name: str) -> bool:
        """Invalidate ``name``'s token, end its event streams and free the name."""
        if self.clients is None or not self.clients.revoke(name):
            return False
        if self._routes is not None:
            self._routes.end_streams(name)
        return True

    def pending(self) -> list[str]:
        """Names waiting for ``approve``."""
        return self.clients.pending() if self.clients else []

    def client_list(self) -> list[Client]:
        """Every known client and its grants (no secrets)."""
        return self.clients.clients() if self.clients else []
