"""The one parser for numbers players type: ASCII digits only, bounded, a clear sentence.

Python's ``str.isdigit`` is true for ``²`` (then ``int`` raises) and ``int`` reads
Arabic-Indic and other Unicode digits (``٣`` is 3), so a command that checks ``isdigit``
and calls ``int`` either crashes or accepts numbers nobody else can read back. Every
command that takes a number from a player goes through :func:`whole_number` instead.
"""

from __future__ import annotations

import re

_ASCII_NUMBER = re.compile(r"[0-9]+")  # re's \d would match every Unicode digit
_MAX_DIGITS = 18  # int() of thousands of digits is slow, then refused


class BadNumber(ValueError):
    """Not a number we accept; ``str(exc)`` is the sentence to show the player.

    ``out_of_range`` tells a readable number outside the bounds from something unreadable.
    """

    def __init__(self, message: str, *, out_of_range: bool = False) -> None:
        super().__init__(message)
        self.out_of_range = out_of_range


def numeric(word: str) -> bool:
    """Does ``word`` look like a number (any script's digits, superscripts, fractions)?

    Commands use it to tell a count (``2 bread``, ``² bread``) from an item's name, so a
    count in the wrong digits gets :func:`whole_number`'s message, not "no such item".
    """
    return bool(word) and all(ch.isnumeric() for ch in word)


def whole_number(
    word: str, *, low: int = 1, high: int = 1_000_000_000, what: str = "number"
) -> int:
    """``word`` as an int from ``low`` to ``high``, or :class:`BadNumber` saying why not.

    Only the ASCII digits 0-9 count: no signs, spaces, underscores, decimal points,
    exponents, superscripts or other scripts' digits.
    """
    if _ASCII_NUMBER.fullmatch(word) is None:
        if word and all(ch.isnumeric() for ch in word):
            raise BadNumber(f"{word!r} is not a number here: type the {what} with the digits 0-9.")
        raise BadNumber(f"{word!r} is not a number: type the {what} as a whole number, like {low}.")
    value = int(word) if len(word) <= _MAX_DIGITS else None
    if value is None or not low <= value <= high:
        raise BadNumber(f"The {what} must be from {low} to {high}.", out_of_range=True)
    return value
