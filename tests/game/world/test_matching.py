"""The one matcher (game/world/matching.py) and the counted-noun helper (game/core/text.py)."""

from __future__ import annotations

import pytest

from game.commands.base import summarize
from game.core.numbers import BadNumber
from game.core.text import counted
from game.world import matching
from game.world.loader import load_content
from tests.conftest import ROOT

CONTENT = load_content(ROOT / "content")
PACK = {"town:herring": 3, "town:grilled-herring": 1, "town:lantern": 1, "town:bread": 2}


def _pick(text: str, pool: dict[str, int] = PACK) -> str | list[str] | None:
    found = matching.resolve(matching.parse(text), matching.items(CONTENT, pool))
    if isinstance(found, list):
        return [n.thing.id for n in found]
    return None if found is None else found.thing.id


@pytest.mark.parametrize(
    ("phrase", "expected", "count"),
    [
        ("herring", "town:herring", 1),  # the ordinary one, not the quest reward
        ("2 herring", "town:herring", 2),
        ("2 herrings", "town:herring", 2),
        ("two silver herrings", "town:herring", 2),
        ("all herring", "town:herring", None),
        ("herrings", "town:herring", 1),
        ("silver herring", "town:herring", 1),
        ("a silver herring", "town:herring", 1),
        ("the silver herring", "town:herring", 1),
        ("SILVER Herring", "town:herring", 1),
        ("silver", "town:herring", 1),
        ("sil her", "town:herring", 1),  # prefixes of the name's words, in order
        ("fish", "town:herring", 1),  # a keyword
        ("grilled", "town:grilled-herring", 1),
        ("grilled herring", "town:grilled-herring", 1),
        ("a grilled herring", "town:grilled-herring", 1),
        ("1.herring", "town:herring", 1),
        ("2.herring", "town:grilled-herring", 1),
        ("3.herring", None, 1),
        ("a brass lantern", "town:lantern", 1),
        ("brass lantern", "town:lantern", 1),
        ("lant", "town:lantern", 1),
        ("bread", "town:bread", 1),
        ("loaf of bread", "town:bread", 1),
        ("2 loaves of bread", "town:bread", 2),
        ("some bread", "town:bread", 1),
        ("herring silver", "town:herring", 1),  # keywords in any order still fit
        ("lantern herring", None, 1),
        ("dragon", None, 1),
    ],
)
def test_phrase_names_the_expected_item(phrase: str, expected: str | None, count: int) -> None:
    assert _pick(phrase) == expected
    assert matching.parse(phrase).count == count


def test_two_equal_ordinary_fits_ask_which_one() -> None:
    pool = {"town:herring": 3, "town:grilled-herring": 1, "town:trout-stew": 1}
    special = matching.items(CONTENT, pool)
    said = matching.parse("herring")
    # Both special (grilled herring and stew are made, not found): equal fits are asked.
    both = [n for n in special if n.thing.id != "town:herring"]
    assert matching.resolve(matching.parse("her"), both) is not None
    plain = [matching.Named(n.thing, n.name, n.keywords, n.count) for n in special[:2]]
    found = matching.resolve(said, plain)
    assert isinstance(found, list)
    assert matching.which_one(said, found, plain) == (
        "Which one? the silver herring (3) or the grilled herring? Type 1.herring or 2.herring."
    )


def test_npc_names_by_every_word_case_and_prefix() -> None:
    pool = matching.npcs(CONTENT.npcs.values())
    for words in ("bram", "Bram", "cook", "bram the cook", "Bram the Cook", "the cook", "bra"):
        found = matching.resolve(matching.parse(words, counts=False), pool)
        assert isinstance(found, matching.Named), words
        assert found.thing.id == "town:bram", words
    found = matching.resolve(matching.parse("old sal", counts=False), pool)
    assert isinstance(found, matching.Named)
    assert found.thing.id == "town:sal"


@pytest.mark.parametrize("bad", ["² herring", "0 herring", "99999999999999999999 herring"])
def test_bad_counts_are_refused_with_a_sentence(bad: str) -> None:
    with pytest.raises(BadNumber):
        matching.parse(bad)


@pytest.mark.parametrize(
    ("n", "name", "plural", "expected"),
    [
        (1, "a glass float", "", "a glass float"),
        (2, "a silver herring", "", "two silver herrings"),
        (3, "a loaf of bread", "", "three loaves of bread"),
        (2, "a handful of samphire", "", "two handfuls of samphire"),
        (2, "a speckled trout", "speckled trout", "two speckled trout"),
        (2, "a pot of crab broth", "", "two pots of crab broth"),
        (4, "a wild berry", "", "four wild berries"),
        (2, "a box", "", "two boxes"),
        (13, "an acorn", "", "13 acorns"),
        (0, "a silver herring", "", "no silver herrings"),
    ],
)
def test_counted_writes_natural_english(n: int, name: str, plural: str, expected: str) -> None:
    assert counted(n, name, plural) == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Open the console.", "Open the console."),
        (
            "Open the admin console (full-screen UI; F9 also opens it). In line mode, list the"
            "\nadmin commands instead, and a good deal more words that make this too long.",
            "Open the admin console (full-screen UI; F9 also opens it).",
        ),
        ("word " * 30, ("word " * 19).strip() + "…"),
    ],
)
def test_help_summaries_are_whole_sentences_or_cut_at_a_word(paragraph: str, expected: str) -> None:
    assert summarize(paragraph) == expected
