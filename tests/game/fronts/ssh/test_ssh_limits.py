"""Protection at the SSH front, over real SSH: connection rate, login throttle, max
sessions, bans and refusing logins during shutdown. Each trips, says why, and recovers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import asyncssh
import pytest

from game.app import Server
from tests.conftest import FakeClock
from tests.game.ops.conftest import ops_settings


class BannerClient(asyncssh.SSHClient):
    def __init__(self) -> None:
        self.banner = ""

    def auth_banner_received(self, msg: str, lang: str) -> None:
        self.banner += msg


async def attempt(
    port: int, user: str, *, key: asyncssh.SSHKey | None = None, password: str | None = None
) -> tuple[bool, str]:
    """Log in and run ``look``; (logged in, banner text)."""
    holder: list[BannerClient] = []

    def factory() -> BannerClient:
        holder.append(BannerClient())
        return holder[-1]

    try:
        async with asyncssh.connect(
            "127.0.0.1",
            port,
            username=user,
            client_keys=[key] if key else None,
            password=password,
            known_hosts=None,
            agent_path=None,
            preferred_auth="publickey" if key else "keyboard-interactive",
            client_factory=factory,
        ) as conn:
            result = await conn.run("look")
            return result.exit_status == 0, holder[-1].banner
    except (asyncssh.PermissionDenied, asyncssh.ConnectionLost):
        return False, holder[-1].banner if holder else ""


async def first_words(port: int) -> bytes:
    """Everything a plain TCP client is sent before the server closes (or 2 s pass)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        async with asyncio.timeout(2):
            return await reader.read()  # to EOF
    except TimeoutError:
        return b"(still open)"
    finally:
        writer.close()


@pytest.fixture
async def strict(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Server]:
    """Only the limit under test is tight; the connection rate is off unless asked."""
    srv = Server(ops_settings(tmp_path / "var", conn_per_minute=0, http_port=-1), clock=clock)
    await srv.start()
    yield srv
    await srv.stop()


async def test_connection_rate_limit_trips_and_recovers(
    ops_server: Server, keys: dict[str, asyncssh.SSHKey], clock: FakeClock
) -> None:
    port = ops_server.ssh_port
    for _ in range(3):
        assert (await attempt(port, "ana", key=keys["ana"]))[0]
    assert await attempt(port, "ana", key=keys["ana"]) == (False, "")
    # Refused before the key exchange: one line of text, no SSH version string, closed.
    said = await first_words(port)
    assert said == b"Too many connections from your address. Wait a minute and try again.\r\n"
    assert ops_server.game.metrics.refused["rate"] == 2
    clock.tick(20_000)  # 3 a minute: one connection's worth
    assert (await attempt(port, "ana", key=keys["ana"]))[0]


async def test_login_throttle_after_failed_passwords(strict: Server, clock: FakeClock) -> None:
    game = strict.game
    game.ensure_account("cyra", password_hash=strict.ssh.hasher.hash("correct horse"))
    port = strict.ssh_port
    assert (await attempt(port, "cyra", password="wrong one")) == (False, "")
    assert (await attempt(port, "cyra", password="wrong two")) == (False, "")
    ok, banner = await attempt(port, "cyra", password="correct horse")
    assert not ok
    assert banner.startswith("Too many failed logins from your address. Try again in 60 seconds")
    clock.tick(60_000)
    assert (await attempt(port, "cyra", password="correct horse"))[0]


async def test_max_sessions_refuses_then_admits(
    strict: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    port = strict.ssh_port
    held = []
    for name in ("ana", "bob", "cyra", "eve"):
        conn = await asyncssh.connect(
            "127.0.0.1",
            port,
            username=name,
            client_keys=[keys[name]],
            known_hosts=None,
            agent_path=None,
        )
        held.append(conn)
    ok, banner = await attempt(port, "ana", key=keys["ana"])
    assert not ok
    assert "The server is full right now" in banner
    held.pop().close()
    await held[0].run("look")  # a round trip, so the server has seen the close
    for _ in range(50):
        if strict.ssh.sessions < 4:
            break
        await held[0].run("look")
    assert (await attempt(port, "ana", key=keys["ana"]))[0]
    for conn in held:
        conn.close()


async def test_bans_refuse_account_key_and_address(
    strict: Server, keys: dict[str, asyncssh.SSHKey], clock: FakeClock
) -> None:
    port, mod = strict.ssh_port, strict.game.moderation
    assert (await attempt(port, "bob", key=keys["bob"]))[0]  # bob's account and key exist
    mod.ban("account", "bob", "spam", "root", None)
    ok, banner = await attempt(port, "bob", key=keys["bob"])
    assert (ok, banner) == (False, "You are banned from sshrealm. Reason: spam\r\n")
    mod.unban("account", "bob")
    mod.ban("key", keys["bob"].get_fingerprint(), "stolen key", "root", None)
    ok, banner = await attempt(port, "bob", key=keys["bob"])
    assert (ok, banner) == (False, "This key is banned from sshrealm. Reason: stolen key\r\n")
    mod.unban("key", keys["bob"].get_fingerprint())
    mod.ban("address", "127.0.0.1", "flood", "root", clock() + 60_000)
    assert not (await attempt(port, "ana", key=keys["ana"]))[0]
    clock.tick(60_000)  # a timed ban ends by itself
    assert (await attempt(port, "ana", key=keys["ana"]))[0]
    assert (await attempt(port, "bob", key=keys["bob"]))[0]


async def test_shutdown_refuses_new_logins(
    strict: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    strict.ssh.accepting = False
    ok, banner = await attempt(strict.ssh_port, "ana", key=keys["ana"])
    assert not ok
    assert "The server is shutting down" in banner


async def test_password_retries_in_one_connection_are_cut_off(strict: Server) -> None:
    """A client that keeps answering the prompt is hung up on once the address is locked,
    instead of guessing until the login timeout."""
    strict.game.ensure_account("cyra", password_hash=strict.ssh.hasher.hash("correct horse"))

    class Guesser(asyncssh.SSHClient):
        def kbdint_auth_requested(self) -> str:
            return ""

        def kbdint_challenge_received(
            self, name: str, instructions: str, lang: str, prompts: object
        ) -> list[str]:
            return ["guess"]

    with pytest.raises(asyncssh.PermissionDenied) as refused:
        await asyncssh.connect(
            "127.0.0.1",
            strict.ssh_port,
            username="cyra",
            client_factory=Guesser,
            known_hosts=None,
            agent_path=None,
            client_keys=None,
        )
    assert refused.value.reason.startswith("Too many failed logins from your address.")
    assert strict.game.metrics.refused["throttled"] == 1


async def test_command_rate_limit_over_ssh(
    ops_server: Server, keys: dict[str, asyncssh.SSHKey], clock: FakeClock
) -> None:
    from tests.e2e.conftest import Reader, connect

    async with await connect(ops_server.ssh_port, "ana", keys["ana"]) as conn:
        reader = Reader(await conn.create_process(encoding=None))
        await reader.until("You see a notice board.")
        for n in range(4):  # a burst of 3 is allowed; the 4th is refused
            reader.send(f"say hello {n}")
        await reader.until('You say, "hello 2"')
        await reader.until("Slow down: you are typing commands faster than the server allows.")
        assert b"hello 3" not in reader.seen
        clock.tick(500)  # 2 a second: one more command's worth
        reader.send("say again")
        await reader.until('You say, "again"')
