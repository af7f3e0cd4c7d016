"""Signing in, creating an account and signing out on the web, through the shared login gate.

The rules are the SSH and telnet ones (game/fronts/gate.py), counted against the same
per-address budgets: each attempt is admitted like a new connection (rate, logins in
progress), bans, shutdown and a full server refuse any name, and every password or code is
a guess claimed before it is checked. Three ways in:

* the one-time code a player gets by typing ``web login`` in the game (an account with
  only SSH keys has no password: this is its way in);
* the account's password (argon2, as keyboard-interactive and telnet check it);
* a new account with a name and a password, which can later add an SSH key (``keys link``
  in a web-played session, then log in with the key and type the code).

A wrong form (bad CSRF token, another site's origin) changes nothing; a refusal re-shows
the form with one sentence saying why.
"""

from __future__ import annotations

from aiohttp import web

from game.fronts.gate import MIN_PASSWORD
from game.fronts.names import RULE, parse_login
from game.fronts.web.play import GATE
from game.fronts.web.render import page
from game.fronts.web.security import (
    GAME,
    SESSION_COOKIE,
    checked_form,
    forbidden,
    set_cookie,
    viewer,
)

MAX_FIELD = 200


async def signin_page(request: web.Request) -> web.Response:
    return page(request, "signin.html", error="", name="")


async def signup_page(request: web.Request) -> web.Response:
    return page(request, "signup.html", error="", name="")


def _address(request: web.Request) -> str:
    return request.remote or ""


def _again(request: web.Request, template: str, name: str, error: str) -> web.Response:
    return page(request, template, status=400, error=error, name=name[:MAX_FIELD])


def see_other(to: str) -> web.Response:
    return web.Response(status=303, headers={"Location": to})


def _signed_in(request: web.Request, name: str, to: str = "/me") -> web.Response:
    token, _ = request.app[GAME].web.open_session(name)
    response = see_other(to)
    set_cookie(response, request, SESSION_COOKIE, token, max_age=30 * 24 * 3600)
    return response


async def signin(request: web.Request) -> web.Response:
    """POST /signin: ``how`` is ``code`` or ``password``."""
    form = await checked_form(request)
    if form is None:
        return forbidden()
    gate, game = request.app[GATE], request.app[GAME]
    address = _address(request)
    name, secret = form.get("name", "").strip(), form.get("secret", "")[:MAX_FIELD]
    how = form.get("how", "password")
    login = parse_login(name[:MAX_FIELD])
    if not login.valid or login.plain:
        return _again(request, "signin.html", name, f"Cannot sign in as {name[:40]!r}. {RULE}")
    why = gate.admit(address)
    if why is not None:
        return _again(request, "signin.html", name, why)
    try:
        why = gate.refuse_login(login.name, address)
        account = game.store.account(login.name)
        if why is None and account is None:
            why = f"There is no account named {login.name}. Create one below."
        if why is None and how != "code" and account is not None and not account.password_hash:
            why = (
                f"{account.name} logs in with an SSH key and has no password. Type web login "
                "in the game and sign in with the code it gives you."
            )
        why = why or gate.password_lockout(address) or gate.claim_guess(address)
        if why is not None:
            return _again(request, "signin.html", name, why)
        assert account is not None
        if how == "code":
            ok = gate.check_web_code(account.name, secret, address)
            wrong = "That code is wrong, used or expired. Type web login in the game for a new one."
        else:
            ok = await gate.check_password(account.name, secret, address)
            wrong = "Wrong name or password."
        if not ok:
            return _again(request, "signin.html", name, gate.password_lockout(address) or wrong)
        return _signed_in(request, account.name)
    finally:
        gate.logged_in_or_gone(address)


async def signup(request: web.Request) -> web.Response:
    """POST /signup: a new account with a name and a password typed twice."""
    form = await checked_form(request)
    if form is None:
        return forbidden()
    gate, game = request.app[GATE], request.app[GAME]
    address = _address(request)
    name = form.get("name", "").strip()[:MAX_FIELD]
    password, repeat = form.get("password", "")[:MAX_FIELD], form.get("repeat", "")[:MAX_FIELD]
    login = parse_login(name)
    if not login.valid or login.plain:
        return _again(request, "signup.html", name, f"Cannot use the name {name[:40]!r}. {RULE}")
    if len(password) < MIN_PASSWORD:
        return _again(request, "signup.html", name, f"Use at least {MIN_PASSWORD} characters.")
    if password != repeat:
        return _again(request, "signup.html", name, "The two passwords did not match.")
    why = gate.admit(address)
    if why is not None:
        return _again(request, "signup.html", name, why)
    try:
        why = gate.refuse_login(login.name, address)
        if why is None and game.store.account(login.name) is not None:
            why = f"The name {login.name} is taken. Choose another, or sign in."
        if why is not None:
            return _again(request, "signup.html", name, why)
        digest = await gate.hash_new(password)
        if game.store.account(login.name) is not None:  # taken while the hash ran
            return _again(request, "signup.html", name, f"The name {login.name} was just taken.")
        game.ensure_account(login.name, password_hash=digest)
        return _signed_in(request, login.name)
    finally:
        gate.logged_in_or_gone(address)


async def signout(request: web.Request) -> web.Response:
    form = await checked_form(request)
    if form is None:
        return forbidden()
    who = viewer(request)
    if who is not None:
        request.app[GAME].web.close_session(who.token)
    response = see_other("/")
    response.del_cookie(SESSION_COOKIE, path="/")
    return response
