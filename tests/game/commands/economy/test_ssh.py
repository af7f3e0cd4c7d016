"""The economy over real SSH: the real server on the fixture world, real asyncssh clients."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import asyncssh
import pytest

from economy import Reason
from game.app import Server
from game.core.config import load_settings
from tests.e2e.conftest import Reader, connect
from tests.game.commands.economy.conftest import ECON_WORLD


@pytest.fixture(scope="module")
def ssh_keys() -> dict[str, asyncssh.SSHKey]:
    return {name: asyncssh.generate_private_key("ssh-ed25519") for name in ("ana", "bob")}


@pytest.fixture
async def econ_server(tmp_path: Path) -> AsyncIterator[Server]:
    settings = load_settings(
        environ={},
        data_dir=tmp_path / "var",
        content_dir=ECON_WORLD,
        ssh_host="127.0.0.1",
        ssh_port=0,
        http_port=-1,
    )
    srv = Server(settings)
    await srv.start()
    yield srv
    await srv.stop()


async def _line_session(
    port: int, name: str, key: asyncssh.SSHKey
) -> tuple[asyncssh.SSHClientConnection, Reader]:
    conn = await connect(port, name, key)
    process = await conn.create_process(encoding=None)
    reader = Reader(process)
    await reader.until("Daily bonus: +10 tokens.")
    return conn, reader


async def test_concurrent_pay_between_two_players_over_ssh(
    econ_server: Server, ssh_keys: dict[str, asyncssh.SSHKey]
) -> None:
    game = econ_server.game
    a, ra = await _line_session(econ_server.ssh_port, "ana", ssh_keys["ana"])
    b, rb = await _line_session(econ_server.ssh_port, "bob", ssh_keys["bob"])
    async with a, b:
        game.wallet.credit("ana", 40, Reason.ADMIN_GRANT, "seed-ana")  # 50 each
        game.wallet.credit("bob", 40, Reason.ADMIN_GRANT, "seed-bob")
        for _ in range(12):  # both type at once, without waiting for replies
            ra.send("pay bob 3")
            rb.send("pay ana 1")
        for _ in range(12):
            await ra.until("You paid 3 tokens to bob.")
            await rb.until("You paid 1 token to ana.")
        # Exec channels in parallel on top: separate SSH channels racing into the game.
        results = await asyncio.gather(
            *(a.run("pay bob 2") for _ in range(5)), *(b.run("pay ana 4") for _ in range(5))
        )
        assert all(r.exit_status == 0 for r in results), [r.stderr for r in results]
    assert game.wallet.balance("ana") == 50 - 36 + 12 - 10 + 20
    assert game.wallet.balance("bob") == 50 + 36 - 12 + 10 - 20
    assert game.ledger.verify().ok


async def test_overdrawing_pays_never_go_negative_over_ssh(
    econ_server: Server, ssh_keys: dict[str, asyncssh.SSHKey]
) -> None:
    game = econ_server.game
    async with await connect(econ_server.ssh_port, "bob", ssh_keys["bob"]):
        pass  # bob exists
    async with await connect(econ_server.ssh_port, "ana", ssh_keys["ana"]) as conn:
        await conn.run("balance")  # exec: no daily bonus, ana has 0
        game.wallet.credit("ana", 10, Reason.ADMIN_GRANT, "seed-ana")
        results = await asyncio.gather(*(conn.run("pay bob 4") for _ in range(5)))
    paid = [r for r in results if r.exit_status == 0]
    refused = [r for r in results if r.exit_status == 1]
    assert (len(paid), len(refused)) == (2, 3)
    assert all("Nothing was paid." in str(r.stderr) for r in refused)
    assert game.wallet.balance("ana") == 2
    assert game.ledger.verify().ok


async def test_insufficient_tokens_over_ssh_change_nothing(
    econ_server: Server, ssh_keys: dict[str, asyncssh.SSHKey]
) -> None:
    game = econ_server.game
    conn, reader = await _line_session(econ_server.ssh_port, "ana", ssh_keys["ana"])
    async with conn:
        reader.send("east")
        await reader.until("First visit to Trout Pond: +7 tokens for exploring.")
        game.wallet.charge("ana", 14, Reason.ADMIN_REVOKE, "leave-3")
        reader.send("travel vale")
        await reader.until("Not enough tokens: `travel` costs 5, you have 3. Nothing was charged.")
        reader.send("look")
        await reader.until("Trout Pond\r\nExits: west.")
        result = await conn.run("travel vale")
        assert result.exit_status == 1
        assert "Not enough tokens" in str(result.stderr)
        reader.send("balance")
        await reader.until("You have 3 tokens.\r\nYou are on the free tier: 3 of 3")
    assert game.wallet.balance("ana") == 3
    assert game.store.account("ana").room == "vale:pond"  # type: ignore[union-attr]
    assert game.wallet.quota_left("ana") == 3
