"""Reason codes: why tokens moved.

The hundreds digit is the family, so reports can group flows with integer division
(``code // 100``) straight in SQL, the way TigerBeetle's ``code`` field is used:

* 1xx faucets: tokens enter circulation (debit ``system:mint``).
* 2xx sinks: tokens leave circulation (credit ``system:sink``).
* 3xx player-to-player: circulation is unchanged.
* 4xx escrow: tokens held in ``system:escrow`` while an action may still fail.
* 9xx corrections: reversing transfers (the log is append-only; nothing is edited).

Codes are stored as integers and are part of the on-disk format: never renumber one,
only add new ones.
"""

from __future__ import annotations

from enum import IntEnum


class Reason(IntEnum):
    """Why a transfer happened. See the module docstring for the families."""

    DAILY_BONUS = 101
    """Once-a-day login bonus."""
    EXPLORATION = 102
    """First visit to a room or area."""
    QUEST_REWARD = 103
    """A quest step or quest completed."""
    SHOP_SALE = 104
    """The player sold an item to a shop (the shop pays from the mint)."""
    SKILL_REWARD = 105
    """A skill milestone reached."""
    GROWTH_GRANT = 106
    """A bounded grant from the reflection cycle (Cal)."""
    PLUGIN_GRANT = 107
    """A grant requested by a plugin holding the grant capability."""
    COMBAT_REWARD = 108
    """Tokens for defeating an NPC: once per player per NPC per UTC day."""
    TRIGGER_REWARD = 110
    """An NPC trigger's ``reward`` action (once per player, or at most once per cooldown)."""
    ADMIN_GRANT = 190
    """Manual grant by an admin (always with a memo)."""

    COMMAND_PRICE = 201
    """The price of a priced command."""
    SHOP_PURCHASE = 202
    """The player bought an item from a shop."""
    PREMIUM_PURCHASE = 203
    """Tokens spent on premium time."""
    PLUGIN_CHARGE = 207
    """A charge requested by a plugin holding the charge capability."""
    DEATH_FEE = 208
    """Tokens burned when a player dies in a fight (never more than they hold)."""
    TRIGGER_CHARGE = 209
    """An NPC trigger's ``charge`` action (a toll, a fee the content declares)."""
    ADMIN_REVOKE = 290
    """Manual removal by an admin (always with a memo)."""

    PAYMENT = 301
    """A player paid another player."""

    HOLD = 401
    """Tokens reserved in escrow before an action that may fail."""
    HOLD_RELEASE = 402
    """Escrowed tokens returned to the player (the action failed or was cancelled)."""
    HOLD_CAPTURE = 403
    """Escrowed tokens burned into the sink (the action succeeded)."""
    MAIL_HOLD = 404
    """Tokens attached to a mail, held in escrow until the mail is taken or returned."""
    MAIL_TAKEN = 405
    """A mail's held tokens paid out to its recipient (escrow -> recipient)."""
    MAIL_RETURNED = 406
    """A mail's held tokens given back to its sender (returned, deleted or expired)."""

    REVERSAL = 901
    """A correcting transfer that mirrors an earlier one (see ``Ledger.reverse``)."""

    @property
    def label(self) -> str:
        """Short human label for reports, exports and the in-game history."""
        return _LABELS[self]


_LABELS: dict[Reason, str] = {
    Reason.DAILY_BONUS: "daily bonus",
    Reason.EXPLORATION: "exploration",
    Reason.QUEST_REWARD: "quest reward",
    Reason.SHOP_SALE: "sold to shop",
    Reason.SKILL_REWARD: "skill reward",
    Reason.GROWTH_GRANT: "growth grant",
    Reason.PLUGIN_GRANT: "plugin grant",
    Reason.COMBAT_REWARD: "combat reward",
    Reason.TRIGGER_REWARD: "trigger reward",
    Reason.ADMIN_GRANT: "admin grant",
    Reason.COMMAND_PRICE: "command price",
    Reason.SHOP_PURCHASE: "shop purchase",
    Reason.PREMIUM_PURCHASE: "premium purchase",
    Reason.PLUGIN_CHARGE: "plugin charge",
    Reason.DEATH_FEE: "death fee",
    Reason.TRIGGER_CHARGE: "trigger charge",
    Reason.ADMIN_REVOKE: "admin revoke",
    Reason.PAYMENT: "payment",
    Reason.HOLD: "hold",
    Reason.HOLD_RELEASE: "hold released",
    Reason.HOLD_CAPTURE: "hold captured",
    Reason.MAIL_HOLD: "mail tokens held",
    Reason.MAIL_TAKEN: "mail tokens taken",
    Reason.MAIL_RETURNED: "mail tokens returned",
    Reason.REVERSAL: "reversal",
}


def family(code: int) -> int:
    """The family of a code: 1 faucet, 2 sink, 3 player-to-player, 4 escrow, 9 correction."""
    return int(code) // 100


def is_faucet(code: int) -> bool:
    """True for 1xx codes: tokens created by the mint."""
    return family(code) == 1


def is_sink(code: int) -> bool:
    """True for 2xx codes: tokens destroyed into the sink."""
    return family(code) == 2


def is_p2p(code: int) -> bool:
    """True for 3xx codes: tokens moved between players."""
    return family(code) == 3


def is_escrow(code: int) -> bool:
    """True for 4xx codes: holds and their resolution."""
    return family(code) == 4


def label(code: int) -> str:
    """Label for any stored code, including one this build does not know (future codes)."""
    try:
        return Reason(code).label
    except ValueError:
        return f"code {int(code)}"
