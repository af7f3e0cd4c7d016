"""Problems found in content, reported all at once as ``path:line:col: severity: message``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from game.world.source import Where

SEVERITIES = ("error", "note", "warning")
"""A ``note`` explains an error next to it (what it hid); it never fails a check."""


@dataclass(frozen=True, slots=True)
class Problem:
    where: Where
    message: str
    severity: str = "error"
    cause: bool = False  # it kept a whole file from loading: reported before the rest

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.message}"


def report_order(problem: Problem) -> tuple[bool, str, int, int, int]:
    """Sort key for reports: root causes (files that did not load) first, then by place;
    a note right after the error it explains."""
    where = problem.where
    return (
        not problem.cause,
        where.path,
        where.line,
        where.col,
        SEVERITIES.index(problem.severity),
    )


class ContentError(Exception):
    """The content tree has errors; the running world must stay untouched."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = sorted((p for p in problems if p.severity != "warning"), key=report_order)
        count = sum(p.severity == "error" for p in errors)
        super().__init__(f"{count} error(s) in content:\n" + "\n".join(map(str, errors)))


def distance(a: str, b: str) -> int:
    """Edit distance with adjacent swaps (``bakrey`` is one step from ``bakery``)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            best = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, prev2[j - 2] + 1)
            row.append(best)
        prev2, prev = prev, row
    return prev[-1]


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or an empty string.

    Ranked by edit distance on the name after the area (``bakrey`` -> ``town:bakery``,
    not ``town:square``) and on the whole reference; ties go to the closer whole reference,
    then alphabetical order. Only near misses count: at most a third of the word's letters.
    """
    bare = word.split(":", 1)[-1]

    def rank(choice: str) -> tuple[int, int, str]:
        return (
            min(distance(bare, choice.split(":", 1)[-1]), distance(word, choice)),
            distance(word, choice),
            choice,
        )

    ranked = sorted(set(choices), key=rank)
    if not ranked or rank(ranked[0])[0] > max(1, len(bare) // 3):
        return ""
    return f" (did you mean {ranked[0]!r}?)"
