"""Numbers and invisible characters from players, over real SSH (security issue #12, 9 and 11).

Counts and amounts are ASCII digits only, with a clear sentence otherwise (``²`` used to
raise ValueError inside commands; ``٣`` was read as 3). Invisible format characters
(zero-width, bidi, BOM, soft hyphen, tags) never reach another player's screen.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import AsyncIterator
from pathlib import Path

import asyncssh
import pytest

from economy import Reason
from game.app import Server
from game.core.numbers import BadNumber, numeric, whole_number
from game.core.text import clean
from game.engine.execute import APOLOGY
from tests.e2e.conftest import Reader, connect, e2e_settings

BAD_NUMBERS = [
    ("buy ² bread", "'²' is not a number here: type the count with the digits 0-9."),
    ("buy bread ²", "'²' is not a number here: type the count with the digits 0-9."),
    ("buy ٣ bread", "'٣' is not a number here: type the count with the digits 0-9."),
    ("buy 1000 bread", "You can trade 1 to 100 at a time."),
    ("buy 0 bread", "You can trade 1 to 100 at a time."),
    ("sell ½ bread", "'½' is not a number here"),
    ("drop ² bread", "'²' is not a number here"),
    ("keys revoke ²", "'²' is not a number here: type the key number with the digits 0-9."),
    ("keys revoke ٣", "'٣' is not a number here"),
    ("keys revoke 9" + "9" * 500, "The key number must be from 1 to 1."),
    ("pay bob ٣", "'٣' is not an amount"),
    ("history ²", "Usage: history <count>"),
]


@pytest.fixture(scope="module")
def keys() -> dict[str, asyncssh.SSHKey]:
    return {name: asyncssh.generate_private_key("ssh-ed25519") for name in ("ana", "bob")}


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Server]:
    srv = Server(e2e_settings(tmp_path / "var"))
    await srv.start()
    yield srv
    await srv.stop()


async def _exec(server: Server, key: asyncssh.SSHKey, line: str) -> asyncssh.SSHCompletedProcess:
    async with await connect(server.ssh_port, "ana", key) as conn:
        return await conn.run(line, encoding="utf-8")


async def test_non_ascii_digits_get_a_clear_message_and_change_nothing(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    game = server.game
    assert (await _exec(server, keys["ana"], "look")).exit_status == 0
    game.ensure_account("bob")
    game.store.set_room("ana", "town:store")
    game.wallet.credit("ana", 50, Reason.ADMIN_GRANT, "seed-ana")
    assert (await _exec(server, keys["ana"], "buy 2 bread")).exit_status == 0
    balance = game.wallet.balance("ana")
    pack = game.store.inventory("ana")
    for line, message in BAD_NUMBERS:
        result = await _exec(server, keys["ana"], line)
        assert result.exit_status == 1, (line, result.stdout, result.stderr)
        assert message in str(result.stderr), (line, result.stderr)
        assert APOLOGY not in str(result.stderr)
        assert game.wallet.balance("ana") == balance
        assert game.store.inventory("ana") == pack
        assert len(game.store.key_rows("ana")) == 1


async def test_ascii_counts_still_work(server: Server, keys: dict[str, asyncssh.SSHKey]) -> None:
    game = server.game
    assert (await _exec(server, keys["ana"], "look")).exit_status == 0
    game.store.set_room("ana", "town:store")
    game.wallet.credit("ana", 50, Reason.ADMIN_GRANT, "seed-ana")
    before = game.wallet.balance("ana")
    assert before >= 6
    result = await _exec(server, keys["ana"], "buy 2 bread")
    assert result.exit_status == 0, result.stderr
    assert "You buy two loaves of bread" in str(result.stdout)
    assert game.wallet.balance("ana") == before - 6
    assert (await _exec(server, keys["ana"], "drop 1 bread")).exit_status == 0


def test_whole_number_accepts_ascii_only() -> None:
    assert whole_number("42") == 42
    assert whole_number("007", high=10) == 7
    for word in ("٤٢", "４２", "²", "-1", "+1", "1_000", "1.5", "1e3", " 1", ""):
        with pytest.raises(BadNumber):
            whole_number(word)
    assert all(numeric(word) for word in ("²", "٣", "12"))
    assert not numeric("x2")


async def test_invisible_characters_never_reach_another_player(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    hidden = "\u200b\u200c\u200e\u200f\u2060\u2061\u2064\ufeff\u061c\u00ad\ufff9\ufffb"
    bidi = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    tags = "\U000e0001\U000e0041\U000e007f"
    said = f"pa{hidden}y{bidi} me{tags} now"
    async with (
        await connect(server.ssh_port, "ana", keys["ana"]) as a,
        await connect(server.ssh_port, "bob", keys["bob"]) as b,
    ):
        ra = Reader(await a.create_process(encoding=None))
        rb = Reader(await b.create_process(encoding=None))
        await ra.until("You see a notice board.")
        await rb.until("You see a notice board.")
        await ra.until("bob arrives.")
        ra.send(f"say {said}")
        await rb.until('ana says, "pay me now"')
        ra.send("say family \U0001f468\u200d\U0001f469\u200d\U0001f467 ok")
        await rb.until('ana says, "family \U0001f468\u200d\U0001f469\u200d\U0001f467 ok"')
        seen = rb.seen.decode()
    for ch in hidden + bidi + tags:
        assert ch not in seen, f"U+{ord(ch):04X} reached bob"
    assert seen.count("\u200d") == 2  # only inside the emoji sequence


def test_clean_removes_every_format_character_of_this_python() -> None:
    format_chars = [
        chr(cp) for cp in range(sys.maxunicode + 1) if unicodedata.category(chr(cp)) == "Cf"
    ]
    kept = [f"U+{ord(ch):04X}" for ch in format_chars if clean(f"a{ch}b") != "ab"]
    assert kept == []
    assert clean("\U0001f469\u200d\U0001f52c") == "\U0001f469\u200d\U0001f52c"  # woman scientist
    assert clean("\U0001f3f3\ufe0f\u200d\U0001f308") == "\U0001f3f3\ufe0f\u200d\U0001f308"
    assert clean("a\u200d\U0001f308") == "a\U0001f308"  # a joiner not between emoji goes
    assert clean("plain words, ünïcode, 中文, عربي") == "plain words, ünïcode, 中文, عربي"


def test_clean_drops_half_characters() -> None:
    assert clean("a\ud800b\udfffc") == "abc"
    assert clean("\U0001f600") == "\U0001f600"
