"""The built-in HTTP/WebSocket API plugin: the bridge for programs in other languages.

Off by default (enable ``http`` in ``[bridge].enabled``). It binds 127.0.0.1:7777 unless
settings say otherwise, and serves ``POST /register``, ``GET /universal``, ``POST /bridge``,
``GET /events`` (WebSocket) and ``GET /openapi.json``. It is an ordinary plugin: its clients'
requests go through ``ctx.request_as`` and so get the same capability checks, rate limits
and audit as in-process plugins, narrowed to what each client was granted.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from aiohttp import WSCloseCode, web

from bridge.builtin.http_clients import ClientRegistry, parse_client_caps
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
    clients: Mapping[str, frozenset[str]] = field(default_factory=dict)
    default_capabilities: frozenset[str] = frozenset()
    allow_pending: bool = True
    max_pending: int = 50
    max_streams: int = 32
    stream_queue: int = 1000
    max_body: int = 64 * 1024

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> HttpSettings:
        """Validate settings; a mistake stops the plugin from starting (and says why)."""
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ValueError(f"http settings: unknown keys {unknown}; known {sorted(known)}")
        values: dict[str, Any] = {}
        for key in ("port", "max_pending", "max_streams", "stream_queue", "max_body"):
            if key in raw:
                value = raw[key]
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise ValueError(f"http settings: {key} must be a non-negative integer")
                values[key] = value
        if "host" in raw:
            if not isinstance(raw["host"], str):
                raise ValueError("http settings: host must be a string")
            values["host"] = raw["host"]
        if "allow_pending" in raw:
            values["allow_pending"] = bool(raw["allow_pending"])
        if "default_capabilities" in raw:
            values["default_capabilities"] = parse_client_caps(
                "http settings: default_capabilities", raw["default_capabilities"]
            )
        clients = raw.get("clients", {})
        if not isinstance(clients, Mapping):
            raise ValueError("http settings: clients must be a table of client tables")
        values["clients"] = {
            str(name): parse_client_caps(
                f"http settings: clients.{name}.capabilities",
                table.get("capabilities", []) if isinstance(table, Mapping) else None,
            )
            for name, table in clients.items()
        }
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
        self.clients = ClientRegistry(
            settings.clients,
            default_capabilities=settings.default_capabilities,
            allow_pending=settings.allow_pending,
            max_pending=settings.max_pending,
        )
        self._routes = ApiRoutes(
            ctx,
            self.clients,
            max_streams=settings.max_streams,
            stream_queue=settings.stream_queue,
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

    # -- admin console --------------------------------------------------------------------

    def approve(self, name: str, capabilities: Collection[str] | None = None) -> bool:
        """Let ``name`` get a token (default capabilities unless given)."""
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

    def client_list(self) -> list[dict[str, Any]]:
        """Every known client and its grants (no secrets)."""
        return self.clients.clients() if self.clients else []
