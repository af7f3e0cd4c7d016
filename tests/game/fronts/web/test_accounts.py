"""Accounts on the web over real HTTP against a real server: headers and CSP, CSRF,
sign-up, sign-in with a password or a code from the game, the shared login throttle."""

from __future__ import annotations

import re

import pytest

from game.app import Server
from game.fronts.web.ask import ask
from game.fronts.web.security import SECURE
from tests.game.fronts.web.harness import WebClient

pytestmark = pytest.mark.asyncio(loop_scope="module")
PAGES = ("/", "/signin", "/signup", "/developers")


async def test_every_page_forbids_inline_script_and_framing(client: WebClient) -> None:
    for path in PAGES:
        async with client.http.get(client.base + path) as resp:
            csp = resp.headers["Content-Security-Policy"]
            body = await resp.text()
            assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert "script-src 'self';" in csp, path
        assert "unsafe" not in csp, path
        assert "frame-ancestors 'none'" in csp
        assert not re.search(r"<script(?![^>]*\bsrc=)", body), path  # no inline script
        assert " style=" not in body, path
        assert "<style" not in body, path


async def test_a_form_without_its_token_or_from_elsewhere_changes_nothing(
    client: WebClient, server: Server
) -> None:
    form = {"name": "Mallory", "password": "12345678", "repeat": "12345678"}
    status, _, _ = await client.post("/signup", form, csrf="forged-token-forged-token")
    assert status == 403
    status, _, _ = await client.post("/signup", form, origin="http://evil.example")
    assert status == 403
    assert server.game.store.account("Mallory") is None


async def test_signup_signs_in_with_httponly_samesite_cookie(
    client: WebClient, server: Server
) -> None:
    token = await client.csrf("/signup")
    async with client.http.post(
        client.base + "/signup",
        data={
            "csrf": token,
            "name": "Wren",
            "password": "a long secret",
            "repeat": "a long secret",
        },
        headers={"Origin": client.base},
        allow_redirects=False,
    ) as resp:
        assert resp.status == 303
        assert resp.headers["Location"] == "/me"
        cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    account = server.game.store.account("wren")
    assert account is not None
    assert account.password_hash.startswith("$argon2")
    status, body = await client.get("/me")
    assert status == 200
    assert "<h1>Wren</h1>" in body
    assert "You have" in body


async def test_behind_a_tls_proxy_cookies_are_secure_and_https_forms_count(
    server: Server,
) -> None:
    assert server.web.app is not None
    server.web.app[SECURE] = True
    web = WebClient(server)
    try:
        async with web.http.get(web.base + "/signin") as resp:
            assert "Secure" in resp.headers["Set-Cookie"]
            token = resp.cookies["sshrealm_csrf"].value
        https = web.base.replace("http://", "https://")
        form = {"name": "Proxied", "password": "long enough", "repeat": "long enough"}
        # The test's cookie jar keeps Secure cookies off plain http: send the token by hand.
        async with web.http.post(
            web.base + "/signup",
            data={"csrf": token, **form},
            headers={"Origin": https, "Cookie": f"sshrealm_csrf={token}"},
            allow_redirects=False,
        ) as resp:
            assert resp.status == 303
    finally:
        server.web.app[SECURE] = False
        await web.close()


@pytest.mark.parametrize(
    ("name", "password", "repeat", "says"),
    [
        ("1abc", "long enough", "long enough", "Names are 3 to 20"),
        ("Wanda", "short", "short", "at least 8"),
        ("Wanda", "long enough", "different!", "did not match"),
    ],
)
async def test_signup_refuses_bad_input_and_makes_nothing(
    client: WebClient, server: Server, name: str, password: str, repeat: str, says: str
) -> None:
    status, _, body = await client.post(
        "/signup", {"name": name, "password": password, "repeat": repeat}
    )
    assert status == 400
    assert says in body
    assert server.game.store.account(name) is None


async def test_signup_refuses_a_taken_name(client: WebClient, server: Server) -> None:
    server.game.ensure_account("Taken")
    status, _, body = await client.post(
        "/signup", {"name": "taken", "password": "long enough", "repeat": "long enough"}
    )
    assert status == 400
    assert "is taken" in body


async def test_code_from_the_game_signs_in_once(client: WebClient, server: Server) -> None:
    game = server.game
    game.ensure_account("Kira")  # an SSH-key account: no password
    replies = ask(game, "Kira", "web login")
    code = re.search(r"code is (\S{4}-\S{4})", replies[0].text)
    assert code
    status, body = await client.signin("kira", "whatever", how="password")
    assert status == 400
    assert "web login" in body
    assert await client.signin("Kira", code.group(1), how="code") == (303, "/me")
    other = WebClient(server)
    try:
        status, body = await other.signin("Kira", code.group(1), how="code")
        assert status == 400
        assert "wrong, used or expired" in body
    finally:
        await other.close()


async def test_wrong_passwords_lock_the_address_like_ssh(server: Server) -> None:
    """The gate's throttle (login_failures = 3 here) counts web guesses too."""
    web = WebClient(server)
    try:
        assert await web.signup("Lock") == 303
        fresh = WebClient(server)
        for _ in range(3):
            status, body = await fresh.signin("Lock", "wrong password")
            assert status == 400
        status, body = await fresh.signin("Lock", "correct horse")
        assert status == 400
        assert "Too many failed logins" in body
        await fresh.close()
    finally:
        server.gate.throttle.settle("127.0.0.1", True, "Lock")
        await web.close()
