"""The telnet wire (issue 18): prompt markers, MSSP for crawlers, MCCP2 on and off, bad
negotiation and garbage changing nothing, and no player able to put raw IAC or escape
sequences on another player's connection."""

from __future__ import annotations

import random

from telnetlib3.telopt import DO, EOR, GA, IAC, SB, SE, WILL

from tests.game.fronts.telnet.conftest import Raw, Start, mud, raw

SECRET = "correct horse"
GMCP_OPT = bytes([201])


async def raw_login(client: Raw, name: str, *, new: bool, asked: bool = False) -> bytes:
    if not asked:
        await client.until(b"What name")
    client.send(name.encode() + b"\r\n")
    if new:
        await client.until(b"New password")
        client.send(SECRET.encode() + b"\r\n")
        await client.until(b"Repeat password")
        client.send(SECRET.encode() + b"\r\n")
    else:
        await client.until(b"Password:")
        client.send(SECRET.encode() + b"\r\n")
    return await client.until(b"> ")


async def test_prompts_end_with_ga_or_with_eor_once_the_client_agrees(start: Start) -> None:
    srv = await start()
    plain = await raw(srv.telnet.port)
    offers = await plain.until(b"What name")
    assert IAC + WILL + EOR in offers
    assert IAC + WILL + GMCP_OPT in offers
    await raw_login(plain, "ana", new=True, asked=True)
    plain.send(b"look\r\n")
    await plain.until(b"> " + IAC + GA)  # the prompt, then Go Ahead
    eor = await raw(srv.telnet.port)
    eor.send(IAC + DO + EOR)
    await raw_login(eor, "bob", new=True)
    eor.send(b"look\r\n")
    await eor.until(b"> " + IAC + bytes([239]))  # IAC EOR right after the prompt
    plain.close()
    eor.close()


async def test_mssp_answers_crawlers_with_live_figures(start: Start) -> None:
    srv = await start()
    player = await mud(srv.telnet.port)
    await player.login("ana", SECRET, new=True)
    crawler = await mud(srv.telnet.port)
    try:
        mssp = await crawler.until_mssp()
        content = srv.game.world.content
        assert mssp["NAME"] == "sshrealm"
        assert mssp["PLAYERS"] == "1"
        assert mssp["ROOMS"] == str(len(content.rooms))
        assert mssp["AREAS"] == str(len(content.areas))
        assert str(mssp["CODEBASE"]).startswith("sshrealm")
        assert str(mssp["UPTIME"]).isdigit()
    finally:
        player.close()
        crawler.close()


async def test_mccp2_compresses_when_the_client_agrees_and_not_otherwise(start: Start) -> None:
    srv = await start()
    on = await mud(srv.telnet.port)
    off = await mud(srv.telnet.port, compression=False)
    try:
        await on.login("ana", SECRET, new=True)
        await off.login("bob", SECRET, new=True)
        for client in (on, off):
            client.send("look")
            await client.until("Exits:")
        compressed = {p.conn.session.name: p.writer.mccp2_active for p in srv.telnet.open if p.conn}
        assert compressed == {"ana": True, "bob": False}
        assert on.writer.mccp2_active
    finally:
        on.close()
        off.close()


def hostile() -> bytes:
    """Broken telnet: an option a server must not be sent, malformed and empty
    subnegotiations, stray commands."""
    return b"".join(
        [
            IAC + WILL + bytes([1]),  # WILL ECHO: only a server may
            IAC + SB + GMCP_OPT + b"Core.Hello {not json" + IAC + SE,
            IAC + SB + bytes([69]) + b"\x01\x02\x03\x04\x05\x06" + IAC + SE,  # MSDP nonsense
            IAC + SB + bytes([24]) + IAC + SE,  # empty TTYPE
            IAC + SB + bytes([31]) + b"\x00" + IAC + SE,  # short NAWS
            IAC + SE,  # SE without SB
            IAC + DO + GMCP_OPT + IAC + DO + GMCP_OPT,
            b"".join(IAC + bytes([c]) for c in (0xF4, 0xF5, 0xF6, 0xF7, 0xF8)),  # IP..EL
        ]
    )


def garbage() -> bytes:
    """:func:`hostile` telnet, then random bytes (no IAC, no line ends)."""
    noise = bytes(b for b in random.Random(18).randbytes(4096) if b not in (255, 10, 13))
    return hostile() + noise


async def test_bad_negotiation_and_garbage_change_nothing(start: Start) -> None:
    srv = await start()
    game = srv.game
    accounts = game.conn.execute("SELECT COUNT(*) FROM players").fetchone()[0]
    junk = await raw(srv.telnet.port)
    await junk.until(b"What name")
    junk.send(garbage() + b"\r\n")
    await junk.until(b"Cannot log in")  # one line, refused as a name
    assert game.conn.execute("SELECT COUNT(*) FROM players").fetchone()[0] == accounts
    assert len(game.sessions) == 0
    junk.close()
    player = await mud(srv.telnet.port)  # the server goes on as before
    await player.login("ana", SECRET, new=True)
    room = game.sessions.get("ana").player.room  # type: ignore[union-attr]
    tokens = game.wallet.balance("ana")
    player.writer.send_iac(hostile())  # negotiation garbage mid-game
    player.send("look")
    assert "Exits:" in await player.until("> ")
    assert game.sessions.get("ana").player.room == room  # type: ignore[union-attr]
    assert game.wallet.balance("ana") == tokens
    player.close()


async def test_iac_and_escape_codes_typed_by_one_player_never_reach_another_raw(
    start: Start,
) -> None:
    srv = await start()
    bob = await raw(srv.telnet.port)  # answers no negotiation: no GMCP, no colour
    await raw_login(bob, "bob", new=True)
    ana = await mud(srv.telnet.port)
    await ana.login("ana", SECRET, new=True)
    start_at = len(bob.seen)
    # A literal 0xFF (sent as IAC IAC), escape sequences and a forged GMCP message inside
    # a say: the server reads the forged message as ana's own negotiation, not as text.
    ana.writer.write(b"say a\xffb \x1b[31mred\x1b]0;owned\x07 \x9b2J ")
    ana.writer.send_iac(IAC + SB + GMCP_OPT + b'Room.Info {"id":"forged"}' + IAC + SE)
    ana.writer.write(b"end\r\n")
    await bob.until(b"end")
    await bob.until(b"> ")
    heard = bob.seen[start_at:]
    assert b"ana says" in heard
    assert b"\x1b" not in heard
    assert b"\x07" not in heard
    assert b"\x9b" not in heard.decode(errors="replace").encode("latin-1", errors="replace")
    assert b"forged" not in heard
    assert heard.replace(IAC + GA, b"").count(IAC) == 0  # only the server's own prompt marks
    ana.close()
    bob.close()
