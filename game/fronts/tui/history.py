"""Command history and tab completion for the input line, kept free of Textual.

Both are plain state machines over strings so they can be tested without an app, and so the
input widget stays a thin adapter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class History:
    """Lines the player submitted, browsed with Up/Down like a shell."""

    def __init__(self, limit: int = 200) -> None:
        self.limit = limit
        self._items: list[str] = []
        self._index: int | None = None  # position while browsing; None = editing a new line
        self._draft = ""

    def add(self, line: str) -> None:
        """Remember a submitted line (not blanks, not an immediate repeat); stop browsing."""
        self._index = None
        self._draft = ""
        if line.strip() and (not self._items or self._items[-1] != line):
            self._items.append(line)
            del self._items[: -self.limit]

    def previous(self, current: str) -> str | None:
        """The older line to show for Up, or None when there is nothing older."""
        if not self._items:
            return None
        if self._index is None:
            self._draft = current
            self._index = len(self._items)
        if self._index == 0:
            return None
        self._index -= 1
        return self._items[self._index]

    def next(self) -> str | None:
        """The newer line for Down; past the newest, the draft typed before browsing."""
        if self._index is None:
            return None
        self._index += 1
        if self._index >= len(self._items):
            self._index = None
            return self._draft
        return self._items[self._index]


@dataclass(frozen=True, slots=True)
class Completion:
    """The input's new value and cursor position after a Tab."""

    value: str
    cursor: int


class Completer:
    """Completes the word before the cursor; repeated Tab cycles through the matches.

    A single match is completed with a trailing space (ready for the next word). Several
    matches are shown one per Tab, in order, wrapping around; any edit starts over. No
    match, or an empty word, leaves the line alone.
    """

    def __init__(self) -> None:
        self._matches: list[str] = []
        self._index = 0
        self._start = 0
        self._tail = ""
        self._last: Completion | None = None

    def reset(self) -> None:
        self._last = None

    def complete(self, value: str, cursor: int, words: Sequence[str]) -> Completion | None:
        if self._last is not None and self._last == Completion(value, cursor):
            self._index = (self._index + 1) % len(self._matches)
            return self._apply(value)
        self._last = None
        head = value[:cursor]
        start = len(head) - len(head.split(" ")[-1])
        word = head[start:]
        if not word:
            return None
        folded = word.casefold()
        matches = sorted(
            {w for w in words if w.casefold().startswith(folded)},
            key=str.casefold,
        )
        if not matches:
            return None
        self._matches, self._index, self._start = matches, 0, start
        self._tail = value[cursor:]
        return self._apply(value)

    def _apply(self, value: str) -> Completion:
        match = self._matches[self._index]
        if len(self._matches) == 1:
            match += "" if self._tail.startswith(" ") else " "
        head = value[: self._start] + match
        done = Completion(head + self._tail, len(head))
        self._last = done if len(self._matches) > 1 else None
        return done
