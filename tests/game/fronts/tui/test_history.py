"""History and completion are plain state machines: tested without an app."""

from __future__ import annotations

from game.fronts.tui.history import Completer, Completion, History

WORDS = ("look", "locate", "north", "say", "Bob")


def test_history_browses_back_and_returns_to_the_draft() -> None:
    history = History()
    for line in ("look", "say hi", "say hi", "  ", "north"):
        history.add(line)
    assert history.previous("dra") == "north"
    assert history.previous("north") == "say hi"
    assert history.previous("say hi") == "look"
    assert history.previous("look") is None
    assert history.next() == "say hi"
    assert history.next() == "north"
    assert history.next() == "dra"
    assert history.next() is None


def test_history_is_capped() -> None:
    history = History(limit=3)
    for n in range(10):
        history.add(f"cmd {n}")
    seen = [history.previous("")]
    while (line := history.previous("")) is not None:
        seen.append(line)
    assert seen == ["cmd 9", "cmd 8", "cmd 7"]


def test_single_match_completes_with_a_space() -> None:
    assert Completer().complete("go no", 5, WORDS) == Completion("go north ", 9)


def test_completion_is_case_insensitive_and_keeps_the_tail() -> None:
    assert Completer().complete("give b key", 6, WORDS) == Completion("give Bob key", 8)


def test_repeated_tab_cycles_and_wraps() -> None:
    completer = Completer()
    first = completer.complete("lo", 2, WORDS)
    assert first == Completion("locate", 6)
    second = completer.complete(first.value, first.cursor, WORDS)
    assert second == Completion("look", 4)
    third = completer.complete(second.value, second.cursor, WORDS)
    assert third == first


def test_no_match_or_no_word_changes_nothing() -> None:
    completer = Completer()
    assert completer.complete("xyz", 3, WORDS) is None
    assert completer.complete("say ", 4, WORDS) is None
    assert completer.complete("", 0, WORDS) is None


def test_an_edit_starts_completion_over() -> None:
    completer = Completer()
    assert completer.complete("lo", 2, WORDS) == Completion("locate", 6)
    assert completer.complete("locatex", 7, WORDS) is None
    assert completer.complete("loo", 3, WORDS) == Completion("look ", 5)
