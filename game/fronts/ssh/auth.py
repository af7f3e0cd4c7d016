"""Who may log in as whom: public keys on trust-on-first-use, passwords for the keyless.

* A new name with a key creates the account bound to that key.
* A known name with an unknown key is refused, with a banner that says why. OpenSSH hides
  banners (and keyboard-interactive instructions) at ``-o LogLevel=ERROR`` but prints an SSH
  disconnect message at every level: so when such a client then tries keyboard-interactive
  and the account has no password, the same reason ends the connection as its disconnect
  message, sent before any failure reply (which would make the client give up first and
  print only "Permission denied"). Every other refusal during login hangs up the same way.
* A client without keys gets keyboard-interactive: a new name chooses a password (argon2),
  a known name with a password is asked for it. Hashing runs in a thread, off the loop.

Failed passwords and link codes count against the address (LoginThrottle), claimed before
the argon2 check so parallel guesses cannot outrun the count. The lockout stops passwords and
link codes only: a key cannot be guessed, so players behind the same NAT still log in with
theirs. A connection takes one of ``max_sessions`` slots once it has logged in, and may open
``max_channels`` channels.

The login knows the SSH front only as :class:`LoginHost`: what a channel needs of it
(:class:`~game.fronts.ssh.channel.ChannelHost`, since the login opens the channels) plus the
login gate (game/fronts/gate.py: checks, slots and hashing threads, shared with telnet).
The front (server.py) builds one :class:`GameSSHServer` per connection and is never
imported here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

import asyncssh
import structlog

from game.fronts.gate import MIN_PASSWORD
from game.fronts.names import RULE, Login, parse_login
from game.fronts.ssh.channel import ChannelHost, GameChannel

if TYPE_CHECKING:
    from game.engine.game import Game
    from game.fronts.gate import LoginGate

KbdIntChallenge = bool | tuple[str, str, str, list[tuple[str, bool]]]
KbdIntResponse = Sequence[str]

log = structlog.get_logger("sshrealm.auth")


class LoginHost(ChannelHost, Protocol):
    """What a login needs of the SSH front (:class:`game.fronts.ssh.server.SshFront` fits):
    what its channels need, and the login gate it shares with the other front ends."""

    @property
    def game(self) -> Game:
        """The game, or on a gateway what stands in for it while logging in
        (game/cluster/logins.py)."""

    @property
    def gate(self) -> LoginGate: ...

    async def prepare_login(self, name: str, address: str) -> str | None:
        """Before the checks of ``name``'s login: fetch what they read, where the accounts
        live in another process (a gateway); why the login cannot go on, or None."""

    async def prepare_key(self, fingerprint: str) -> bool:
        """The same for a key offered; False when its facts cannot be had now."""


class GameSSHServer(asyncssh.SSHServer):
    """One instance per TCP connection."""

    def __init__(self, front: LoginHost) -> None:
        self.front = front
        self.conn: asyncssh.SSHServerConnection | None = None
        self.login = Login("", False, False)
        self.pending_key: tuple[str, str] | None = None
        self.link_key: tuple[str, str] | None = None  # offered for a known name, code pending
        self.pending_password: str | None = None
        self.new_account = False
        self._banner_sent = False
        self.address = ""
        self.refusal: str | None = None  # why this connection may not log in, if it may not
        self.key_refusal: str | None = None  # why the last key offered was refused
        self.slot = False  # holds one of max_sessions (from auth_completed to connection_lost)
        self.channels = 0  # channels open now

    @property
    def store(self):  # type: ignore[no-untyped-def]
        return self.front.game.store

    # -- connection --------------------------------------------------------------------------
    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        if not self.address:  # the front gave none (it does behind a proxy): the TCP peer's
            peer = conn.get_extra_info("peername")
            self.address = str(peer[0]) if peer else ""

    def connection_lost(self, exc: Exception | None) -> None:
        if self.slot:
            self.slot = False
            self.front.gate.release_slot()
        self.conn = None

    def _banner(self, message: str) -> None:
        if self.conn is not None and not self._banner_sent:
            self._banner_sent = True
            with contextlib.suppress(OSError):  # auth already over: nothing to tell
                self.conn.send_auth_banner(message + "\r\n")

    def _refuse_key(self, why: str) -> bool:
        self.key_refusal = why
        self._banner(why)
        return False

    def _hang_up(self, why: str, code: int = asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE) -> None:
        """End a refused connection now: clients otherwise retry keyboard-interactive until
        the login timeout (free password guesses for a brute-forcer). The disconnect goes out
        at once, ahead of the failure reply asyncssh would send next (dropped then): a client
        told "failure" with nothing left to try quits before it reads why, and OpenSSH shows
        the disconnect message even at LogLevel=ERROR, where it hides banners."""
        conn = self.conn
        if conn is not None:
            conn.disconnect(code, why)

    async def begin_auth(self, username: str) -> bool:
        self.login = parse_login(username)
        if self.refusal is None and self.login.valid:
            self.refusal = await self.front.prepare_login(self.login.name, self.address)
        if self.refusal is None and self.login.valid:
            self.refusal = self.front.gate.refuse_login(self.login.name, self.address)
        if self.refusal is not None:
            self._banner(self.refusal)
        elif not self.login.valid:
            self._banner(f"Cannot log in as {username!r}. {RULE}")
        return True

    # -- public keys ---------------------------------------------------------------------------
    def public_key_auth_supported(self) -> bool:
        return True

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        if not self.login.valid or self.refusal is not None:
            return False
        name = self.login.name
        fingerprint = key.get_fingerprint()
        if not await self.front.prepare_key(fingerprint):
            return self._refuse_key("The world is restarting; try again in a few seconds.")
        ban = self.front.game.moderation.banned("key", fingerprint)
        if ban is not None:
            self.front.game.metrics.refused["banned"] += 1
            return self._refuse_key(f"This key is banned from sshrealm. Reason: {ban.reason}")
        account = self.store.account(name)
        if account is not None:
            if fingerprint in self.store.keys(name):
                return True
            if self.store.link_code(name, self.front.game.clock()) is not None:
                if self.store.key_owner(fingerprint) is None:
                    # Not accepted as a login: the code asked for next proves it is theirs.
                    self.link_key = (fingerprint, key.export_public_key().decode().strip())
                    self._banner(f"This key is new for {name!r}: enter your link code to add it.")
                return False
            return self._refuse_key(
                f"The name {name!r} is already taken and bound to a different key. "
                "Log in with the key you used the first time (there, keys link gives a code "
                "to add this one), or choose another name."
            )
        owner = self.store.key_owner(fingerprint)
        if owner is not None:
            self._banner(f"This key already belongs to {owner!r}. Log in as {owner}.")
            return False
        self.pending_key = (fingerprint, key.export_public_key().decode().strip())
        return True

    # -- keyboard-interactive passwords ----------------------------------------------------------
    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return True

    def get_kbdint_challenge(self, username: str, lang: str, submethods: str) -> KbdIntChallenge:
        if self.refusal is None:
            # Checked at every prompt: retries inside one connection count too.
            self.refusal = self.front.gate.password_lockout(self.address)
            if self.refusal is not None:
                self._banner(self.refusal)
        if self.refusal is not None:
            self._hang_up(self.refusal)
            return False
        if not self.login.valid:
            return False
        account = self.store.account(self.login.name)
        if account is not None and self.link_key is not None:
            return ("sshrealm", f"Link this key to {account.name}.", "", [("Link code: ", False)])
        if account is None:
            self.new_account = True
            return (
                "sshrealm",
                f"Welcome! {self.login.name!r} is free. Choose a password for it "
                f"(at least {MIN_PASSWORD} characters).",
                "",
                [("New password: ", False), ("Repeat password: ", False)],
            )
        if account.password_hash is None:  # nothing to ask: say why, never prompt
            why = (
                self.key_refusal or f"{self.login.name!r} logs in with an SSH key, not a password."
            )
            self._banner(why)
            self._hang_up(why)  # nothing else to try: do not leave the client waiting
            return False
        return ("", "", "", [("Password: ", False)])

    async def validate_kbdint_response(
        self, username: str, responses: KbdIntResponse
    ) -> KbdIntChallenge:
        gate = self.front.gate
        if self.link_key is not None:
            return self._link(responses)
        if self.new_account:
            if len(responses) != 2 or responses[0] != responses[1]:
                return self._retry("The two passwords did not match.")
            if len(responses[0]) < MIN_PASSWORD:
                return self._retry(f"Use at least {MIN_PASSWORD} characters.")
            self.pending_password = await gate.hash_new(responses[0])
            return True
        account = self.store.account(self.login.name)
        if account is None or account.password_hash is None or len(responses) != 1:
            return False
        if not self._claim_guess():
            return False
        return await gate.check_password(self.login.name, responses[0], self.address)

    def _claim_guess(self) -> bool:
        """Reserve one guess against the address's budget before checking it; when none is
        left (locked out, or the rest are being checked right now) hang up with why."""
        why = self.front.gate.claim_guess(self.address)
        if why is None:
            return True
        self._banner(why)
        self._hang_up(why)
        return False

    def _link(self, responses: KbdIntResponse) -> bool:
        """Bind the offered key when the player types their pending link code."""
        assert self.link_key is not None
        game, name = self.front.game, self.login.name
        if not self._claim_guess():
            return False
        code = responses[0] if len(responses) == 1 else ""
        if not self.front.gate.check_link_code(name, code, self.address):
            self._hang_up("That link code is wrong or has expired.")  # one guess per connection
            return False
        fingerprint, public = self.link_key
        with game.ledger.atomic():  # the key and the spent code, together
            self.store.add_key(name, fingerprint, public, game.clock())
            self.store.clear_link_code(name)
            game.audit.record(name, "key-linked", name, "one-time link code", fingerprint)
        log.info("key_linked", player=name, address=self.address)
        return True

    def _retry(self, why: str) -> KbdIntChallenge:
        return (
            "sshrealm",
            why + " Try again.",
            "",
            [("New password: ", False), ("Repeat password: ", False)],
        )

    # -- done -------------------------------------------------------------------------------------
    def auth_completed(self) -> None:
        """Create the account now that the client proved it holds the key or chose a password."""
        game = self.front.game
        name = self.login.name
        if not self.front.gate.claim_slot():  # filled up while this one was logging in
            self._hang_up(
                "The server is full right now. Try again in a few minutes.",
                asyncssh.DISC_TOO_MANY_CONNECTIONS,
            )
            return
        creating = self.new_account or self.pending_key is not None
        if creating and self.store.account(name) is not None:
            # The name was free when this login began and someone took it meanwhile: what
            # this connection proved (a new password, an unbound key) is not theirs.
            self.front.gate.release_slot()
            self._hang_up(f"The name {name!r} was just taken by someone else. Choose another.")
            return
        self.slot = True
        if self.store.account(name) is None:
            game.ensure_account(name, password_hash=self.pending_password)
            if self.pending_key is not None:
                fingerprint, public = self.pending_key
                self.store.add_key(name, fingerprint, public, game.clock())
            log.info("account_bound", player=name, by="key" if self.pending_key else "password")

    def session_requested(self) -> asyncssh.SSHServerSession[bytes]:
        if not self.slot:
            raise asyncssh.ChannelOpenError(
                asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, "The server is full right now."
            )
        limit = self.front.settings.max_channels
        if self.channels >= limit:
            self.front.game.metrics.refused["channels"] += 1
            raise asyncssh.ChannelOpenError(
                asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED,
                f"At most {limit} sessions may be open on one connection; close one first.",
            )
        self.channels += 1
        return GameChannel(self.front, self.login, self.address, on_closed=self._channel_closed)

    def _channel_closed(self) -> None:
        self.channels = max(0, self.channels - 1)
