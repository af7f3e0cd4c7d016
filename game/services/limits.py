"""Rate limits with an injected clock: token buckets per address and per session, a login
throttle after failed authentication, and cooldowns between a player's repeated actions.

All state is in memory (a restart forgives everyone, which is fine for abuse limits) and
keyed maps forget idle keys, so a scan from many addresses cannot grow them without bound.
Nothing here sleeps: a refused caller is told how long to wait, and tests move a FakeClock.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass

from game.core.reply import Reply
from game.services.attempt import Attempt

Clock = Callable[[], int]
MAX_KEYS = 10_000


def address_group(address: str) -> str:
    """The unit per-address limits count: an IPv4 address, or an IPv6 /64 (one customer's
    network hands out any number of addresses in its /64)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


@dataclass
class Bucket:
    """``capacity`` tokens, refilled at ``per_s`` tokens a second; each action takes one."""

    capacity: float
    per_s: float
    tokens: float
    at_ms: int

    def take(self, now_ms: int) -> bool:
        self.refill(now_ms)
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def refill(self, now_ms: int) -> None:
        elapsed = max(0, now_ms - self.at_ms) / 1000
        self.tokens = min(self.capacity, self.tokens + elapsed * self.per_s)
        self.at_ms = now_ms

    def wait_s(self) -> float:
        """Seconds until one token is back."""
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.per_s


class Buckets:
    """One bucket per key (an address, a session id)."""

    def __init__(self, capacity: int, per_s: float, clock: Clock) -> None:
        self.capacity = float(max(1, capacity))
        self.per_s = max(per_s, 1e-9)
        self.clock = clock
        self.buckets: dict[str, Bucket] = {}

    def allow(self, key: str) -> bool:
        now = self.clock()
        bucket = self.buckets.get(key)
        if bucket is None:
            if len(self.buckets) >= MAX_KEYS:
                self._forget_full(now)
            bucket = self.buckets[key] = Bucket(self.capacity, self.per_s, self.capacity, now)
        return bucket.take(now)

    def wait_s(self, key: str) -> float:
        bucket = self.buckets.get(key)
        return 0.0 if bucket is None else bucket.wait_s()

    def _forget_full(self, now: int) -> None:
        for key, bucket in list(self.buckets.items()):
            bucket.refill(now)
            if bucket.tokens >= bucket.capacity:
                del self.buckets[key]


class LoginThrottle:
    """After ``max_failures`` failed logins from an address, refuse it for ``lockout_s``.

    Guesses run in parallel (one per connection, each an argon2 check in a thread), so a
    guess is counted when it starts, not when it fails: :meth:`reserve` before checking,
    :meth:`settle` after. At most ``max_failures`` guesses from one address are ever checked
    before the lockout, however many arrive at once. Failures are kept per account guessed
    at: a success clears only that account's failures, so logging in to one's own account
    between guesses at another's never resets the address's count. The lockout ends by
    itself (the clock decides).
    """

    def __init__(self, max_failures: int, lockout_s: int, clock: Clock) -> None:
        self.max_failures = max_failures
        self.lockout_ms = lockout_s * 1000
        self.clock = clock
        self.failures: dict[str, dict[str, int]] = {}  # address -> account -> failures
        self.window_start: dict[str, int] = {}  # address -> its first failure still counted
        self.in_flight: dict[str, int] = {}
        self.locked_until: dict[str, int] = {}

    def locked(self, address: str) -> bool:
        address = address_group(address)
        until = self.locked_until.get(address)
        if until is None:
            return False
        if self.clock() >= until:
            del self.locked_until[address]
            self.failures.pop(address, None)
            self.window_start.pop(address, None)
            return False
        return True

    def reserve(self, address: str) -> bool:
        """Claim one guess for ``address``; False when its guesses are used up (or in use)."""
        address = address_group(address)
        if self.locked(address):
            return False
        busy = self.in_flight.get(address, 0)
        if self.max_failures > 0 and self.failed_count(address) + busy >= self.max_failures:
            return False
        if len(self.in_flight) >= MAX_KEYS:
            self.in_flight = {key: n for key, n in self.in_flight.items() if n > 0}
        self.in_flight[address] = busy + 1
        return True

    def failed_count(self, address: str) -> int:
        """Failures from ``address`` in the current window (``lockout_s`` from the first)."""
        address = address_group(address)
        started = self.window_start.get(address)
        if started is not None and self.clock() - started >= self.lockout_ms:
            self.failures.pop(address, None)
            del self.window_start[address]
        return sum(self.failures.get(address, {}).values())

    def settle(self, address: str, ok: bool, account: str = "") -> None:
        """The guess :meth:`reserve` claimed at ``account`` is decided."""
        address = address_group(address)
        left = self.in_flight.get(address, 0) - 1
        if left > 0:
            self.in_flight[address] = left
        else:
            self.in_flight.pop(address, None)
        if ok:
            self.succeeded(address, account)
        else:
            self.failed(address, account)

    def failed(self, address: str, account: str = "") -> None:
        address = address_group(address)
        if len(self.failures) >= MAX_KEYS:
            self.failures.clear()
            self.window_start.clear()
        self.failed_count(address)  # start a new window if the last one is over
        self.window_start.setdefault(address, self.clock())
        tried = self.failures.setdefault(address, {})
        tried[account.lower()] = tried.get(account.lower(), 0) + 1
        if self.max_failures > 0 and self.failed_count(address) >= self.max_failures:
            self.locked_until[address] = self.clock() + self.lockout_ms

    def succeeded(self, address: str, account: str = "") -> None:
        """``account``'s own mistyped passwords are forgiven; guesses at others are not."""
        address = address_group(address)
        tried = self.failures.get(address)
        if tried is not None:
            tried.pop(account.lower(), None)
            if not tried:
                del self.failures[address]
                self.window_start.pop(address, None)

    def seconds_left(self, address: str) -> int:
        address = address_group(address)
        until = self.locked_until.get(address, 0)
        return max(0, -(-(until - self.clock()) // 1000))


class CommandLimit:
    """Engine gate: each account may run ``per_s`` commands a second, bursts of ``burst``.

    The bucket is the account's, not the connection's: every front end (TUI, line, exec, the
    bridge) reaches the world through the engine, so ten exec channels share one budget.
    """

    def __init__(self, per_s: int, burst: int, clock: Clock) -> None:
        self.enabled = per_s > 0
        self.buckets = Buckets(burst, per_s, clock)

    def gate(self, attempt: Attempt) -> Reply | None:
        if not self.enabled or attempt.command == "quit":
            return None
        key = attempt.player.key
        if self.buckets.allow(key):
            return None
        wait = max(1, round(self.buckets.wait_s(key) + 0.49))
        return Reply.error(
            f"Slow down: you are typing commands faster than the server allows. "
            f"Try again in {wait} second{'s' if wait != 1 else ''}. Nothing was done."
        )


class Cooldowns:
    """A rest after an action, per (player, action): a second try must wait it out.

    Gathering gives items that shops buy, so without a rest a script typing ``fish`` five
    times a second would be a token faucet with no bottom.
    """

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.ready_at: dict[tuple[str, str], int] = {}

    def wait_s(self, who: str, action: str) -> int:
        """Whole seconds until ``who`` may do ``action`` again (0: now)."""
        until = self.ready_at.get((who, action), 0)
        return max(0, -(-(until - self.clock()) // 1000))

    def start(self, who: str, action: str, seconds: int) -> None:
        now = self.clock()
        if len(self.ready_at) >= MAX_KEYS:
            self.ready_at = {key: t for key, t in self.ready_at.items() if t > now}
        if seconds > 0:
            self.ready_at[who, action] = now + seconds * 1000
