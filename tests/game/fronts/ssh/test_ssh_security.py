"""What one SSH client may cost the server (issue 12, items 3, 4, 5 and 7), over real SSH.

Each test drives the real server on port 0 with a real client (asyncssh, OpenSSH, PuTTY's
plink, ssh-audit) and checks both what the client is told and what the server kept.
Nothing waits on a timer: the resize window runs on a scheduler the test fires by hand, and
limits that depend on time use the fake clock.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncssh
import pytest
from argon2 import PasswordHasher

from game.app import Server
from game.fronts.tui.runner import TuiSession
from game.services.limits import address_group
from tests.conftest import FakeClock
from tests.e2e.conftest import Reader, connect
from tests.e2e.test_tui_ssh import open_tui
from tests.game.fronts.ssh.test_ssh_limits import BannerClient, attempt, first_words
from tests.game.ops.conftest import ops_settings

Start = Callable[..., Awaitable[Server]]


@pytest.fixture
async def start(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Start]:
    """Start a server with the ops test settings and these overrides (one per test)."""
    servers: list[Server] = []

    async def make(**overrides: object) -> Server:
        values: dict[str, object] = {"conn_per_minute": 0, "http_port": -1}
        values.update(overrides)
        srv = Server(ops_settings(tmp_path / f"var{len(servers)}", **values), clock=clock)
        await srv.start()
        servers.append(srv)
        return srv

    yield make
    for srv in servers:
        await srv.stop()


async def until(test: Callable[[], bool], what: str) -> None:
    """Wait for the server to get somewhere (a poll of its state, not a timer)."""
    try:
        async with asyncio.timeout(10):
            while not test():  # noqa: ASYNC110 (the state is the server's: nothing to await)
                await asyncio.sleep(0.01)
    except TimeoutError:
        raise AssertionError(f"never saw {what}") from None


async def first_line(port: int) -> bytes:
    """The first line a plain TCP client is sent."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        async with asyncio.timeout(5):
            return await reader.readline()
    finally:
        writer.close()


class Later:
    """``loop.call_later`` for the SSH front, fired by the test instead of the clock."""

    def __init__(self) -> None:
        self.pending: list[tuple[asyncio.TimerHandle, Callable[[], None]]] = []
        self.delays: list[float] = []

    def __call__(self, delay_s: float, callback: Callable[[], None]) -> asyncio.TimerHandle:
        handle = asyncio.get_running_loop().call_later(3600, lambda: None)  # only cancel() used
        self.pending.append((handle, callback))
        self.delays.append(delay_s)
        return handle

    def fire(self) -> int:
        """Run every callback that was not cancelled; how many ran."""
        fired = 0
        for handle, callback in self.pending:
            if not handle.cancelled():
                handle.cancel()
                callback()
                fired += 1
        self.pending.clear()
        return fired


def tui_of(srv: Server, name: str) -> TuiSession:
    session = srv.game.sessions.get(name)
    assert session is not None
    front_end = session.front_end
    assert isinstance(front_end, TuiSession)
    return front_end


# -- 3. terminal size, resizes and output -----------------------------------------------------


async def test_a_huge_pty_is_clamped_and_the_player_told(
    start: Start, keys: dict[str, asyncssh.SSHKey]
) -> None:
    srv = await start(max_term_cols=100, max_term_rows=30)
    async with await connect(srv.ssh_port, "ana", keys["ana"]) as conn:
        await open_tui(conn, size=(1000, 400))
        tui = tui_of(srv, "ana")
        assert tui.link.size == (100, 30)
        assert tui.app is not None
        await until(lambda: tui.app is not None and tuple(tui.app.size) == (100, 30), "app")
        async with await connect(srv.ssh_port, "ana", keys["ana"]) as line_conn:
            # Line mode has no size to draw, but the same PTY gets the same sentence.
            proc = await line_conn.create_process(
                encoding=None, term_type="dumb", term_size=(10000, 10000)
            )
            reader = Reader(proc)
            await reader.until("Your terminal is 10000x10000; sshrealm draws at most 100x30 of it")


async def test_a_resize_burst_is_applied_once_clamped(
    start: Start, keys: dict[str, asyncssh.SSHKey], monkeypatch: pytest.MonkeyPatch
) -> None:
    srv = await start(max_term_cols=120, max_term_rows=40, resize_window_ms=100)
    later = Later()
    srv.ssh.later = later
    applied: list[tuple[int, int]] = []
    real_resize = TuiSession.resize

    def counting(self: TuiSession, cols: int, rows: int) -> None:
        applied.append((cols, rows))
        real_resize(self, cols, rows)

    monkeypatch.setattr(TuiSession, "resize", counting)
    async with await connect(srv.ssh_port, "ana", keys["ana"]) as conn:
        reader = await open_tui(conn, size=(100, 30))
        for n in range(300):
            reader.process.change_terminal_size(60 + n % 50, 20 + n % 10)
        reader.process.change_terminal_size(65535, 65535)
        await conn.run("look")  # same connection, later packet: every resize has been read
        assert applied == []  # nothing relaid out yet: one pending apply for the burst
        assert later.delays == [0.1]
        assert later.fire() == 1
        assert applied == [(120, 40)]
        assert tui_of(srv, "ana").link.size == (120, 40)
        await shown_from(reader, "draws at most 120x40")


async def test_a_client_that_keeps_resizing_gets_fewer_relayouts(
    start: Start, keys: dict[str, asyncssh.SSHKey], clock: FakeClock
) -> None:
    """Security review: ten clients flapping between 500x200 and 499x199 every 50 ms kept
    the server busy. The window doubles while a client keeps on, up to 16 times."""
    srv = await start(resize_window_ms=100)
    later = Later()
    srv.ssh.later = later
    async with await connect(srv.ssh_port, "ana", keys["ana"]) as conn:
        reader = await open_tui(conn, size=(100, 30))
        for n in range(7):
            reader.process.change_terminal_size(90 + n % 2, 30)
            await conn.run("look")  # every resize has been read
            later.fire()
        assert later.delays == [0.1, 0.2, 0.4, 0.8, 1.6, 1.6, 1.6]
        clock.tick(2001)  # a quiet pause
        reader.process.change_terminal_size(80, 24)
        await conn.run("look")
        assert later.delays[-1] == 0.1


async def shown_from(reader: Reader, text: str) -> None:
    reader.pos = 0
    await reader.until(text)


async def test_a_client_that_stops_reading_is_dropped_with_a_reason(
    start: Start, keys: dict[str, asyncssh.SSHKey]
) -> None:
    srv = await start(max_output_kb=8, commands_per_second=0)
    lost: list[Exception | None] = []

    class Client(asyncssh.SSHClient):
        def connection_lost(self, exc: Exception | None) -> None:
            lost.append(exc)

    conn = await asyncssh.connect(
        "127.0.0.1",
        srv.ssh_port,
        username="ana",
        client_keys=[keys["ana"]],
        known_hosts=None,
        agent_path=None,
        client_factory=Client,
    )
    async with conn:
        # A small window, and stdout never read: the server's output piles up on its side.
        proc = await conn.create_process(encoding=None, window=4096)
        for _ in range(400):
            proc.stdin.write(b"help\r")
        await until(lambda: bool(lost), "the disconnect")
    assert isinstance(lost[0], asyncssh.DisconnectError)
    assert lost[0].reason == (
        "Disconnected: your client stopped reading the game's output (8 KB waiting)."
    )
    await until(lambda: srv.game.sessions.get("ana") is None, "the session to end")


# -- 4. slots, the login window, channels and one command budget per account ----------------


async def test_logins_in_progress_do_not_take_session_slots(
    start: Start, keys: dict[str, asyncssh.SSHKey]
) -> None:
    srv = await start(max_sessions=2)
    idle = [await asyncio.open_connection("127.0.0.1", srv.ssh_port) for _ in range(6)]
    await until(lambda: srv.ssh.startups == 6, "the idle connections")
    async with (
        await connect(srv.ssh_port, "ana", keys["ana"]) as ana,
        await connect(srv.ssh_port, "bob", keys["bob"]),
    ):
        assert srv.ssh.sessions == 2
        ok, banner = await attempt(srv.ssh_port, "cyra", key=keys["cyra"])
        assert (ok, banner) == (
            False,
            "The server is full right now. Try again in a few minutes.\r\n",
        )
        assert (await ana.run("look")).exit_status == 0
    for _, writer in idle:
        writer.close()
    await until(lambda: srv.ssh.startups == 0 and srv.ssh.sessions == 0, "the slots to free")


async def test_the_login_window_is_login_timeout_s(start: Start) -> None:
    srv = await start(login_timeout_s=7)
    assert srv.ssh.acceptor is not None
    assert srv.ssh.acceptor.options.login_timeout == 7


async def test_logins_in_progress_are_capped_before_key_exchange(start: Start) -> None:
    srv = await start(max_startups=2)
    idle = [await asyncio.open_connection("127.0.0.1", srv.ssh_port) for _ in range(2)]
    await until(lambda: srv.ssh.startups == 2, "the idle connections")
    said = await first_words(srv.ssh_port)
    assert said == b"Too many people are logging in right now. Try again in a few seconds.\r\n"
    assert srv.game.metrics.refused["startups"] == 1
    idle[0][1].close()
    await until(lambda: srv.ssh.startups == 1, "the slot to free")
    assert (await first_line(srv.ssh_port)).startswith(b"SSH-2.0-")


async def test_one_address_cannot_hold_every_login_slot(start: Start) -> None:
    """Security review: 120 idle sockets from four addresses filled max_startups and locked
    everyone out for the login timeout. One address now holds a few of them at most."""
    srv = await start(max_startups_per_address=2, max_startups=10)
    idle = [await asyncio.open_connection("127.0.0.1", srv.ssh_port) for _ in range(2)]
    await until(lambda: srv.ssh.startups == 2, "the idle connections")
    said = await first_words(srv.ssh_port)
    assert said == b"Too many logins from your address are in progress. Finish one first.\r\n"
    reader, writer = await asyncio.open_connection(
        "127.0.0.1", srv.ssh_port, local_addr=("127.0.0.2", 0)
    )
    try:
        async with asyncio.timeout(5):
            assert (await reader.readline()).startswith(b"SSH-2.0-")  # someone else gets in
    finally:
        writer.close()
        for _, w in idle:
            w.close()


def test_ipv6_addresses_count_by_their_64() -> None:
    assert address_group("2001:db8:1:2:aaaa::1") == address_group("2001:db8:1:2:bbbb::9")
    assert address_group("2001:db8:1:3::1") != address_group("2001:db8:1:2::1")
    assert address_group("::ffff:203.0.113.9") == "203.0.113.9"
    assert address_group("203.0.113.9") == "203.0.113.9"


async def test_channels_per_connection_are_capped(
    start: Start, keys: dict[str, asyncssh.SSHKey]
) -> None:
    srv = await start(max_channels=3, commands_per_second=0)
    async with await connect(srv.ssh_port, "ana", keys["ana"]) as conn:
        line = Reader(await conn.create_process(encoding=None))  # holds one channel
        await line.until("You see a notice board.")
        # Six exec channels at once: all six opens reach the server before any can close.
        results = await asyncio.gather(
            *(conn.run(f"say hi {n}") for n in range(6)), return_exceptions=True
        )
        ran = [r for r in results if isinstance(r, asyncssh.SSHCompletedProcess)]
        refused = [r for r in results if isinstance(r, asyncssh.ChannelOpenError)]
        assert (len(ran), len(refused)) == (2, 4), results
        assert refused[0].reason == (
            "At most 3 sessions may be open on one connection; close one first."
        )
        assert srv.game.metrics.refused["channels"] == 4
        assert (await conn.run("look")).exit_status == 0  # the closed ones are free again
        line.send("quit")
        await line.process.wait_closed()


async def test_exec_channels_share_the_accounts_command_budget(
    start: Start, keys: dict[str, asyncssh.SSHKey], clock: FakeClock
) -> None:
    srv = await start(commands_per_second=2, command_burst=3)
    async with (
        await connect(srv.ssh_port, "ana", keys["ana"]) as one,
        await connect(srv.ssh_port, "ana", keys["ana"]) as two,
    ):
        results = await asyncio.gather(
            *(one.run(f"say hi {n}") for n in range(4)), *(two.run("look") for _ in range(2))
        )
        ok = [r for r in results if r.exit_status == 0]
        slowed = [r for r in results if "Slow down" in str(r.stderr)]
        assert (len(ok), len(slowed)) == (3, 3)  # one burst of 3 for the account, not 3 each
        proc = await one.create_process(encoding=None)  # the line front end: the same bucket
        reader = Reader(proc)
        await reader.until("You see a notice board.")
        reader.send("look")
        await reader.until("Slow down: you are typing commands faster than the server allows.")
        clock.tick(500)
        assert (await two.run("look")).exit_status == 0


# -- 5. password guessing in parallel ---------------------------------------------------------


class GatedHasher(PasswordHasher):
    """Cheap argon2 whose checks wait at a gate the test opens: guesses pile up in flight."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=64, parallelism=1)
        self.gate = threading.Event()
        self.checks = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.checks += 1
        self.gate.wait(timeout=30)
        return super().verify(hash, password)


async def test_parallel_password_guesses_stop_at_the_limit(start: Start) -> None:
    srv = await start(login_failures=5, max_startups_per_address=30)  # all 25 reach a prompt
    hasher = srv.ssh.hasher = GatedHasher()
    srv.game.ensure_account("cyra", password_hash=hasher.hash("correct horse"))
    finished: list[tuple[bool, str]] = []

    async def guess(n: int) -> None:
        finished.append(await attempt(srv.ssh_port, "cyra", password=f"guess {n}"))

    guesses = [asyncio.create_task(guess(n)) for n in range(25)]
    try:
        # Every guess is either refused without a check or holds one of the 5 allowed.
        in_flight = srv.ssh.throttle.in_flight
        await until(lambda: len(finished) + in_flight.get("127.0.0.1", 0) == 25, "all guesses")
        assert in_flight["127.0.0.1"] == 5
        refused = [banner for _, banner in finished]
        assert all("from your address" in banner for banner in refused), refused
    finally:
        hasher.gate.set()
        await asyncio.gather(*guesses)
    assert not any(ok for ok, _ in finished)
    ok, banner = await attempt(srv.ssh_port, "cyra", password="correct horse")
    assert not ok
    assert banner.startswith("Too many failed logins from your address.")
    assert hasher.checks == 5


async def test_a_password_lockout_leaves_key_logins_working(
    start: Start, keys: dict[str, asyncssh.SSHKey]
) -> None:
    srv = await start(login_failures=2)
    srv.game.ensure_account("cyra", password_hash=srv.ssh.hasher.hash("correct horse"))
    for wrong in ("wrong one", "wrong two"):
        assert await attempt(srv.ssh_port, "cyra", password=wrong) == (False, "")
    assert srv.ssh.throttle.locked("127.0.0.1")
    # Someone else behind the same address (NAT) logs in with a key: a key cannot be guessed.
    assert (await attempt(srv.ssh_port, "ana", key=keys["ana"]))[0]
    ok, banner = await attempt(srv.ssh_port, "cyra", password="correct horse")
    assert not ok
    assert banner.startswith("Too many failed logins from your address.")


async def test_logging_in_to_ones_own_account_does_not_reset_the_guesses(start: Start) -> None:
    """Security review: four wrong guesses at cyra, then a good login to the guesser's own
    account, over and over, never locked the address out."""
    srv = await start(login_failures=5)
    hasher = srv.ssh.hasher
    srv.game.ensure_account("cyra", password_hash=hasher.hash("correct horse"))
    srv.game.ensure_account("eve", password_hash=hasher.hash("eve's own pass"))
    for n in range(4):
        assert await attempt(srv.ssh_port, "cyra", password=f"wrong {n}") == (False, "")
    assert (await attempt(srv.ssh_port, "eve", password="eve's own pass"))[0]
    assert await attempt(srv.ssh_port, "cyra", password="wrong 4") == (False, "")
    assert srv.ssh.throttle.locked("127.0.0.1")
    ok, banner = await attempt(srv.ssh_port, "cyra", password="correct horse")
    assert not ok
    assert banner.startswith("Too many failed logins from your address.")


class WaitingAnswerer(asyncssh.SSHClient):
    """Opens the new-account password prompt, then answers only when told to."""

    def __init__(self, answer: asyncio.Event, asked: asyncio.Event) -> None:
        self.answer, self.asked = answer, asked

    def kbdint_auth_requested(self) -> str:
        return ""

    async def kbdint_challenge_received(  # type: ignore[override]
        self, name: str, instructions: str, lang: str, prompts: list[tuple[str, bool]]
    ) -> list[str]:
        self.asked.set()
        await self.answer.wait()
        return ["attacker pass 1"] * len(prompts)


async def test_a_name_taken_while_its_new_password_prompt_was_open_is_refused(
    start: Start, keys: dict[str, asyncssh.SSHKey]
) -> None:
    """Security review: a prompt opened for a free name, answered after its owner created
    it, logged the attacker in as the owner."""
    srv = await start()
    answer, asked = asyncio.Event(), asyncio.Event()

    async def attacker() -> bool:
        try:
            async with asyncssh.connect(
                "127.0.0.1",
                srv.ssh_port,
                username="zed",
                known_hosts=None,
                agent_path=None,
                client_keys=None,
                preferred_auth="keyboard-interactive",
                client_factory=lambda: WaitingAnswerer(answer, asked),
            ) as conn:
                return (await conn.run("look")).exit_status == 0
        except (asyncssh.Error, asyncssh.ChannelOpenError):  # refused: no session opens
            return False

    task = asyncio.create_task(attacker())
    await asyncio.wait_for(asked.wait(), 10)
    assert (await attempt(srv.ssh_port, "zed", key=keys["eve"]))[0]  # the owner creates it
    answer.set()
    assert not await asyncio.wait_for(task, 10)
    account = srv.game.store.account("zed")
    assert account is not None
    assert account.password_hash is None  # the attacker's password was never set


# -- 7. before key exchange, and which algorithms -----------------------------------------------


async def test_weak_algorithms_are_not_offered(
    start: Start, keys: dict[str, asyncssh.SSHKey]
) -> None:
    srv = await start()
    weak: list[dict[str, Any]] = [
        {"kex_algs": ["diffie-hellman-group14-sha1"]},
        {"kex_algs": ["diffie-hellman-group-exchange-sha256"]},
        {"kex_algs": ["ecdh-sha2-nistp256"]},
        {"encryption_algs": ["aes128-ctr"], "mac_algs": ["hmac-sha1"]},
        {"encryption_algs": ["aes128-ctr"], "mac_algs": ["hmac-sha2-256"]},  # not ETM
        {"encryption_algs": ["aes128-cbc"]},
    ]
    for algs in weak:
        with pytest.raises(asyncssh.KeyExchangeFailed):
            await asyncssh.connect(
                "127.0.0.1",
                srv.ssh_port,
                username="ana",
                client_keys=[keys["ana"]],
                known_hosts=None,
                agent_path=None,
                **algs,
            )


async def openssh(port: int, key: Path, *options: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        "ssh",
        *("-p", str(port), "-i", str(key), "-o", "StrictHostKeyChecking=no"),
        *("-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes"),
        *options,
        "ana@127.0.0.1",
        "look",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    return proc.returncode or 0, out.decode(errors="replace")


@pytest.mark.skipif(shutil.which("ssh") is None, reason="needs the OpenSSH client")
async def test_openssh_logs_in_but_not_with_sha1(start: Start, tmp_path: Path) -> None:
    srv = await start()
    key = tmp_path / "id_ed25519"
    asyncssh.generate_private_key("ssh-ed25519").write_private_key(key)
    key.chmod(0o600)
    status, out = await openssh(srv.ssh_port, key)
    assert status == 0, out
    assert "Town Square" in out
    status, out = await openssh(
        srv.ssh_port, key, "-o", "KexAlgorithms=diffie-hellman-group14-sha1"
    )
    assert status != 0
    assert "no matching key exchange method found" in out
    status, out = await openssh(
        srv.ssh_port, key, "-o", "Ciphers=aes128-ctr", "-o", "MACs=hmac-sha1"
    )
    assert status != 0
    assert "no matching MAC found" in out


@pytest.mark.skipif(shutil.which("plink") is None, reason="needs PuTTY's plink (putty-tools)")
async def test_putty_logs_in(start: Start) -> None:
    srv = await start()
    srv.game.ensure_account("cyra", password_hash=srv.ssh.hasher.hash("correct horse"))
    fingerprint = srv.ssh.host_fingerprint()
    proc = await asyncio.create_subprocess_exec(
        "plink",
        *("-ssh", "-batch", "-P", str(srv.ssh_port), "-hostkey", fingerprint),
        *("-pw", "correct horse", "cyra@127.0.0.1", "look"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        stdin=asyncio.subprocess.DEVNULL,
    )
    out, _ = await proc.communicate()
    assert proc.returncode == 0, out.decode(errors="replace")
    assert b"Town Square" in out


async def test_ssh_audit_finds_no_failing_algorithm(start: Start) -> None:
    srv = await start()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "ssh_audit", "--json", "--skip-rate-test", "-p", str(srv.ssh_port), "127.0.0.1"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    report = json.loads(out)
    failing = [
        alg["algorithm"]
        for section in ("kex", "key", "enc", "mac")
        for alg in report.get(section, [])
        if alg.get("notes", {}).get("fail")
    ]
    assert failing == [], err.decode()
    assert {a["algorithm"] for a in report["kex"]} >= {"curve25519-sha256"}


async def test_refused_connections_hold_nothing(
    start: Start, keys: dict[str, asyncssh.SSHKey], clock: FakeClock
) -> None:
    """Refused before key exchange: no login slot, no SSH handshake, nothing to time out."""
    srv = await start(conn_per_minute=2, max_sessions=1)
    assert (await attempt(srv.ssh_port, "ana", key=keys["ana"]))[0]
    assert (await attempt(srv.ssh_port, "ana", key=keys["ana"]))[0]
    for _ in range(5):
        assert not (await first_words(srv.ssh_port)).startswith(b"SSH-")
    assert srv.ssh.startups == 0
    clock.tick(30_000)
    conn = await asyncssh.connect(
        "127.0.0.1",
        srv.ssh_port,
        username="ana",
        client_keys=[keys["ana"]],
        known_hosts=None,
        agent_path=None,
        client_factory=BannerClient,
    )
    async with conn:
        assert (await conn.run("look")).exit_status == 0
