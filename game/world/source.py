"""YAML that remembers where every value came from, so problems point at file:line:col.

PyYAML's SafeLoader builds plain dicts and lists; this loader builds :class:`Located`
dicts and lists that also carry the position of the node and of each key, and it refuses
duplicate keys (PyYAML silently keeps the last one, a classic authoring trap).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml


@dataclass(frozen=True, slots=True)
class Where:
    path: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


class LocatedDict(dict[str, Any]):
    where: Where
    key_where: dict[str, Where]


class LocatedList(list[Any]):
    where: Where


class DuplicateKey(yaml.MarkedYAMLError):
    pass


if TYPE_CHECKING:
    _BASE = yaml.SafeLoader
else:  # libyaml's C parser when present, else the pure-Python one
    _BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _where(node: yaml.Node, path: str) -> Where:
    return Where(path, node.start_mark.line + 1, node.start_mark.column + 1)


class _Loader(_BASE):  # libyaml's C parser when present: ~10x faster on big worlds
    source_path = "<string>"

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        self.flatten_mapping(node)
        out = LocatedDict()
        out.where = _where(node, self.source_path)
        out.key_where = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            key = str(key)
            if key in out:
                raise DuplicateKey(
                    "while reading a mapping",
                    node.start_mark,
                    f"duplicate key {key!r}",
                    key_node.start_mark,
                )
            out[key] = self.construct_object(value_node, deep=True)
            out.key_where[key] = _where(value_node, self.source_path)
        return out

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> Any:
        out = LocatedList(self.construct_object(child, deep=True) for child in node.value)
        out.where = _where(node, self.source_path)
        return out

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        """PyYAML's resolver without the path machinery we never use: plain scalars are
        matched against the implicit resolvers for their first character, as before."""
        if kind is yaml.ScalarNode and implicit[0]:
            for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                if regexp.match(value):
                    return str(tag)
            return _STR
        if kind is yaml.ScalarNode:
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def build(self, node: yaml.Node, stack: frozenset[int] = frozenset()) -> Any:
        """Build plain data straight from the node tree.

        Much faster than ``construct_object`` (no generators or state): text, lists and
        mappings are built here, other scalars by the standard constructors. An alias that
        contains itself is refused instead of recursing forever.
        """
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:
                return node.value
            constructor = self.yaml_constructors.get(node.tag)
            return constructor(self, node) if constructor else self.construct_object(node)
        if id(node) in stack:
            raise yaml.constructor.ConstructorError(
                None, None, "an alias refers to itself", node.start_mark
            )
        inner = stack | {id(node)}
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
            items = LocatedList(self.build(child, inner) for child in node.value)
            items.where = _where(node, self.source_path)
            return items
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            self.flatten_mapping(node)
            out = LocatedDict()
            out.where = _where(node, self.source_path)
            out.key_where = {}
            for key_node, value_node in node.value:
                key = str(self.build(key_node, inner))
                if key in out:
                    raise DuplicateKey(
                        "while reading a mapping",
                        node.start_mark,
                        f"duplicate key {key!r}",
                        key_node.start_mark,
                    )
                out[key] = self.build(value_node, inner)
                out.key_where[key] = _where(value_node, self.source_path)
            return out
        return self.construct_object(node, deep=True)


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{t}" for t in ("str", "seq", "map"))
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


class YamlProblem(Exception):
    """A file that is not valid YAML; ``where`` points at the problem."""

    def __init__(self, where: Where, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


def load_yaml(path: Path, shown_as: str | None = None) -> Any:
    """Parse one YAML file into located dicts/lists, raising :class:`YamlProblem`."""
    name = shown_as or str(path)
    text = path.read_text(encoding="utf-8")
    return load_yaml_text(text, name)


def load_yaml_text(text: str, name: str) -> Any:
    loader = _Loader(text)
    loader.source_path = name
    try:
        node = loader.get_single_node()
        return None if node is None else loader.build(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Where(name, mark.line + 1, mark.column + 1) if mark else Where(name, 1, 1)
        message = str(exc.problem or exc.context or "invalid YAML")
        start = exc.context_mark
        if exc.context and exc.problem and start is not None and start is not mark:
            message = (
                f"{message} ({exc.context} that starts at line {start.line + 1},"
                f" column {start.column + 1})"
            )
        raise YamlProblem(where, message) from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(Where(name, 1, 1), str(exc)) from exc
    finally:
        loader.dispose()


def where_of(node: Any, key: str | None = None, fallback: Where | None = None) -> Where:
    """The position of ``node`` (or of its ``key``), as precisely as the node knows it."""
    if isinstance(node, LocatedDict):
        if key is not None and key in node.key_where:
            return node.key_where[key]
        return node.where
    if isinstance(node, LocatedList):
        return node.where
    return fallback or Where("<unknown>", 1, 1)
