"""The admin dashboard: reports with charts, live sessions, bridge clients, audit, content.

Every page and every button runs the game's own admin commands as the signed-in account
(game/fronts/web/ask.py): ``@who``, ``@server``, ``reload status``, ``@report``, ``@bridge``,
``@audit``, and for the buttons ``@kick``, ``@mute``, ``@bridge approve|revoke|rotate|add``
and ``reload``. The engine checks the role of each, writes the audit row and refuses a
player whatever this module does; the check here only spares a player the round trip and
answers 403. A button's arguments are checked before any command line is built: names match
the login rule, reasons are one line, and nothing else can be slipped in.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from aiohttp import web

from game.core.report_view import ReportView, Section, Table
from game.fronts.names import NAME
from game.fronts.web.ask import ask, refused
from game.fronts.web.charts import line_chart, report_bars
from game.fronts.web.render import message, page
from game.fronts.web.security import GAME, Viewer, checked_form, forbidden, viewer

if TYPE_CHECKING:
    from game.core.reply import Reply

CLIENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")
CAPABILITY = re.compile(r"[a-z][a-z0-9_.:-]{0,39}")
DURATION = re.compile(r"[0-9]{1,4}[mhd]")
KINDS = {"economy": "Domingo's economy report", "growth": "Cal's growth report"}


def _admin(request: web.Request) -> Viewer | web.Response:
    who = viewer(request)
    if who is None:
        raise web.HTTPSeeOther("/signin")
    if who.role != "admin":
        return message(request, "Admins only", "This page is for the server's admins.", status=403)
    return who


def _lines(replies: list[Reply]) -> list[str]:
    return [line for r in replies for line in r.lines()]


def _refusal(request: web.Request, replies: list[Reply]) -> web.Response:
    """The engine said no: show what it said (a role check, a rate limit)."""
    text = " ".join(_lines(replies)) or "The game refused."
    return message(request, "Refused", text, status=403)


async def dashboard(request: web.Request) -> web.Response:
    who = _admin(request)
    if isinstance(who, web.Response):
        return who
    game = request.app[GAME]
    sessions = ask(game, who.name, "@who")
    if refused(sessions):
        return _refusal(request, sessions)
    online = sorted({s.player.name for s in game.sessions if s.kind != "exec"}, key=str.lower)
    return page(
        request,
        "admin.html",
        sessions=_lines(sessions),
        online=online,
        server=_lines(ask(game, who.name, "@server")),
        content=_lines(ask(game, who.name, "reload status")),
    )


async def report(request: web.Request) -> web.Response:
    who = _admin(request)
    if isinstance(who, web.Response):
        return who
    kind = request.match_info["kind"]
    if kind not in KINDS:
        return message(request, "No such report", "Reports: economy, growth.", status=404)
    replies = ask(request.app[GAME], who.name, f"@report {kind}")
    if refused(replies):
        return _refusal(request, replies)
    found = next((r.data for r in replies if isinstance(r.data, ReportView)), None)
    if found is None:
        return message(request, KINDS[kind], " ".join(_lines(replies)), status=200)
    charts = [line_chart(name, values) for name, values in found.series if values]
    # The engine let this admin read the report: its body gives the bar charts too.
    stored = request.app[GAME].reports.latest(kind)
    bars = report_bars(kind, stored.body) if stored is not None else []
    sections = [b for b in found.blocks if isinstance(b, Section)]
    tables = [b for b in found.blocks if isinstance(b, Table)]
    blocks = [("section", b) if isinstance(b, Section) else ("table", b) for b in found.blocks]
    return page(
        request,
        "report.html",
        heading=KINDS[kind],
        title=found.title,
        charts=charts,
        bars=bars,
        blocks=blocks,
        has_data=bool(sections or tables),
    )


async def bridge(request: web.Request) -> web.Response:
    who = _admin(request)
    if isinstance(who, web.Response):
        return who
    replies = ask(request.app[GAME], who.name, "@bridge")
    if refused(replies):
        return _refusal(request, replies)
    lines = _lines(replies)
    clients = []
    for line in lines[1:]:
        name, _, state = line.partition(": ")
        if CLIENT.fullmatch(name):
            clients.append({"name": name, "state": state, "pending": "pending" in state})
    return page(request, "bridge.html", lines=lines, clients=clients)


async def audit(request: web.Request) -> web.Response:
    who = _admin(request)
    if isinstance(who, web.Response):
        return who
    replies = ask(request.app[GAME], who.name, "@audit 100")
    if refused(replies):
        return _refusal(request, replies)
    return page(request, "audit.html", lines=_lines(replies))


def command_for(form: dict[str, str]) -> str | None:
    """The one admin command a dashboard button asks for, or None if its fields are wrong."""
    action = form.get("action", "")
    name = form.get("name", "").strip()
    reason = " ".join(form.get("reason", "").split())[:200]
    caps = form.get("capabilities", "").split()
    if action in ("kick", "mute"):
        if not NAME.fullmatch(name) or not reason:
            return None
        if action == "kick":
            return f"@kick {name} {reason}"
        span = form.get("duration", "1h").strip()
        return f"@mute {name} {span} {reason}" if DURATION.fullmatch(span) else None
    if action in ("approve", "revoke", "rotate", "add"):
        if not CLIENT.fullmatch(name) or not all(CAPABILITY.fullmatch(c) for c in caps):
            return None
        extra = " " + " ".join(caps) if caps and action in ("approve", "add") else ""
        return f"@bridge {action} {name}{extra}"
    if action == "reload":
        return "reload"
    return None


async def act(request: web.Request) -> web.Response:
    """POST /admin/act: one button; the result page says what the game answered."""
    who = _admin(request)
    if isinstance(who, web.Response):
        return who
    form = await checked_form(request)
    if form is None:
        return forbidden()
    line = command_for(form)
    if line is None:
        return message(
            request,
            "Nothing was done",
            "That form was incomplete: a name (and for kick and mute, a reason) is needed.",
            status=400,
        )
    replies = ask(request.app[GAME], who.name, line, address=request.remote or "")
    back = form.get("back", "/admin")
    return page(
        request,
        "result.html",
        status=200 if not refused(replies) else 400,
        command=line,
        lines=_lines(replies),
        ok=not refused(replies),
        back=back if back in ("/admin", "/admin/bridge") else "/admin",
    )
