"""The SSH listener: host key, algorithms, options, and the sessions it has running.

Connection accounting, from the first TCP byte on:

* before key exchange (game/fronts/ssh/accept.py): the per-address connection rate and the cap on
  connections still logging in (``max_startups``) refuse a socket with one text line;
  the counting is the shared :class:`~game.fronts.gate.LoginGate`'s (telnet uses it too);
  behind a trusted proxy (``proxy_from``) the address is the PROXY header's, and it is the
  one every later check sees (:meth:`SshFront.login_for`);
* during login (auth.py): bans, shutdown, a full server and the password lockout refuse with
  an SSH banner; ``login_timeout_s`` bounds the whole login;
* once logged in: the connection holds one of ``max_sessions`` slots until it closes, and may
  open at most ``max_channels`` channels at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

import asyncssh

from game.fronts.gate import LoginGate
from game.fronts.proxy import TrustedProxies
from game.fronts.ssh.accept import Acceptor, bind
from game.fronts.ssh.auth import GameSSHServer
from game.fronts.ssh.keys import load_or_create_host_key

if TYPE_CHECKING:
    from argon2 import PasswordHasher

    from game.core.config import Settings
    from game.engine.game import Game
    from game.fronts.realm import Realm
    from game.fronts.tui.runner import TuiFactory
    from game.services.limits import LoginThrottle

# Only modern algorithms (ssh-audit reports none of these as failing). Kept working: OpenSSH
# 7.4+ (curve25519, chacha20/AES-GCM, ETM MACs) and PuTTY 0.68+ (curve25519). One finite-field
# group stays for older libraries; not 8192-bit group18, whose exchange a client could pick to
# make each connection cost the server tens of ms of CPU.
KEX_ALGS = (
    "mlkem768x25519-sha256",  # post-quantum hybrid: OpenSSH 9.9+
    "curve25519-sha256",
    "curve25519-sha256@libssh.org",
    "diffie-hellman-group16-sha512",
)
ENCRYPTION_ALGS = (
    "chacha20-poly1305@openssh.com",
    "aes256-gcm@openssh.com",
    "aes128-gcm@openssh.com",
    "aes256-ctr",
    "aes192-ctr",
    "aes128-ctr",
)
MAC_ALGS = (  # encrypt-then-MAC only, no SHA-1, no 64-bit tags
    "hmac-sha2-256-etm@openssh.com",
    "hmac-sha2-512-etm@openssh.com",
    "umac-128-etm@openssh.com",
)
SIGNATURE_ALGS = (  # advertised in server-sig-algs: no ssh-rsa (SHA-1), no DSA
    "ssh-ed25519",
    "sk-ssh-ed25519@openssh.com",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "rsa-sha2-512",
    "rsa-sha2-256",
)

Later = Callable[[float, Callable[[], None]], asyncio.TimerHandle]
"""Schedule a callback after a delay in seconds (``loop.call_later``; tests fire it by hand)."""


class SshFront:
    """Owns the acceptor. ``port`` is the bound port (useful with port 0).

    Limits, bans, slots and password checks are the :class:`~game.fronts.gate.LoginGate`'s,
    shared with the other front ends (the composition root hands the same one to each)."""

    def __init__(
        self,
        game: Game,
        settings: Settings,
        gate: LoginGate | None = None,
        realm: Realm | None = None,
    ) -> None:
        self.game = game
        if realm is None:
            from game.fronts.local import LocalRealm

            realm = LocalRealm(game)
        self.realm: Realm = realm
        self.settings = settings
        self._own_gate = gate is None  # closed with this front only if it made it
        self.gate = gate if gate is not None else LoginGate(game, settings)
        self.acceptor: Acceptor | None = None
        self.tasks: set[asyncio.Task[None]] = set()
        self.tui_factory: TuiFactory | None = None  # made by the first TUI session (channel.py)
        self.later: Later | None = None  # None: the running loop's call_later
        self.output_limit = max(1, settings.max_output_kb) * 1024
        self.trusted_proxies = TrustedProxies(settings.proxy_from)  # checked here, at start-up

    # The gate's counters and switches, as operations code and tests name them.
    @property
    def accepting(self) -> bool:
        return self.gate.accepting

    @accepting.setter
    def accepting(self, value: bool) -> None:
        self.gate.accepting = value

    @property
    def hasher(self) -> PasswordHasher:
        return self.gate.hasher

    @hasher.setter
    def hasher(self, value: PasswordHasher) -> None:
        self.gate.hasher = value

    @property
    def throttle(self) -> LoginThrottle:
        return self.gate.throttle

    @property
    def startups(self) -> int:
        return self.gate.startups

    @property
    def sessions(self) -> int:
        return self.gate.sessions

    @property
    def port(self) -> int:
        assert self.acceptor is not None
        return self.acceptor.get_port()

    async def prepare_login(self, name: str, address: str) -> str | None:
        """In-process accounts need no fetching (a gateway's front overrides this)."""
        return None

    async def prepare_key(self, fingerprint: str) -> bool:
        return True

    def host_fingerprint(self) -> str:
        """The host key's SHA256 fingerprint, as ``ssh -v`` and PuTTY show it."""
        return str(load_or_create_host_key(self.settings.host_key_path).get_fingerprint())

    def options(self) -> asyncssh.SSHServerConnectionOptions:
        key = load_or_create_host_key(self.settings.host_key_path)
        return asyncssh.SSHServerConnectionOptions(
            server_factory=lambda: GameSSHServer(self),
            server_host_keys=[key],
            line_editor=False,
            encoding=None,
            login_timeout=max(1, self.settings.login_timeout_s),
            keepalive_interval=60,
            agent_forwarding=False,  # nothing here would use a player's agent
            x11_forwarding=False,
            rdns_lookup=False,  # no DNS query per connection
            kex_algs=list(KEX_ALGS),
            encryption_algs=list(ENCRYPTION_ALGS),
            mac_algs=list(MAC_ALGS),
            signature_algs=list(SIGNATURE_ALGS),
        )

    def login_for(self, address: str) -> GameSSHServer:
        """The login for one connection from a client at ``address``: the acceptor's word,
        which behind a trusted proxy is the PROXY header's, not the socket's peer."""
        server = GameSSHServer(self)
        server.address = address
        return server

    def count_refusal(self, why: str) -> None:
        self.game.metrics.refused[why] += 1

    async def start(self) -> None:
        sock = bind(self.settings.ssh_host, self.settings.ssh_port)
        self.acceptor = Acceptor(
            sock,
            self.options(),
            self.gate.admit,
            self.gate.logged_in_or_gone,
            make_server=self.login_for,
            trusted=self.trusted_proxies,
            refused=self.count_refusal,
        )
        self.acceptor.start()

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> asyncio.TimerHandle:
        if self.later is not None:
            return self.later(delay_s, callback)
        return asyncio.get_running_loop().call_later(delay_s, callback)

    async def stop(self) -> None:
        if self.acceptor is not None:
            await self.acceptor.close()
            self.acceptor = None
        for task in list(self.tasks):
            task.cancel()
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)
        if self._own_gate:
            self.gate.close()
