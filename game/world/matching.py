"""The one matcher for what players call things: items, wares, NPCs and players.

Every command that names a thing parses the player's words with :func:`parse` and looks
them up with :func:`resolve`, so ``drop a brass lantern``, ``sell 2 silver herrings``,
``give herring to the cook`` and ``look 2.herring`` all work the same way:

- articles (a, an, the, some) are ignored;
- any words of the displayed name, in order, name it (``silver herring``, ``bram cook``),
  as do its keywords in any order; each word may be a prefix (``lant``) or a plural
  (``herrings``), case does not matter;
- a count comes first (``2 herring``, ``two herrings``, ``all herring``), or last where the
  command allows it (``buy trout 2``);
- ``2.herring`` means the second of the things shown that match ``herring``.

Whole words beat prefixes; when the words fit an ordinary item and a special one (a quest
reward, something crafted) equally, the ordinary one wins; otherwise two equal fits get
"Which one? the silver herring (3) or the grilled herring?".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from game.core.numbers import BadNumber, numeric, whole_number
from game.core.text import ARTICLES, NUMBER_WORDS, bare, plural_name, plural_word, the
from game.world.model import Content, ItemDef, NpcDef

if TYPE_CHECKING:
    from game.world.state import Player

T = TypeVar("T")

_WORD = re.compile(r"[^\w'-]+")
_COUNT_WORDS = {w: n for n, w in enumerate(NUMBER_WORDS) if n > 0}


@dataclass(frozen=True, slots=True)
class Named(Generic[T]):
    """Something a player may name: the thing, its displayed name, how many there are."""

    thing: T
    name: str
    keywords: tuple[str, ...] = ()
    count: int = 1
    plural: str = ""
    ordinary: bool = True  # False for quest rewards and crafted things
    key: str = ""  # the content id's last part (grilled-herring), also a name

    def label(self) -> str:
        """How a "which one?" question names it: ``the silver herring (3)``."""
        return the(self.name) + (f" ({self.count})" if self.count > 1 else "")


@dataclass(frozen=True, slots=True)
class Phrase:
    """What the player typed, taken apart: ``2 silver herrings`` -> count 2, the words."""

    words: tuple[str, ...]
    count: int | None = 1  # None: "all"
    counted: bool = False  # the player gave a count (a number or "all")
    ordinal: int | None = None  # "2.herring"
    said: str = field(default="", compare=False)  # the words as typed, for messages

    @property
    def text(self) -> str:
        return self.said or " ".join(self.words)


def _split(text: str) -> list[str]:
    return [w for w in _WORD.split(text.lower()) if w]


def parse(
    text: str, *, high: int = 1_000_000, trailing_count: bool = False, counts: bool = True
) -> Phrase:
    """Take ``[count|all] [article] [n.]words [count]`` apart (``counts=False``: someone's
    name, no count).

    Raises :class:`BadNumber` (its text is the sentence for the player) for a count in
    other digits or out of range (1 to ``high``).
    """
    raw = text.strip().split()
    count: int | None = 1
    counted = False
    if not counts:
        pass
    elif len(raw) > 1 and raw[0].lower() == "all":
        count, counted, raw = None, True, raw[1:]
    elif len(raw) > 1 and numeric(raw[0]):
        count, counted, raw = whole_number(raw[0], high=high, what="count"), True, raw[1:]
    elif len(raw) > 1 and raw[0].lower() in _COUNT_WORDS:
        count, counted = _COUNT_WORDS[raw[0].lower()], True
        raw = raw[1:]
        if count > high:
            raise BadNumber(f"The count must be from 1 to {high}.", out_of_range=True)
    elif trailing_count and len(raw) > 1 and numeric(raw[-1]):
        count, counted, raw = whole_number(raw[-1], high=high, what="count"), True, raw[:-1]
    if counted and len(raw) > 1 and raw[0].lower() == "of":
        raw = raw[1:]
    while len(raw) > 1 and raw[0].lower() in ARTICLES:
        raw = raw[1:]
    ordinal = None
    if raw:
        head, dot, rest = raw[0].partition(".")
        if dot and rest and numeric(head):
            ordinal = whole_number(head, high=high, what="number before the dot")
            raw = [rest, *raw[1:]]
    said = " ".join(raw)
    return Phrase(tuple(_split(said)), count, counted, ordinal, said)


def _grade(typed: str, word: str, many: str) -> int:
    """2: the word or its plural; 1: a prefix of it; 0: no fit."""
    if typed in (word, many, plural_word(word)):
        return 2
    return 1 if word.startswith(typed) or many.startswith(typed) else 0


def score(words: Sequence[str], named: Named[Any]) -> int:
    """How well ``words`` name ``named``: 3 the whole name, 2 whole words, 1 with a prefix,
    0 not at all."""
    if not words:
        return 0
    one = _split(bare(named.name))
    many = _split(plural_name(named.name, named.plural))
    many = many if len(many) == len(one) else one
    phrase = list(words)
    if phrase in (one, many, _split(named.name)) or "-".join(phrase) == named.key:
        return 3
    best = 0
    # the words of the name, in order (an ordered subsequence)
    grades, at = [], 0
    for w in phrase:
        while at < len(one) and not _grade(w, one[at], many[at]):
            at += 1
        if at == len(one):
            break
        grades.append(_grade(w, one[at], many[at]))
        at += 1
    if len(grades) == len(phrase):
        best = min(grades)
    # or the keywords and the name's words, in any order
    keywords = [k for kw in named.keywords for k in _split(kw)] + one
    if keywords:
        kw_grades = [max(_grade(w, k, plural_word(k)) for k in keywords) for w in phrase]
        if all(kw_grades):
            best = max(best, min(kw_grades))
    return best


def resolve(phrase: Phrase, pool: Sequence[Named[T]]) -> Named[T] | list[Named[T]] | None:
    """The one thing ``phrase`` names in ``pool``; a list of two or more if it is
    ambiguous; None if nothing fits (or the ordinal is past the end)."""
    scored = [(score(phrase.words, n), n) for n in pool]
    fits = [(s, n) for s, n in scored if s > 0]
    if phrase.ordinal is not None:
        ordered = [n for _, n in fits]
        return ordered[phrase.ordinal - 1] if phrase.ordinal <= len(ordered) else None
    if not fits:
        return None
    top = max(s for s, _ in fits)
    best = [n for s, n in fits if s == top]
    ordinary = [n for n in best if n.ordinary]
    best = ordinary or best
    return best[0] if len(best) == 1 else best


def which_one(phrase: Phrase, choices: Sequence[Named[T]], pool: Sequence[Named[T]]) -> str:
    """``Which one? the silver herring (3) or the grilled herring? Type 1.herring or
    2.herring.`` The numbers are the ordinals that pick each one."""
    fits = [n for n in pool if score(phrase.words, n) > 0]
    labels = [c.label() for c in choices]
    spelled = ", ".join(labels[:-1]) + " or " + labels[-1]
    word = " ".join(phrase.words)
    picks = [f"{fits.index(c) + 1}.{word}" for c in choices if c in fits]
    hint = f" Type {', '.join(picks[:-1])} or {picks[-1]}." if len(picks) > 1 else ""
    return f"Which one? {spelled}?{hint}"


# -- pools ---------------------------------------------------------------------------------------
def special_items(content: Content) -> frozenset[str]:
    """Items that are not ordinary: what recipes make, and quest rewards found nowhere else
    (no shop sells them, no spot yields them, no room holds them)."""
    common = {i for shop in content.shops.values() for i in shop.sells}
    for room in content.rooms.values():
        common.update(spot.item for spot in room.gather)
        common.update(p.ref for p in room.items)
    rewards = {i for q in content.quests.values() for i in q.reward.items} - common
    return frozenset(rewards | set(content.economy.recipes))


def items(content: Content, counts: Mapping[str, int] | Iterable[str]) -> list[Named[ItemDef]]:
    """A pool of items (a pack, a floor, a shop's stock), in the order they are shown."""
    special = special_items(content)
    pairs = counts.items() if isinstance(counts, Mapping) else ((i, 1) for i in counts)
    out = []
    for item_id, n in pairs:
        item = content.items.get(item_id)
        if item is not None and n > 0:
            key = item.id.split(":", 1)[-1]
            out.append(
                Named(item, item.name, item.keywords, n, item.plural, item.id not in special, key)
            )
    return out


def npcs(found: Iterable[NpcDef]) -> list[Named[NpcDef]]:
    return [Named(n, n.name, n.keywords, key=n.id.split(":", 1)[-1]) for n in found]


def people(players: Iterable[Player]) -> list[Named[Player]]:
    """Players by their names."""
    return [Named(p, p.name, key=p.key) for p in players]
