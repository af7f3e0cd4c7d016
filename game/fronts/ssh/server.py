"""The SSH listener: host key, algorithms, options, and the sessions it has running.

Connection accounting, from the first TCP byte on:

* before key exchange (game/fronts/ssh/accept.py): the per-address connection rate and the cap on
  connections still logging in (``max_startups``) refuse a socket with one text line;
* during login (auth.py): bans, shutdown, a full server and the password lockout refuse with
  an SSH banner; ``login_timeout_s`` bounds the whole login;
* once logged in: the connection holds one of ``max_sessions`` slots until it closes, and may
  open at most ``max_channels`` channels at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

import asyncssh

from game.fronts.ssh.accept import Acceptor, bind
from game.fronts.ssh.auth import GameSSHServer, make_hasher
from game.fronts.ssh.keys import load_or_create_host_key
from game.services.limits import Buckets, LoginThrottle, address_group

if TYPE_CHECKING:
    from game.core.config import Settings
    from game.engine.game import Game
    from game.fronts.tui.runner import TuiFactory

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

HASH_THREADS = 4
"""Password hashes (argon2: ~64 MiB and tens of ms each) run on this many threads, their own:
a flood of guesses from many addresses queues here, never in the loop's default executor that
new connections use, and never takes more than this many cores or this much memory."""

T = TypeVar("T")

Later = Callable[[float, Callable[[], None]], asyncio.TimerHandle]
"""Schedule a callback after a delay in seconds (``loop.call_later``; tests fire it by hand)."""


class SshFront:
    """Owns the acceptor. ``port`` is the bound port (useful with port 0)."""

    def __init__(self, game: Game, settings: Settings) -> None:
        self.game = game
        self.settings = settings
        self.hasher = make_hasher()
        self.hash_pool = ThreadPoolExecutor(HASH_THREADS, thread_name_prefix="sshrealm-argon2")
        self.acceptor: Acceptor | None = None
        self.tasks: set[asyncio.Task[None]] = set()
        self.tui_factory: TuiFactory | None = None  # made by the first TUI session (channel.py)
        # Protection (game/services/limits.py): the clock is the game's, so tests drive it by hand.
        self.accepting = True  # False once shutdown begins: new logins are refused
        self.startups = 0  # connections admitted and still logging in
        self.startups_by: dict[str, int] = {}  # the same, per address group (limits.py)
        self.sessions = 0  # connections logged in (each holds one of max_sessions)
        per_min = settings.conn_per_minute
        self.conn_buckets = Buckets(per_min, per_min / 60, game.clock) if per_min > 0 else None
        self.throttle = LoginThrottle(settings.login_failures, settings.login_lockout_s, game.clock)
        self.later: Later | None = None  # None: the running loop's call_later
        self.output_limit = max(1, settings.max_output_kb) * 1024

    @property
    def port(self) -> int:
        assert self.acceptor is not None
        return self.acceptor.get_port()

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

    async def start(self) -> None:
        sock = bind(self.settings.ssh_host, self.settings.ssh_port)
        self.acceptor = Acceptor(sock, self.options(), self.admit, self._logged_in_or_gone)
        self.acceptor.start()

    async def hashing(self, work: Callable[..., T], *args: object) -> T:
        """Run a password hash or check on the hashing threads."""
        return await asyncio.get_running_loop().run_in_executor(self.hash_pool, work, *args)

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> asyncio.TimerHandle:
        if self.later is not None:
            return self.later(delay_s, callback)
        return asyncio.get_running_loop().call_later(delay_s, callback)

    # -- before key exchange ---------------------------------------------------------------------
    def admit(self, address: str) -> str | None:
        """A new TCP connection from ``address``: why it is refused before key exchange, or
        None (it then holds a login slot until it has logged in or gone)."""
        why, text = None, None
        group = address_group(address)
        if self.conn_buckets is not None and not self.conn_buckets.allow(group):
            why = "rate"
            text = "Too many connections from your address. Wait a minute and try again."
        elif self.startups_by.get(group, 0) >= self.settings.max_startups_per_address:
            why = "startups"
            text = "Too many logins from your address are in progress. Finish one first."
        elif self.startups >= self.settings.max_startups:
            why = "startups"
            text = "Too many people are logging in right now. Try again in a few seconds."
        if why is not None:
            self.game.metrics.refused[why] += 1
            return text
        self.startups += 1
        self.startups_by[group] = self.startups_by.get(group, 0) + 1
        return None

    def _logged_in_or_gone(self, address: str) -> None:
        self.startups = max(0, self.startups - 1)
        group = address_group(address)
        left = self.startups_by.get(group, 0) - 1
        if left > 0:
            self.startups_by[group] = left
        else:
            self.startups_by.pop(group, None)

    # -- logged in -------------------------------------------------------------------------------
    def full(self) -> bool:
        return self.sessions >= self.settings.max_sessions

    def claim_slot(self) -> bool:
        """One logged-in connection more; False (and nothing claimed) when full."""
        if self.full():
            self.game.metrics.refused["full"] += 1
            return False
        self.sessions += 1
        return True

    def release_slot(self) -> None:
        self.sessions = max(0, self.sessions - 1)

    # -- during login ----------------------------------------------------------------------------
    def refuse_login(self, name: str, address: str) -> str | None:
        """Why ``name`` from ``address`` may not log in by any method (shutdown, ban, a full
        server), or None. The password lockout is not here: it stops passwords, not keys."""
        why, text = None, None
        bans = self.game.moderation
        ban = bans.banned("account", name) or bans.banned("address", address)
        if not self.accepting:
            why, text = "shutdown", "The server is shutting down. Try again in a minute."
        elif ban is not None:
            why, text = "banned", f"You are banned from sshrealm. Reason: {ban.reason}"
        elif self.full():
            why, text = "full", "The server is full right now. Try again in a few minutes."
        if why is not None:
            self.game.metrics.refused[why] += 1
        return text

    def password_lockout(self, address: str) -> str | None:
        """Why ``address`` may not try a password (or link code) now, or None."""
        if not self.throttle.locked(address):
            return None
        self.game.metrics.refused["throttled"] += 1
        wait = self.throttle.seconds_left(address)
        return f"Too many failed logins from your address. Try again in {wait} seconds."

    async def stop(self) -> None:
        if self.acceptor is not None:
            await self.acceptor.close()
            self.acceptor = None
        for task in list(self.tasks):
            task.cancel()
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)
        self.hash_pool.shutdown(wait=False, cancel_futures=True)
