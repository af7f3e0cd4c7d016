"""What every web response and form goes through: headers, cookies, CSRF, who is signed in.

* **Headers**: a Content-Security-Policy that allows scripts from this site only (no inline
  script anywhere, no ``eval``), no framing, no plugins, forms posting only here; the browser
  terminal page also allows inline *styles*, because xterm.js sizes its cells with ``<style>``
  elements it makes. ``X-Content-Type-Options``, ``Referrer-Policy`` and no caching of pages.
* **Cookies**: HttpOnly and SameSite; Secure when the page came over HTTPS, or when the
  operator says a TLS proxy is in front (``web_secure_cookies``).
* **CSRF**: every form carries a token. A signed-in browser's token is its session's (kept
  in the database beside the session); before sign-in it is a double-submit token held in a
  SameSite=Strict cookie. A POST whose token is missing or wrong, or whose ``Origin`` is
  another site, is refused before anything happens. WebSockets check ``Origin`` too.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from game.engine.game import Game

SESSION_COOKIE = "sshrealm_session"
CSRF_COOKIE = "sshrealm_csrf"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'{inline}; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
INLINE_STYLES = web.AppKey("inline_styles", set[str])
"""Paths whose pages may use inline styles (the xterm.js page)."""
SECURE = web.AppKey("secure_cookies", bool)
GAME: web.AppKey[Game] = web.AppKey("game")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in player behind a request."""

    name: str
    role: str
    csrf: str
    token: str


@web.middleware
async def headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    inline = request.path in request.app[INLINE_STYLES]
    response.headers.setdefault(
        "Content-Security-Policy", CSP.format(inline=" 'unsafe-inline'" if inline else "")
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if response.content_type == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    token = request.get("new_csrf")
    if isinstance(token, str) and isinstance(response, web.Response):
        set_cookie(response, request, CSRF_COOKIE, token, strict=True)
    return response


def secure(request: web.Request) -> bool:
    return request.secure or request.app[SECURE]


def set_cookie(
    response: web.StreamResponse,
    request: web.Request,
    name: str,
    value: str,
    *,
    strict: bool = False,
    max_age: int | None = None,
) -> None:
    """HttpOnly, SameSite (Strict for the CSRF cookie, Lax for the session so a link from
    elsewhere still arrives signed in), Secure behind TLS."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="Strict" if strict else "Lax",
        secure=secure(request),
    )


def viewer(request: web.Request) -> Viewer | None:
    """Who is signed in, from the session cookie (read once per request)."""
    if "viewer" in request:
        found: Viewer | None = request["viewer"]
        return found
    game = request.app[GAME]
    token = request.cookies.get(SESSION_COOKIE, "")
    found = None
    session = game.web.session(token) if token else None
    if session is not None:
        name, csrf = session
        account = game.store.account(name)
        if account is not None:
            found = Viewer(account.name, account.role, csrf, token)
    request["viewer"] = found
    return found


def csrf_token(request: web.Request) -> str:
    """The token this request's forms carry."""
    who = viewer(request)
    if who is not None:
        return who.csrf
    token = request.cookies.get(CSRF_COOKIE) or request.get("new_csrf")
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        token = secrets.token_urlsafe(24)
        request["new_csrf"] = token
    return token


def same_origin(request: web.Request) -> bool:
    """False when the browser says the request comes from another site."""
    origin = request.headers.get("Origin")
    if origin is None or (origin == "null" and request.method == "GET"):
        return True
    allowed = {f"{request.scheme}://{request.host}"}
    if request.app[SECURE]:  # a TLS proxy in front: the browser's origin is https
        allowed.add(f"https://{request.host}")
    return origin in allowed


async def checked_form(request: web.Request) -> dict[str, str] | None:
    """The posted form, or None when its CSRF token or origin is wrong (nothing may run)."""
    if not same_origin(request):
        return None
    posted = await request.post()
    form = {k: v for k, v in posted.items() if isinstance(v, str)}
    sent = form.get("csrf", "")
    who = viewer(request)
    expected = who.csrf if who is not None else request.cookies.get(CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
        return None
    return form


def forbidden(
    text: str = "That form has expired. Go back, reload the page and try again.",
) -> web.Response:
    return web.Response(status=403, text=text, content_type="text/plain")
