"""Crash safety: SIGKILL a writer mid-run; every acknowledged transfer survives exactly once.

The child writes with synchronous=FULL and prints each key only after its commit. The parent
kills it after reading some acknowledgements (it waits on lines, never on timers), reopens
the file and checks the invariants. The next generation first resends a window of the
previous generation's legs across the crash point: acknowledged ones must be recognised as
duplicates, lost ones written once, and nothing may conflict.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from economy import Ledger
from tests.economy.conftest import ManualClock

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("crash_writer.py")


def _run_and_kill(db: Path, generation: int, resend: tuple[int, int], acks: int) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, str(WRITER), str(db), str(generation), *map(str, resend)]
    child = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert child.stdout is not None
    seen: list[str] = []
    while len(seen) < acks:
        line = child.stdout.readline()
        if not line:
            break
        seen.append(line.strip())
    child.send_signal(signal.SIGKILL)
    rest, errors = child.communicate()
    seen.extend(rest.split())  # printed before the kill, so committed before the kill
    assert child.returncode == -signal.SIGKILL, errors
    return seen


def test_crash_sigkill_keeps_every_acknowledged_transfer(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    resend = (0, 0)
    for generation in range(3):
        seen = _run_and_kill(db, generation, resend, acks=1500 + 333 * generation)
        acked = [key for key in seen if key != "resent"]
        assert len(acked) >= 1400
        assert ("resent" in seen) == (generation > 0)
        ledger = Ledger.open(db, ManualClock())
        report = ledger.verify()
        assert report.ok, report.lines()
        window = [(f"g{generation - 1}:{i}",) for i in range(*resend)]
        assert all(
            ledger.conn.execute("SELECT COUNT(*) FROM transfers WHERE idem_key = ?", k).fetchone()
            == (1,)
            for k in window
        )
        stored = {
            key
            for (key,) in ledger.conn.execute(
                "SELECT idem_key FROM transfers WHERE idem_key LIKE ?", (f"g{generation}:%",)
            )
        }
        assert set(acked) <= stored
        assert len(acked) == len(set(acked))
        ledger.close()
        last = max(int(key.split(":")[1]) for key in acked)
        resend = (max(0, last - 120), last + 120)  # straddles the crash point
