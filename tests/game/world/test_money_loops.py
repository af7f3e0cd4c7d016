"""``sshrealm content check`` finds money loops in prices and recipes (issue #12, item 8).

The starter world shipped one: buy a herring for 3, cook it (no cooldown, never fails),
sell the grilled herring for 4. Buying and crafting are instant and certain, so a shop
that pays more for an item than its cheapest instant cost prints tokens.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import asyncssh
import pytest
from click.testing import CliRunner

from economy import Reason
from game.app import Server
from game.cli.main import main
from tests.conftest import ROOT
from tests.e2e.conftest import connect, e2e_settings


def check(root: Path) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(main, ["content", "check", "-q", str(root)])
    return result.exit_code, result.stdout.splitlines(), result.stderr


def copy_content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    return root


def test_shipped_world_has_no_money_loop() -> None:
    code, lines, err = check(ROOT / "content")
    assert code == 0, lines
    assert "0 errors" in err


def test_buy_cook_sell_for_more_is_an_error_at_the_price(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    shops = root / "town" / "shops.yaml"
    shops.write_text(shops.read_text().replace("grilled-herring: 2}", "grilled-herring: 4}"))
    code, lines, _ = check(root)
    assert code == 1
    assert lines == [
        "content/town/shops.yaml:11:68: error: money loop: shop 'town:fishmonger' buys"
        " 'town:grilled-herring' for 4 tokens, but it can be had at once for 3 (buy"
        " town:herring at town:fishmonger for 3, then cook town:grilled-herring): 1 token"
        " made each round with no wait and no risk. Pay at most 3 for it, or make its"
        " inputs cost more"
    ]


def test_buy_here_sell_there_and_multi_step_recipes_are_found(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    shops = root / "town" / "shops.yaml"
    text = shops.read_text()
    text = text.replace("buys: {moor:heather: 1,", "buys: {herring: 5, moor:heather: 1,")
    text = text.replace("sells: {bread: 3,", "sells: {moor:trout: 1, wood:mushroom: 1, bread: 3,")
    text = text.replace("isle:crab: 6,", "isle:crab: 6, trout-stew: 3,")
    shops.write_text(text)
    code, lines, _ = check(root)
    assert code == 1
    assert len(lines) == 4, lines  # selling trout and mushrooms back at a profit, too
    assert lines[0].startswith(
        "content/town/shops.yaml:5:19: error: money loop: shop 'town:general-store' buys"
        " 'town:herring' for 5 tokens, but it can be had at once for 3 (buy town:herring at"
        " town:fishmonger for 3): 2 tokens made each round"
    )
    assert "'moor:trout' for 3 tokens, but it can be had at once for 1" in lines[2]
    assert lines[3].startswith(
        "content/town/shops.yaml:11:63: error: money loop: shop 'town:fishmonger' buys"
        " 'town:trout-stew' for 3 tokens, but it can be had at once for 2 (buy moor:trout"
        " at town:general-store for 1, buy wood:mushroom at town:general-store for 1,"
        " then cook town:trout-stew): 1 token made"
    )


def test_selling_for_what_it_costs_is_no_loop(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    shops = root / "town" / "shops.yaml"
    shops.write_text(shops.read_text().replace("grilled-herring: 2}", "grilled-herring: 3}"))
    code, lines, _ = check(root)
    assert code == 0, lines


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Server]:
    srv = Server(e2e_settings(tmp_path / "var"))
    await srv.start()
    yield srv
    await srv.stop()


async def test_buy_cook_sell_over_ssh_makes_no_tokens(server: Server) -> None:
    key = asyncssh.generate_private_key("ssh-ed25519")
    game = server.game

    async def play(room: str, line: str) -> str:
        game.store.set_room("ana", room)
        async with await connect(server.ssh_port, "ana", key) as conn:
            result = await conn.run(line, encoding="utf-8")
        assert result.exit_status == 0, (line, result.stderr)
        return str(result.stdout)

    await play("town:square", "look")
    game.wallet.credit("ana", 30, Reason.ADMIN_GRANT, "seed-ana")
    before = game.wallet.balance("ana")
    for _ in range(3):  # the loop as a player would run it
        await play("town:fishmarket", "buy herring")
        assert "You cook a grilled herring." in await play("town:kitchen", "cook grilled herring")
        await play("town:fishmarket", "sell grilled herring")
    assert game.wallet.balance("ana") < before
