"""Mail and feedback over real SSH: a full-screen player and a line-mode player mail each
other with tokens held in escrow, a login tells of mail waiting (exec does not), and an
admin answers a bug report the moment it is filed."""

from __future__ import annotations

import asyncssh

from economy import ESCROW, Reason
from game.app import Server
from tests.e2e.conftest import Reader, connect
from tests.e2e.test_tui_ssh import fresh, open_tui


async def test_mail_with_tokens_between_the_tui_and_line_mode(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    game, port = server.game, server.ssh_port
    for name in ("ana", "bob"):
        async with await connect(port, name, keys[name]) as conn:
            await conn.run("look")  # the account, bound to the key
    game.wallet.credit("ana", 40, Reason.ADMIN_GRANT, "e2e-fund")
    async with (
        await connect(port, "ana", keys["ana"]) as a,
        await connect(port, "bob", keys["bob"]) as b,
    ):
        ra = await open_tui(a)
        rb = Reader(await b.create_process(encoding=None))  # no PTY: line mode
        await rb.until("First visit to Town Square")  # the login rewards are paid
        ana, bob = game.wallet.balance("ana"), game.wallet.balance("bob")
        supply = game.ledger.supply()
        fresh(ra).send("mail send bob 15 tokens Rent = for the boat")
        await ra.until("Mail #1 sent to bob.")
        await rb.until("New mail #1 from ana with 15 tokens attached: Rent. Type mail read 1.\r\n")
        assert game.ledger.balance(ESCROW) == 15
        rb.send("mail read 1")
        await rb.until("Subject: Rent\r\nfor the boat\r\n15 tokens attached: type mail take 1")
        rb.send("mail take 1")
        await rb.until(f"You took 15 tokens from mail #1. You have {bob + 15}.\r\n")
        rb.send("mail send ana thanks = got it")
        await fresh(ra).until("New mail #2 from bob: thanks.")
        assert b"\x1b" not in rb.seen  # the line-mode player never gets an escape
    assert (game.wallet.balance("ana"), game.wallet.balance("bob")) == (ana - 15, bob + 15)
    assert game.ledger.balance(ESCROW) == 0
    assert game.ledger.supply() == supply
    assert game.ledger.verify(full=True).ok


async def test_login_tells_of_waiting_mail_but_exec_does_not(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    port = server.ssh_port
    async with await connect(port, "cyra", keys["cyra"]) as c:
        await c.run("look")
    async with await connect(port, "eve", keys["eve"]) as e:
        sent = await e.run("mail send cyra hello = are you there?")
        assert sent.exit_status == 0, sent.stderr
    async with await connect(port, "cyra", keys["cyra"]) as c:
        once = await c.run("mail")  # exec: the answer only, no login notice
        assert once.exit_status == 0
        assert "You have" not in str(once.stdout)
        assert "#1 new from eve" in str(once.stdout)
        reader = Reader(await c.create_process(encoding=None))
        await reader.until("Welcome to sshrealm, cyra.")
        await reader.until("You have 1 new mail. Type mail to see your mailbox.\r\n")


async def test_a_bug_report_is_answered_over_ssh(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    port = server.ssh_port
    async with await connect(port, "ana", keys["ana"]) as a:
        await a.run("look")
    server.game.store.set_role("ana", "admin")
    async with (
        await connect(port, "ana", keys["ana"]) as a,
        await connect(port, "bob", keys["bob"]) as b,
    ):
        ra = Reader(await a.create_process(encoding=None))
        rb = Reader(await b.create_process(encoding=None))
        await ra.until("You see a notice board.")
        await rb.until("You see a notice board.")
        rb.send("bug the notice board is blank")
        await rb.until("Thank you: bug report #1 is filed")
        ra.send("@feedback")
        await ra.until("Open reports (1):\r\n#1 bug from bob in Town Square, ")
        ra.send("@feedback answer 1 it is new, we are writing it")
        await ra.until("Answered report #1 from bob: told them now (they are online).")
        await rb.until('ana answered your bug report #1: "it is new, we are writing it"')
