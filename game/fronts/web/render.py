"""Pages from Jinja2 templates (game/fronts/web/templates), autoescaped.

Every page gets the signed-in viewer (or None), the CSRF token its forms carry, the site's
title and the navigation; a template never builds HTML from strings itself.
"""

from __future__ import annotations

from typing import Any

import jinja2
import structlog
from aiohttp import web

from game.fronts.web.security import csrf_token, viewer

log = structlog.get_logger("sshrealm.web")
ENV = web.AppKey("jinja", jinja2.Environment)
TITLE = web.AppKey("site_title", str)


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("game.fronts.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page(request: web.Request, template: str, *, status: int = 200, **values: Any) -> web.Response:
    env = request.app[ENV]
    html = env.get_template(template).render(
        viewer=viewer(request),
        csrf=csrf_token(request),
        site=request.app[TITLE],
        path=request.path,
        **values,
    )
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


def message(request: web.Request, heading: str, text: str, *, status: int) -> web.Response:
    """A page that only says something (a refusal, an error), as HTML."""
    return page(request, "message.html", status=status, heading=heading, text=text)


@web.middleware
async def errors(request: web.Request, handler: Any) -> web.StreamResponse:
    """A failure is logged with its traceback and the visitor reads one sentence, never it."""
    try:
        response: web.StreamResponse = await handler(request)
    except web.HTTPException:
        raise
    except Exception:
        log.exception("web_request_failed", path=request.path)
        return message(
            request, "Sorry", "Something went wrong on our side. Try again soon.", status=500
        )
    return response
