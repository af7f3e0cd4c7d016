"""Reading located YAML entries: typed fields, unknown keys, problems collected, not raised."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from game.world.problems import Problem, suggest
from game.world.source import LocatedDict, Where, YamlProblem, load_yaml, where_of

Refs = list[tuple[Where, str, str]]
"""References to check once everything is loaded: (where, kind, full ref)."""


class Reader:
    """Reads one area folder, collecting problems instead of stopping at the first."""

    def __init__(self, root: Path, problems: list[Problem]) -> None:
        self.root = root
        self.problems = problems
        self.failed: dict[Path, Where] = {}  # files that did not load, and why (where)

    def error(self, where: Where, message: str) -> None:
        self.problems.append(Problem(where, message))

    def warn(self, where: Where, message: str) -> None:
        self.problems.append(Problem(where, message, "warning"))

    def note(self, where: Where, message: str, *, cause: bool = False) -> None:
        """Explain the error at ``where``; ``cause`` if that error is a root cause."""
        self.problems.append(Problem(where, message, "note", cause=cause))

    def file_failed(self, path: Path, where: Where, message: str) -> None:
        """``path`` cannot be used at all: a root cause, reported before what it causes."""
        self.problems.append(Problem(where, message, cause=True))
        self.failed.setdefault(path, where)

    def file(self, path: Path) -> Any:
        shown = str(path.relative_to(self.root.parent))
        try:
            return load_yaml(path, shown)
        except YamlProblem as exc:
            self.file_failed(path, exc.where, exc.message)
            return None
        except UnicodeDecodeError as exc:
            raw, at = bytes(exc.object), exc.start
            line, col = raw.count(b"\n", 0, at) + 1, at - raw.rfind(b"\n", 0, at)
            self.file_failed(
                path, Where(shown, line, col), "not UTF-8 text; save the file as UTF-8"
            )
            return None
        except OSError as exc:
            message = f"cannot read the file: {exc.strerror or exc}"
            self.file_failed(path, Where(shown, 1, 1), message)
            return None

    def field(self, node: LocatedDict, key: str, kind: type, *, required: bool = True) -> Any:
        if key not in node:
            if required:
                self.error(node.where, f"missing required field {key!r}")
            return None
        value = node[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if not ok:
            self.error(
                where_of(node, key),
                f"{key!r} must be {_kind_name(kind)}, not {_kind_name(type(value))}",
            )
            return None
        return value

    def names(self, node: LocatedDict, key: str) -> tuple[str, ...]:
        """A list of words (features, keywords); anything else is reported."""
        raw = node.get(key)
        if raw is None:
            return ()
        if isinstance(raw, list) and all(isinstance(v, str) for v in raw):
            return tuple(raw)
        self.error(where_of(node, key), f"{key!r} must be a list of words")
        return ()

    def unknown_keys(self, node: LocatedDict, allowed: set[str], what: str) -> None:
        for key in node:
            if key not in allowed:
                self.error(
                    where_of(node, key),
                    f"unknown field {key!r} in {what}{suggest(key, sorted(allowed))}",
                )


def _kind_name(kind: type) -> str:
    names = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}
    if kind in names:
        return names[kind]
    if issubclass(kind, list):
        return "a list"
    return "a mapping" if issubclass(kind, dict) else kind.__name__


def full_ref(area: str, ref: str) -> str:
    """``"hall"`` inside area ``town`` is ``"town:hall"``; full refs pass through."""
    return ref if ":" in ref else f"{area}:{ref}"
