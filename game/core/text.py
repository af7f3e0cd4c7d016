"""Cleaning what players type before anyone else sees it.

Everything a player sends passes through :func:`clean` before the engine parses it, so no
other player's terminal (or screen reader) ever receives an escape sequence or a control
character from another player. Rich markup needs no escaping here: front ends never parse
markup in game text (the TUI renders :class:`rich.text.Text` objects), so ``[bold]`` stays
``[bold]``.
"""

from __future__ import annotations

import re
import time

# CSI / OSC / DCS / other ESC sequences (7-bit and 8-bit introducers), then any lone C0/C1
# control character: tabs become spaces before this runs.
_ESCAPES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]                 # CSI ... final byte
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)  # OSC/DCS/SOS/PM/APC
  | \x1b[ -/]*[0-~]                                  # two-char ESC sequences
    """,
    re.VERBOSE | re.DOTALL,
)
# C0/C1 controls, line/paragraph separators, and lone surrogates (no terminal or encoder
# can show half a character: one made a bridge post fail for every reader after it).
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")

# Invisible format characters (Unicode category Cf, as of Unicode 15): zero-width spaces
# and joiners, directional marks, embeddings, overrides and isolates, word joiner and
# invisible operators, byte-order mark, soft hyphen, Arabic letter mark, interlinear
# annotation, tag characters (which can smuggle hidden ASCII). Plus the Hangul fillers
# and the combining grapheme joiner, which also show as nothing and are used to fake
# blank or look-alike text. A test checks this covers every Cf of the running Python.
_FORMAT = (
    "\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
# Pictographs a zero-width joiner may stand between in an emoji sequence (family, flags
# of professions, "heart on fire"): the joiner is kept there and nowhere else.
_EMOJI = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u21aa\u231a-\u23ff\u24c2\u25aa-\u25fe"
    "\u2600-\u27bf\u2934\u2935\u2b05-\u2b55\u3030\u303d\u3297\u3299\U0001f000-\U0001faff"
)
_INVISIBLE = re.compile(f"(?!(?<=[{_EMOJI}\ufe0f])\u200d(?=[{_EMOJI}]))[{_FORMAT}]")


def clean(text: str) -> str:
    """Return ``text`` with escape sequences, control and invisible format characters removed.

    Tabs become single spaces. Bidirectional marks, embeddings, overrides and isolates are
    dropped, since they can make one player's words display as something else on another
    player's screen; so are zero-width and other invisible characters (U+200B, U+2060,
    U+FEFF, U+00AD, tags...), which can hide text or make two different words look the
    same. A zero-width joiner between two emoji (as in a family emoji) is kept.
    """
    text = text.replace("\t", " ")
    text = _ESCAPES.sub("", text)
    text = _CONTROLS.sub("", text)
    return _INVISIBLE.sub("", text)


def utc(ms: int) -> str:
    """A timestamp as screen readers read it well: ``2026-11-25 06:40 UTC``."""
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(ms / 1000))


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


ARTICLES = ("a", "an", "the", "some")
NUMBER_WORDS = (
    "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve",
)  # fmt: skip
_IRREGULAR = {
    "child": "children", "foot": "feet", "goose": "geese", "man": "men", "mouse": "mice",
    "tooth": "teeth", "woman": "women", "person": "people", "loaf": "loaves", "leaf": "leaves",
    "knife": "knives", "wife": "wives", "life": "lives", "half": "halves", "shelf": "shelves",
    "wolf": "wolves", "thief": "thieves", "calf": "calves", "elf": "elves", "sheaf": "sheaves",
    "fish": "fish", "trout": "trout", "salmon": "salmon", "sheep": "sheep", "deer": "deer",
    "cod": "cod", "moose": "moose", "series": "series", "species": "species",
}  # fmt: skip


def plural_word(word: str) -> str:
    """English plural of one noun: ``herring`` -> ``herrings``, ``loaf`` -> ``loaves``."""
    lower = word.lower()
    if lower in _IRREGULAR:
        many = _IRREGULAR[lower]
        return word[0] + many[1:] if word[:1].isupper() else many
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def bare(name: str) -> str:
    """A name without its leading article: ``a silver herring`` -> ``silver herring``."""
    first, _, rest = name.partition(" ")
    return rest if first.lower() in ARTICLES and rest else name


def plural_name(name: str, plural: str = "") -> str:
    """The plural of a display name, without article: ``a loaf of bread`` -> ``loaves of
    bread``, ``a silver herring`` -> ``silver herrings``. ``plural`` (from content) wins."""
    if plural:
        return plural
    words = bare(name).split(" ")
    head = words.index("of") - 1 if "of" in words[1:] else len(words) - 1
    words[head] = plural_word(words[head])
    return " ".join(words)


def counted(n: int, name: str, plural: str = "") -> str:
    """Natural English for ``n`` of a thing: ``a glass float``, ``two silver herrings``,
    ``15 silver herrings``, ``no silver herrings``. ``name`` is the display name with its
    article (``a silver herring``); ``plural`` an author's irregular plural, if any."""
    if n == 1:
        return name
    number = NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)
    return f"{number} {plural_name(name, plural)}"


def the(name: str) -> str:
    """``a silver herring`` -> ``the silver herring``; proper names stay as they are."""
    first, _, rest = name.partition(" ")
    return f"the {rest}" if first.lower() in ("a", "an", "some") and rest else name
