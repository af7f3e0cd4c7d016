"""Every figure in the analysts' reports agrees with the others and with direct SQL, on a
real server after real play over SSH (issue 13: "minted 200" beside "24h: minted 150",
"Players: 8" beside "first 20 of 3")."""

from __future__ import annotations

import json
import re
from pathlib import Path

import asyncssh

from economy import MINT, SINK, Ledger, Reason
from game.app import Server
from game.services.wallet import account_of
from tests.e2e.conftest import connect, e2e_settings

DAY_MS = 86_400_000


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _moved(server: Server, account: str, side: str, now: int) -> int:
    (total,) = server.conn.execute(
        f"SELECT coalesce(SUM(t.amount), 0) FROM transfers t JOIN accounts a"
        f" ON a.id = t.{side}_account_id WHERE a.name = ? AND t.ts <= ?",
        (account, now),
    ).fetchone()
    return int(total)


async def test_reports_agree_with_each_other_and_with_sql(tmp_path: Path) -> None:
    server = Server(e2e_settings(tmp_path / "var"))
    await server.start()
    try:
        for name in ("ana", "bob", "cyra"):
            key = asyncssh.generate_private_key("ssh-ed25519")
            async with await connect(server.ssh_port, name, key) as conn:
                for line in ("look", "north", "south", "east", "buy bread", "balance"):
                    await conn.run(line)
        server.game.ensure_account("dan")  # an account that never played
        now = server.game.clock()
        # A transfer stamped after the cycle's moment (a cycle reads a little after it, a
        # replay long after) must not show in any of its figures.
        late = Ledger(server.conn, lambda: now + 60_000)
        late.transfer(MINT, account_of("ana"), 7, Reason.ADMIN_GRANT, "late-grant", memo="x")
        outcome = await server.reflection.run_cycle(now)
        domingo = json.loads(_read(Path(outcome.reports["domingo"]).with_suffix(".json")))
        cal_md = _read(Path(outcome.reports["cal"]))
        domingo_md = _read(Path(outcome.reports["domingo"]))
        s = domingo["supply"]
        minted = _moved(server, MINT, "debit", now) - _moved(server, MINT, "credit", now)
        burned = _moved(server, SINK, "credit", now) - _moved(server, SINK, "debit", now)
        (faucets,) = server.conn.execute(
            "SELECT coalesce(SUM(amount), 0) FROM transfers WHERE code / 100 = 1"
            " AND ts > ? AND ts <= ?",
            (now - DAY_MS, now),
        ).fetchone()
        assert minted > 0
        assert (s["minted"], s["burned"], s["faucet_24h"]) == (minted, burned, faucets)
        assert s["supply"] == minted - burned
        assert s["minted"] == s["faucet_24h"]  # everything was minted today, and says so
        assert s["inflation_24h"] is None  # no rate against a supply that did not exist
        assert f"minted {minted:g}, burned {burned:g}" in domingo_md
        assert f"24h: minted {faucets:g}" in domingo_md
        (players,) = server.conn.execute("SELECT COUNT(*) FROM players").fetchone()
        assert f"- Players: {players};" in cal_md
        assert "## Players who played since the last report (3)" in cal_md
        assert len(re.findall(r"^### ", cal_md, re.M)) == 3
    finally:
        await server.stop()
