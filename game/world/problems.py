"""Problems found in content, reported all at once as ``path:line:col: severity: message``."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from game.world.source import Where


@dataclass(frozen=True, slots=True)
class Problem:
    where: Where
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.message}"


class ContentError(Exception):
    """The content tree has errors; the running world must stay untouched."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in content:\n" + "\n".join(map(str, errors)))


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or an empty string."""
    pool = list(choices)
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not close:
        bare = {c.split(":", 1)[-1]: c for c in pool}
        hit = difflib.get_close_matches(word.split(":", 1)[-1], list(bare), n=1, cutoff=0.6)
        close = [bare[hit[0]]] if hit else []
    return f" (did you mean {close[0]!r}?)" if close else ""
