"""The Old Barrow over real SSH, in line mode: the spirit's quest, told by triggers
(on_say starts it, the shrine's on_say hands the candle over, on_enter greets the bearer),
delivered and rewarded; the king answers the first blow (on_attack from combat); and the
clock (on_time), a gift (on_give) and the king's end (on_death) on an injected clock."""

from __future__ import annotations

import asyncssh

from game.app import Server
from tests.conftest import FakeClock
from tests.e2e.conftest import Reader, connect
from tests.e2e.test_combat_ssh import fight_out, timed, toughen

__all__ = ["timed"]  # the fixture: a server on an injected clock


async def test_the_spirits_quest_and_the_kings_welcome_in_line_mode(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(server.ssh_port, "ana", keys["ana"]) as conn:
        ana = Reader(await conn.create_process(encoding=None))
        await ana.until("You see a notice board.")
        body = server.game.world.find_online("ana")
        assert body is not None
        server.game.world.move(body, "barrow:well")
        ana.send("say rest")
        await ana.until("Kneel at the shrine, ana, and pray.")
        await ana.until("New quest: Laid to Rest.")
        for step in ("east", "east"):
            ana.send(step)
        await ana.until("The Cold Shrine")
        ana.send("say pray")
        await ana.until("The stone lady gives you a grave candle.")
        for step in ("west", "west"):
            ana.send(step)
        await ana.until('A restless spirit says, "The light! Give it to me, ana."')
        ana.send("give candle to spirit")
        await ana.until("You hand over a grave candle to a restless spirit.")
        for step in ("east", "south", "south", "talk wenna"):
            ana.send(step)
        await ana.until("Then she sleeps at last.")
        server.game.world.move(body, "barrow:tomb")
        ana.send("attack king")
        await ana.until('Barrow King says, "Who wakes the king under the hill?"')
        ana.send("flee")
        await ana.until("You flee")
        assert b"\x1b" not in ana.seen


async def test_the_clock_a_gift_and_the_kings_death_over_ssh(
    timed: tuple[Server, FakeClock], keys: dict[str, asyncssh.SSHKey]
) -> None:
    """on_time (the gravewarden at dusk), on_give (the spirit's ring) and on_death (the
    king, made frail for the test) reach a line-mode player on the server's own clock."""
    server, clock = timed
    game = server.game
    async with await connect(server.ssh_port, "ana", keys["ana"]) as conn:
        ana = Reader(await conn.create_process(encoding=None))
        await ana.until("You see a notice board.")
        body = game.world.find_online("ana")
        assert body is not None
        game.world.move(body, "barrow:mouth")
        for _ in range(24 * 60):  # a game minute at a time, up to a whole game day
            if game.world.phase() == "dusk":
                break
            clock.tick(game.world.content.economy.day_minutes * 60_000 // (24 * 60))
            game.triggers.tick()
        await ana.until("Wenna the gravewarden trims the wick of her lamp")
        game.world.move(body, "barrow:well")
        game.world.change_pack(body, {"barrow:bone-ring": 1})
        ana.send("give ring to spirit")
        await ana.until('"It was mine, ana. Thank you for bringing it so far."')
        toughen(server, "barrow:king", health=1)  # frail, so one blow ends it
        game.world.move(body, "barrow:tomb")
        ana.send("attack king")
        await ana.until("Who wakes the king under the hill?")
        fight_out(server, clock, "ana")
        await ana.until("crumbles into dust and rusted mail")
        assert game.world.floor["barrow:tomb"]["barrow:bronze-key"] == 1
