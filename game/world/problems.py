"""Problems found in content, reported all at once as ``path:line:col: severity: message``."""

from __future__ import annotations

import difflib
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


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or an empty string."""
    pool = list(choices)
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not close:
        bare = {c.split(":", 1)[-1]: c for c in pool}
        hit = difflib.get_close_matches(word.split(":", 1)[-1], list(bare), n=1, cutoff=0.6)
        close = [bare[hit[0]]] if hit else []
    return f" (did you mean {close[0]!r}?)" if close else ""
