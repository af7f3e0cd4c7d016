"""Line mode and exec mode over real SSH: plain text, never an escape byte."""

from __future__ import annotations

import asyncssh

from game.app import Server
from tests.e2e.conftest import Reader, connect, e2e_settings


async def test_exec_look_prints_room_plainly(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(server.ssh_port, "ana", keys["ana"]) as conn:
        result = await conn.run("look", encoding=None)
    assert result.exit_status == 0
    assert isinstance(result.stdout, bytes)
    assert result.stdout.startswith(b"Town Square\r\nExits: north, east, south and west.\r\n")
    assert b"\x1b" not in result.stdout


async def test_exec_unknown_command_exits_1_on_stderr(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(server.ssh_port, "ana", keys["ana"]) as conn:
        result = await conn.run("dance wildly", encoding=None)
    assert result.exit_status == 1
    assert result.stdout == b""
    assert b"Unknown command 'dance'" in result.stderr  # type: ignore[operator]


async def test_line_mode_without_pty_two_players_see_say(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with (
        await connect(server.ssh_port, "ana", keys["ana"]) as a,
        await connect(server.ssh_port, "bob", keys["bob"]) as b,
    ):
        pa = await a.create_process(encoding=None)
        pb = await b.create_process(encoding=None)
        ra, rb = Reader(pa), Reader(pb)
        await ra.until("You see a notice board.")
        await rb.until("You see a notice board.")
        await ra.until("bob arrives.")
        ra.send("say hello [bold]bob\x1b[31m")
        await rb.until('ana says, "hello [bold]bob"')
        rb.send(":waves back")
        await ra.until("bob waves back.")
        assert b"\x1b" not in ra.seen + rb.seen


async def test_line_mode_plain_suffix_and_dumb_pty_echo(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(server.ssh_port, "ana+plain", keys["ana"]) as conn:
        proc = await conn.create_process(
            encoding=None, term_type="xterm-256color", term_size=(80, 24)
        )
        reader = Reader(proc)
        await reader.until("You see a notice board.")
        proc.stdin.write(b"lokx\x7f\x7fok\r")
        await reader.until("Exits: north, east")
        assert b"lokx\b \b\b \bok\r\n" in reader.seen  # echoed, with backspace handled
        assert b"\x1b" not in reader.seen
    async with await connect(server.ssh_port, "ana", keys["ana"]) as conn:
        proc = await conn.create_process(encoding=None, term_type="dumb", term_size=(80, 24))
        reader = Reader(proc)
        await reader.until("You see a notice board.")
        assert b"\x1b" not in reader.seen


async def test_overlong_and_control_input_refused_plainly(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(server.ssh_port, "ana", keys["ana"]) as conn:
        proc = await conn.create_process(encoding=None)
        reader = Reader(proc)
        await reader.until("You see a notice board.")
        reader.send("say " + "y" * 1200)
        await reader.until("the limit is 1000")
        reader.send("say still here")
        await reader.until('You say, "still here"')


async def test_refused_key_for_taken_name(server: Server, keys: dict[str, asyncssh.SSHKey]) -> None:
    async with await connect(server.ssh_port, "ana", keys["ana"]) as conn:
        await conn.run("look")
    try:
        await connect(server.ssh_port, "ana", keys["eve"])
    except asyncssh.PermissionDenied:
        pass
    else:
        raise AssertionError("a second key for ana was accepted")


async def test_password_account_for_keyless_client(server: Server) -> None:
    class Answers(asyncssh.SSHClient):
        def __init__(self, answers: list[str]) -> None:
            self.answers = answers

        def kbdint_auth_requested(self) -> str:
            return ""

        def kbdint_challenge_received(
            self, name: str, instructions: str, lang: str, prompts: object
        ) -> list[str]:
            return self.answers[: len(prompts)]  # type: ignore[arg-type]

    def client(answers: list[str]) -> asyncssh.SSHClient:
        return Answers(answers)

    opts = dict(known_hosts=None, agent_path=None, client_keys=None, username="cyra")
    async with await asyncssh.connect(
        "127.0.0.1", server.ssh_port, client_factory=lambda: client(["s3cret-pass"] * 2), **opts
    ) as conn:
        assert (await conn.run("look")).exit_status == 0
    async with await asyncssh.connect(
        "127.0.0.1", server.ssh_port, client_factory=lambda: client(["s3cret-pass"]), **opts
    ) as conn:
        assert (await conn.run("look")).exit_status == 0
    try:
        await asyncssh.connect(
            "127.0.0.1", server.ssh_port, client_factory=lambda: client(["wrong-pass"]), **opts
        )
    except (asyncssh.PermissionDenied, asyncssh.ConnectionLost):  # refused, then disconnected
        pass
    else:
        raise AssertionError("a wrong password was accepted")


async def test_restart_keeps_location_and_host_key(
    tmp_path, keys: dict[str, asyncssh.SSHKey]
) -> None:  # type: ignore[no-untyped-def]
    settings = e2e_settings(tmp_path / "var")
    first = Server(settings)
    await first.start()
    async with await connect(first.ssh_port, "ana", keys["ana"]) as conn:
        await conn.run("north")
        await conn.run("get lantern")
        host_key = conn.get_server_host_key()
    await first.stop()
    second = Server(settings)
    await second.start()
    try:
        async with await connect(second.ssh_port, "ana", keys["ana"]) as conn:
            out = await conn.run("look")
            inv = await conn.run("inventory")
            assert conn.get_server_host_key() == host_key
    finally:
        await second.stop()
    assert str(out.stdout).startswith("The Old Hall")
    assert "brass lantern" in str(inv.stdout)


async def test_reconnect_takes_over_the_body(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(server.ssh_port, "ana", keys["ana"]) as first:
        p1 = await first.create_process(encoding=None)
        r1 = Reader(p1)
        await r1.until("You see a notice board.")
        async with await connect(server.ssh_port, "ana", keys["ana"]) as second:
            p2 = await second.create_process(encoding=None)
            r2 = Reader(p2)
            await r2.until("You see a notice board.")
            await r1.until("logged in from somewhere else")
            await p1.wait_closed()
            r2.send("who")
            await r2.until("1 player online:")


async def test_screenreader_option_gives_line_mode_on_a_full_terminal(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(server.ssh_port, "ana", keys["ana"]) as conn:
        assert "is on" in str((await conn.run("screenreader on")).stdout)
        proc = await conn.create_process(
            encoding=None, term_type="xterm-256color", term_size=(100, 30)
        )
        reader = Reader(proc)
        await reader.until("You see a notice board.")
        assert b"\x1b" not in reader.seen  # a PTY and a capable TERM, yet plain lines
        reader.send("screenreader off")
        await reader.until("Screen-reader mode is off")


async def test_near_misses_suggest_directions_and_read_reads(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    """A walkthrough: `nrth` suggested `growth`, and the crier's "read the notice board"
    named a command that did not exist."""
    async with await connect(server.ssh_port, "eve", keys["eve"]) as conn:
        typo = await conn.run("nrth")
        assert typo.exit_status == 1
        assert "Did you mean: north" in str(typo.stderr)
        board = await conn.run("read notice board")
        assert board.exit_status == 0, board.stderr
        assert str(board.stdout).strip()
