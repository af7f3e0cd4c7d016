"""Tiers set by hand or bought: premium for some days, or back to free. Moves no tokens
itself (``premium buy`` charges through the wallet in the same transaction)."""

from __future__ import annotations

from collections.abc import Callable

from economy import Tiers
from economy.clock import DAY_MS
from game.core.outbox import Outbox
from game.core.text import utc
from game.world.store import Store


class Premium:
    def __init__(
        self, tiers: Tiers, store: Store, outbox: Outbox, clock: Callable[[], int]
    ) -> None:
        self.tiers = tiers
        self.store = store
        self.outbox = outbox
        self.clock = clock

    def until(self, name: str) -> int:
        """When ``name``'s premium ends (ms since the epoch; 0: not premium)."""
        return self.tiers.premium_until(name.lower()) or 0

    def extend(self, name: str, days: int) -> int:
        """Premium for ``days`` more, counted from the later of now and the current end."""
        key = name.lower()
        start = max(self.clock(), self.tiers.premium_until(key) or 0)
        until = start + days * DAY_MS
        self.tiers.set_premium(key, until)
        self.outbox.status_changed(name)
        return until

    def set_tier(self, name: str, tier: str, days: int | None = None) -> str:
        """Set a player's tier by hand (the admin console): ``premium`` for ``days`` from
        now, or ``free``. Raises ValueError with a sentence for bad input."""
        account = self.store.account(name)
        if account is None:
            raise ValueError(f"There is no player called {name!r}.")
        if tier == "free":
            self.tiers.clear_premium(account.name.lower())
            message = f"{account.name} is now on the free tier."
        elif tier == "premium":
            if days is None or days < 1:
                raise ValueError("Premium needs a number of days, 1 or more.")
            until = self.clock() + days * DAY_MS
            self.tiers.set_premium(account.name.lower(), until)
            message = f"{account.name} is premium until {utc(until)}."
        else:
            raise ValueError(f"Unknown tier {tier!r}: use free or premium.")
        self.outbox.status_changed(account.name)
        return message
