"""keys: list, link codes (stored hashed, expiring), revoke without locking yourself out."""

from __future__ import annotations

import re

from game.core.reply import Kind
from game.engine.game import Game
from game.services.keylink import code_hash
from tests.conftest import FakeClock, join, run


def _with_keys(game: Game, name: str, *fingerprints: str) -> None:
    game.ensure_account(name)
    for n, fp in enumerate(fingerprints):
        game.store.add_key(name, fp, f"ssh-ed25519 AAAA{n}", game.clock() + n)


def test_keys_lists_numbered_keys(game: Game) -> None:
    _with_keys(game, "ana", "SHA256:aaaaaaaaaaaa", "SHA256:bbbbbbbbbbbb")
    ana, _ = join(game, "ana")
    lines = run(ana, "keys").lines()
    assert lines[0] == "2 keys can log in as you:"
    assert lines[1].startswith("1. SHA256:aaaaaaaa, added ")
    assert lines[2].startswith("2. SHA256:bbbbbbbb, added ")


def test_keys_link_stores_only_a_hash_that_expires(game: Game, clock: FakeClock) -> None:
    _with_keys(game, "ana", "SHA256:aaaaaaaaaaaa")
    ana, _ = join(game, "ana")
    reply = run(ana, "keys link")
    found = re.search(r"code is ([a-z0-9]{4}-[a-z0-9]{4})", reply.text)
    assert found, reply.text
    code = found.group(1)
    stored = game.store.link_code("ana", clock())
    assert stored == code_hash(code)
    assert code not in str(game.conn.execute("SELECT * FROM key_links").fetchall())
    assert code_hash(code.upper().replace("-", " ")) == stored  # as a person might type it
    clock.tick(10 * 60 * 1000)
    assert game.store.link_code("ana", clock()) is None


def test_keys_revoke_keeps_a_way_in(game: Game) -> None:
    _with_keys(game, "ana", "SHA256:aaaaaaaaaaaa", "SHA256:bbbbbbbbbbbb")
    ana, _ = join(game, "ana")
    assert run(ana, "keys revoke 3").kind is Kind.ERROR
    assert "can no longer log in" in run(ana, "keys revoke 1").text
    assert game.store.keys("ana") == ["SHA256:bbbbbbbbbbbb"]
    refused = run(ana, "keys revoke 1")
    assert "only way to log in" in refused.text
    assert game.store.keys("ana") == ["SHA256:bbbbbbbbbbbb"]
    actions = [r[0] for r in game.conn.execute("SELECT action FROM audit_log")]
    assert actions == ["key-revoke"]
