"""Telnet logins (issue 18, item 2): passwords through the gate SSH uses, link codes from an
SSH session, bans and the lockout by real address, TLS on a second port."""

from __future__ import annotations

import datetime as dt
import ssl
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from game.services.keylink import LINK_TTL_MS, code_hash
from tests.game.fronts.ssh.test_ssh_security import Later
from tests.game.fronts.telnet.conftest import Start, mud

SECRET = "correct horse"


async def test_wrong_passwords_hang_up_and_lock_the_address_for_ssh_too(start: Start) -> None:
    srv = await start()  # ops settings: two failures lock the address
    srv.game.ensure_account("cyra", password_hash=srv.gate.hasher.hash(SECRET))
    client = await mud(srv.telnet.port)
    await client.until("What name")
    client.send("cyra")
    for _ in range(2):
        await client.until("Password:")
        client.send("battery staple")
    rest = (await client.rest()).decode(errors="replace")
    assert "Too many failed logins from your address" in rest
    assert srv.ssh.throttle.locked("127.0.0.1")  # one gate: SSH passwords are locked too
    again = await mud(srv.telnet.port)
    await again.until("What name")
    again.send("cyra")
    await again.until("Password:")
    again.send(SECRET)  # the right one, but the address is locked out
    assert "Too many failed logins" in (await again.rest()).decode(errors="replace")
    assert srv.game.sessions.get("cyra") is None


async def test_banned_address_and_shutdown_are_refused_by_name(start: Start) -> None:
    srv = await start()
    srv.game.moderation.ban("address", "127.0.0.1", "spam", "admin", None)
    client = await mud(srv.telnet.port)
    await client.until("What name")
    client.send("ana")
    assert "You are banned from sshrealm. Reason: spam" in (await client.rest()).decode()
    srv.game.moderation.unban("address", "127.0.0.1")
    srv.ssh.accepting = False  # shutdown refuses telnet logins too
    client = await mud(srv.telnet.port)
    await client.until("What name")
    client.send("ana")
    assert "shutting down" in (await client.rest()).decode()
    assert srv.game.store.account("ana") is None


async def test_a_key_account_links_with_a_code_and_chooses_a_password(start: Start) -> None:
    srv = await start()
    game = srv.game
    game.ensure_account("ana")  # a key account: no password
    client = await mud(srv.telnet.port)
    await client.until("What name")
    client.send("ana")
    assert "keys link" in (await client.rest()).decode()  # no code pending: told how
    game.store.set_link_code("ana", code_hash("abcd-efgh"), game.clock() + LINK_TTL_MS)
    client = await mud(srv.telnet.port)
    await client.until("What name")
    client.send("ana")
    await client.until("Link code:")
    client.send("ABCD EFGH")  # case and separators do not matter, as over SSH
    await client.until("New password")
    client.send(SECRET)
    await client.until("Repeat password")
    client.send(SECRET)
    assert "Welcome to sshrealm, ana." in await client.until("> ")
    account = game.store.account("ana")
    assert account is not None
    assert account.password_hash is not None
    assert game.store.link_code("ana", game.clock()) is None  # spent
    client.close()
    again = await mud(srv.telnet.port)
    assert "Welcome to sshrealm, ana." in await again.login("ana", SECRET)
    again.close()


async def test_a_wrong_link_code_is_one_guess(start: Start) -> None:
    srv = await start()
    game = srv.game
    game.ensure_account("ana")
    game.store.set_link_code("ana", code_hash("abcd-efgh"), game.clock() + LINK_TTL_MS)
    client = await mud(srv.telnet.port)
    await client.until("What name")
    client.send("ana")
    await client.until("Link code:")
    client.send("zzzz-zzzz")
    assert "wrong or has expired" in (await client.rest()).decode()
    assert game.store.account("ana").password_hash is None  # type: ignore[union-attr]
    assert srv.gate.throttle.failed_count("127.0.0.1") == 1


def self_signed(folder: Path) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


async def test_tls_port_serves_the_same_game_without_compression(
    start: Start, tmp_path: Path
) -> None:
    cert, key = self_signed(tmp_path)
    srv = await start(telnet_tls_port=0, telnet_tls_cert=cert, telnet_tls_key=key)
    context = ssl.create_default_context(cafile=cert)
    client = await mud(srv.telnet.tls_port, ssl=context)
    try:
        assert "Welcome to sshrealm, ana." in await client.login("ana", SECRET, new=True)
        client.send("look")
        assert "Exits:" in await client.until("> ")
        assert client.writer.get_extra_info("ssl_object") is not None
        assert not client.writer.mccp2_active  # never compress-then-encrypt
    finally:
        client.close()


async def test_a_login_left_unfinished_times_out_and_frees_its_slot(start: Start) -> None:
    srv = await start(login_timeout_s=30)
    later = srv.telnet.later = Later()  # the timer fires when the test says, not the clock
    client = await mud(srv.telnet.port)
    await client.until("What name")
    assert srv.gate.startups == 1
    assert later.delays == [30]
    later.fire()  # the login timeout (and then the hang-up's linger, cutting it off)
    assert "Login timed out" in (await client.rest()).decode()
    assert srv.gate.startups == 0
    assert len(srv.game.sessions) == 0
