"""Cleaning what players type before anyone else sees it.

Everything a player sends passes through :func:`clean` before the engine parses it, so no
other player's terminal (or screen reader) ever receives an escape sequence or a control
character from another player. Rich markup needs no escaping here: front ends never parse
markup in game text (the TUI renders :class:`rich.text.Text` objects), so ``[bold]`` stays
``[bold]``.
"""

from __future__ import annotations

import re

# CSI / OSC / DCS / other ESC sequences (7-bit and 8-bit introducers), then any lone C0/C1
# control character except none: tabs become spaces before this runs.
_ESCAPES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]                 # CSI ... final byte
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)  # OSC/DCS/SOS/PM/APC
  | \x1b[ -/]*[0-~]                                  # two-char ESC sequences
    """,
    re.VERBOSE | re.DOTALL,
)
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Return ``text`` with escape sequences and control characters removed.

    Tabs become single spaces; bidirectional overrides are dropped too, since they can make
    one player's words display as something else on another player's screen.
    """
    text = text.replace("\t", " ")
    text = _ESCAPES.sub("", text)
    return _CONTROLS.sub("", text)


def plural(n: int, word: str, many: str | None = None) -> str:
    """``plural(1, "token") == "1 token"``, ``plural(3, "token") == "3 tokens"``."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def join_words(words: list[str]) -> str:
    """English list: ``a``, ``a and b``, ``a, b and c``."""
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]
