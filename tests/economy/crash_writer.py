"""Child process for test_crash.py: writes transfers forever, acknowledging each commit.

Usage: ``python crash_writer.py DB GENERATION RESEND_FROM RESEND_TO``. Every leg is a pure
function of (generation, index), so a new generation can first resend a window of the
previous generation's legs, the way a client retries after a crash without knowing what
committed. A key is printed (and flushed) only after its transaction committed, so every
printed key is a promise the parent will check after SIGKILL.
"""

from __future__ import annotations

import sys

from economy import MINT, SINK, Ledger, Leg, Reason, system_clock

PLAYERS = [f"player:p{i}" for i in range(10)]


def leg(generation: int, index: int) -> Leg:
    payer = PLAYERS[index % 10]
    key = f"g{generation}:{index}"
    if index % 3 == 0:
        return Leg(payer, PLAYERS[(index * 7 + 3) % 10], 1 + index % 5, Reason.PAYMENT, key)
    return Leg(payer, SINK, 1 + index % 4, Reason.COMMAND_PRICE, key)


def ack(keys: list[str]) -> None:
    sys.stdout.write("".join(f"{key}\n" for key in keys))
    sys.stdout.flush()


def main() -> None:
    path, generation, resend_from, resend_to = sys.argv[1], *map(int, sys.argv[2:5])
    ledger = Ledger.open(path, system_clock, synchronous="FULL")
    with ledger.atomic():
        for name in PLAYERS:
            ledger.account(name)
    ledger.transfer_batch([Leg(MINT, p, 10**9, Reason.ADMIN_GRANT, f"seed:{p}") for p in PLAYERS])
    if resend_to > resend_from:
        ledger.transfer_batch([leg(generation - 1, i) for i in range(resend_from, resend_to)])
        ack(["resent"])
    index = 0
    while True:
        if index % 100 < 50:  # alternate single commits and group commits of 50
            one = leg(generation, index)
            ledger.transfer(one.debit, one.credit, one.amount, one.reason, one.idem_key)
            ack([one.idem_key])
            index += 1
        else:
            batch = [leg(generation, i) for i in range(index, index + 50)]
            ledger.transfer_batch(batch)
            ack([b.idem_key for b in batch])
            index += 50


if __name__ == "__main__":
    main()
