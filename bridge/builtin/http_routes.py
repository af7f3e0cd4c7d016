"""Request handlers of the HTTP/WebSocket API (the plugin in ``http_api`` wires them).

Every failure is a JSON body ``{"error": code, "detail": ...}`` with a 4xx status (5xx only
when the game itself failed), and nothing changes unless a request was accepted whole.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import structlog
from aiohttp import WSCloseCode, web

from bridge.builtin.http_clients import Client, ClientRegistry, RegistrationError
from bridge.bus import Subscription
from bridge.events import EVENT_TYPES, Event
from bridge.plugin import PluginContext
from bridge.privacy import PRIVACY_SCOPES, may_see, redact_json
from bridge.state import state_to_dict
from bridge.wire import WireError, request_from_wire

_log = structlog.get_logger("bridge.http")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
STATUS_BY_OUTCOME = {
    "ok": 200,
    "refused": 409,
    "denied": 403,
    "rate-limited": 429,
    "invalid": 400,
    "error": 502,
    "timeout": 504,
}
REGISTER_FIELDS = {"name": True, "language": True, "claim": False, "code": False}
MAX_DEPTH = 32  # nesting of arrays and objects in a request body


def error(
    status: int, code: str, detail: Any, headers: Mapping[str, str] | None = None
) -> web.Response:
    """The one error shape of the API."""
    return web.json_response({"error": code, "detail": detail}, status=status, headers=headers)


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn aiohttp's HTML/plain errors (404, 405, 413, ...) and crashes into JSON."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = exc.reason.lower().replace(" ", "-")
        headers = {k: v for k, v in exc.headers.items() if k.lower() == "allow"}
        return error(exc.status, code, exc.text or exc.reason, headers)
    except Exception:
        _log.exception("route-crashed", path=request.path)
        return error(500, "internal-error", "unexpected error; see the server log")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def nesting_depth(raw: bytes) -> int:
    """The deepest nesting of ``[`` and ``{`` in a JSON text, strings skipped; computed
    before parsing so a hostile body cannot make the parser recurse without bound."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


async def read_json(request: web.Request) -> Any:
    """The parsed body; requires ``Content-Type: application/json`` so that a browser page
    on another origin cannot send it as a CORS "simple request"."""
    if request.content_type != "application/json":
        raise web.HTTPUnsupportedMediaType(text="send Content-Type: application/json")
    raw = await request.read()
    if nesting_depth(raw) > MAX_DEPTH:
        raise _Failed(error(400, "bad-json", f"nested deeper than {MAX_DEPTH} levels"))
    try:
        body = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise _Failed(error(400, "bad-json", str(exc))) from None
    if _half_characters(body):
        raise _Failed(error(400, "bad-json", "a \\ud800-\\udfff escape without its pair"))
    return body


def _half_characters(value: Any) -> bool:
    """Whether a parsed body holds a lone surrogate (JSON joins whole pairs into one
    character; what is left is half a character that no terminal or encoder can write).
    The body's depth is already bounded, so this recursion is too."""
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(_half_characters(k) or _half_characters(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_half_characters(v) for v in value)
    return False


class _Failed(Exception):
    def __init__(self, response: web.Response) -> None:
        super().__init__(response.status)
        self.response = response


class ApiRoutes:
    """The API's handlers over one plugin context and client registry."""

    def __init__(
        self,
        ctx: PluginContext,
        clients: ClientRegistry,
        *,
        max_streams: int,
        stream_queue: int,
        streams_per_client: int = 4,
        token_recheck: float = 2.0,
    ) -> None:
        self.ctx = ctx
        self.clients = clients
        self.max_streams = max_streams
        self.streams_per_client = streams_per_client
        self.token_recheck = token_recheck
        self.stream_queue = stream_queue
        self.sockets: dict[web.WebSocketResponse, tuple[str, Subscription[Event]]] = {}
        # Every stream sends the same events in nearly the same order: encode each once per
        # set of privacy scopes (the redaction differs between them).
        self._encoded: dict[tuple[int, frozenset[str]], tuple[Event, str]] = {}

    def add_to(self, app: web.Application) -> None:
        """Register the routes (``GET /openapi.json`` is added by the plugin)."""
        app.router.add_post("/register", self._guard(self.register))
        app.router.add_get("/universal", self._guard(self.universal))
        app.router.add_post("/bridge", self._guard(self.bridge))
        app.router.add_get("/events", self._guard(self.events))

    @staticmethod
    def _guard(handler: Handler) -> Handler:
        async def guarded(request: web.Request) -> web.StreamResponse:
            try:
                return await handler(request)
            except _Failed as failed:
                return failed.response

        return guarded

    @staticmethod
    def _token(request: web.Request) -> str:
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header[:7].lower() == "bearer " else ""
        return token or (request.query.get("token", "") if request.path == "/events" else "")

    def _client(self, request: web.Request) -> Client:
        token = self._token(request)
        challenge = {"WWW-Authenticate": "Bearer"}
        if not token:
            raise _Failed(
                error(401, "unauthorized", "send Authorization: Bearer <token>", challenge)
            )
        client = self.clients.authenticate(token)
        if client is None:
            raise _Failed(error(401, "unauthorized", "unknown or revoked token", challenge))
        return client

    async def register(self, request: web.Request) -> web.Response:
        """``POST /register``: get a token, or a pending claim."""
        body = await read_json(request)
        if not isinstance(body, dict):
            return error(400, "invalid-body", "the body must be a JSON object")
        problems = {k: "unknown field" for k in body if k not in REGISTER_FIELDS}
        for key, required in REGISTER_FIELDS.items():
            if key not in body:
                if required:
                    problems[key] = "required"
            elif not isinstance(body[key], str) or not 1 <= len(body[key]) <= 64:
                problems[key] = "must be a string of 1 to 64 characters"
        if problems:
            return error(400, "invalid-body", problems)
        try:
            reg = self.clients.register(
                body["name"],
                body["language"],
                claim=body.get("claim"),
                code=body.get("code"),
                address=request.remote or "",
            )
        except RegistrationError as exc:
            return error(exc.status, exc.error, exc.detail)
        self.ctx.log.info("client-registration", client=reg.client.name, status=reg.status)
        if reg.status == "pending":
            pending = {"status": "pending", "name": reg.client.name}
            return web.json_response(
                {**pending, "claim": reg.claim} if reg.claim else pending, status=202
            )
        caps = sorted(reg.client.capabilities)
        answer = {"status": "approved", "name": reg.client.name, "token": reg.token}
        return web.json_response({**answer, "capabilities": caps})

    async def universal(self, request: web.Request) -> web.Response:
        """``GET /universal``: the shared state this client may read."""
        client = self._client(request)
        balances = "state.balances" in client.capabilities
        return web.json_response(state_to_dict(self.ctx.state, balances=balances))

    async def bridge(self, request: web.Request) -> web.Response:
        """``POST /bridge``: ask the game to act, with this client's capabilities."""
        client = self._client(request)
        try:
            req = request_from_wire(await read_json(request))
        except WireError as exc:
            return error(400, exc.error, exc.detail)
        result = await self.ctx.request_as(client.name, req, client.capabilities)
        status = STATUS_BY_OUTCOME[result.outcome]
        data = dict(result.data)
        if "state.balances" not in client.capabilities:
            data.pop("balance", None)  # a grant's or refused charge's balance is private
        if result.ok:
            body = {"ok": True, "outcome": result.outcome, "detail": result.detail}
            return web.json_response({**body, "data": data})
        headers = {}
        if result.outcome == "rate-limited":
            headers["Retry-After"] = str(max(1, round(float(result.data["retry_after"]) + 0.5)))
        return error(status, result.outcome, result.detail, headers)

    def _stream_types(self, request: web.Request, client: Client) -> tuple[type[Event], ...]:
        wanted = [n for n in request.query.get("types", "").split(",") if n.strip()]
        unknown = sorted(n for n in wanted if n not in EVENT_TYPES)
        if unknown:
            raise _Failed(
                error(400, "unknown-event-type", {"unknown": unknown, "known": sorted(EVENT_TYPES)})
            )
        types = [EVENT_TYPES[n] for n in wanted] or list(EVENT_TYPES.values())
        hidden = [t for t in types if not may_see(t, client.capabilities)]
        if wanted and hidden:
            raise _Failed(error(403, "denied", "private events need 'events.private'"))
        return tuple(t for t in types if t not in hidden)

    async def events(self, request: web.Request) -> web.StreamResponse:
        """``GET /events``: a WebSocket of events as JSON text frames."""
        client = self._client(request)
        types = self._stream_types(request, client)
        ws = web.WebSocketResponse(heartbeat=30)
        if not ws.can_prepare(request).ok:
            return error(426, "upgrade-required", "connect with a WebSocket client")
        if len(self.sockets) >= self.max_streams:
            return error(429, "too-many-streams", f"at most {self.max_streams} streams")
        mine = sum(1 for name, _ in self.sockets.values() if name == client.name.lower())
        if mine >= self.streams_per_client:
            limit = self.streams_per_client
            return error(429, "too-many-streams", f"at most {limit} streams per client")
        # Subscribe before the handshake answer, so that every event published after the
        # client sees its connection open is delivered.
        sub = self.ctx.subscribe(*types, maxsize=self.stream_queue)
        self.sockets[ws] = (client.name.lower(), sub)
        try:
            await ws.prepare(request)
            pump = asyncio.create_task(self._pump(ws, sub, client))
            watch = asyncio.create_task(self._watch(sub, self._token(request)))
        except BaseException:
            sub.close()
            self.sockets.pop(ws, None)
            raise
        try:
            async for _ in ws:  # client messages are ignored; this loop sees the close
                pass
        finally:
            sub.close()
            pump.cancel()
            watch.cancel()
            self.sockets.pop(ws, None)
        return ws

    async def _watch(self, sub: Subscription[Event], token: str) -> None:
        """End the stream within ``token_recheck`` seconds of its token being revoked or
        rotated, by the shell or the console (which share the store, not this process)."""
        while not sub.closed:
            await asyncio.sleep(self.token_recheck)
            if self.clients.authenticate(token) is None:
                sub.close()  # the pump then closes the socket

    def end_streams(self, client: str) -> int:
        """Close ``client``'s streams (its token was revoked); returns how many."""
        subs = [sub for name, sub in self.sockets.values() if name == client.lower()]
        for sub in subs:
            sub.close()  # the pump then closes the socket
        return len(subs)

    def _encode(self, event: Event, scopes: frozenset[str]) -> str | None:
        key = (id(event), scopes & PRIVACY_SCOPES)
        hit = self._encoded.get(key)
        if hit is not None and hit[0] is event:  # the event is kept alive, so ids are unique
            return hit[1]
        text = redact_json(event, scopes)
        if text is None:
            return None
        self._encoded[key] = (event, text)
        if len(self._encoded) > 256:
            del self._encoded[next(iter(self._encoded))]
        return text

    async def _pump(
        self, ws: web.WebSocketResponse, sub: Subscription[Event], client: Client
    ) -> None:
        reported = 0
        try:
            async for event in sub:
                if sub.dropped != reported:
                    gap = {"count": sub.dropped - reported}
                    reported = sub.dropped
                    notice = {"type": "stream.dropped", "ts": event.ts, "data": gap}
                    await ws.send_str(json.dumps(notice))
                text = self._encode(event, client.capabilities)
                if text is not None:
                    await ws.send_str(text)
        except (ConnectionError, RuntimeError):
            return  # the client went away mid-send
        await ws.close(code=WSCloseCode.GOING_AWAY, message=b"stream ended")
