"""web: one-time sign-in codes (hashed, expiring, spent once), listing, signing out."""

from __future__ import annotations

import re

from game.core.reply import Kind
from game.engine.game import Game
from tests.conftest import FakeClock, join, run


def _code(text: str) -> str:
    found = re.search(r"code is ([a-z0-9]{4}-[a-z0-9]{4})", text)
    assert found, text
    return found.group(1)


def test_web_login_gives_a_code_that_works_once(game: Game) -> None:
    ana, _ = join(game, "ana")
    reply = run(ana, "web login")
    assert reply.kind is Kind.SYSTEM
    code = _code(reply.text)
    assert code not in str(game.conn.execute("SELECT * FROM web_codes").fetchall())
    assert not game.web.spend_code("ana", "zzzz-zzzz")
    assert game.web.spend_code("ana", code.upper())  # as a person might type it
    assert not game.web.spend_code("ana", code)  # spent


def test_web_code_expires_and_a_new_one_replaces_it(game: Game, clock: FakeClock) -> None:
    ana, _ = join(game, "ana")
    first = _code(run(ana, "web login").text)
    second = _code(run(ana, "web login").text)
    assert not game.web.spend_code("ana", first) or first == second
    clock.tick(10 * 60 * 1000)
    assert not game.web.spend_code("ana", second)


def test_web_hide_and_show_change_the_listing(game: Game) -> None:
    ana, _ = join(game, "ana")
    assert "lists you as online" in run(ana, "web").text
    assert run(ana, "web hide").ok
    assert not game.web.listed("Ana")
    assert "does not list you" in run(ana, "web").text
    run(ana, "web show")
    assert game.web.listed("ana")


def test_web_logout_ends_every_browser_session(game: Game) -> None:
    ana, _ = join(game, "ana")
    token, _ = game.web.open_session("ana")
    assert game.web.session(token) is not None
    assert run(ana, "web logout").text == "Signed out of 1 browser."
    assert game.web.session(token) is None


def test_web_bad_word_changes_nothing(game: Game) -> None:
    ana, _ = join(game, "ana")
    reply = run(ana, "web frobnicate")
    assert not reply.ok
    assert reply.text.startswith("Usage:")
    assert game.web.listed("ana")
