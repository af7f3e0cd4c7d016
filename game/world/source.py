"""YAML that remembers where every value came from, so problems point at file:line:col.

PyYAML's SafeLoader builds plain dicts and lists; this loader builds :class:`Located`
dicts and lists that also carry the position of the node and of each key, and it refuses
duplicate keys (PyYAML silently keeps the last one, a classic authoring trap).

Aliases (``*name``) are expanded into fresh copies, so a file of nested aliases ("billion
laughs") could grow exponentially: a file may expand aliases into at most
:data:`ALIAS_BUDGET` values, and nest at most :data:`MAX_DEPTH` levels deep, else it is
refused with the position of the anchor or the too-deep value.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml


class Where(NamedTuple):
    """A position in a content file. A tuple, because a big world makes hundreds of
    thousands of them and a tuple is built in C."""

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


ALIAS_BUDGET = 10_000
"""Most values one file may build by repeating anchored values through aliases."""
SCALAR_UNIT = 64
"""Characters of repeated text that count as one value against :data:`ALIAS_BUDGET` (so a
long anchored description repeated by aliases costs what it would take to write out)."""
MAX_DEPTH = 64
"""Deepest nesting of lists and mappings in one file (real content uses under ten)."""


if TYPE_CHECKING:
    _BASE = yaml.SafeLoader
else:  # libyaml's C parser when present, else the pure-Python one
    _BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _where(node: yaml.Node, path: str) -> Where:
    return Where(path, node.start_mark.line + 1, node.start_mark.column + 1)


class _Loader(_BASE):  # libyaml's C parser when present: ~10x faster on big worlds
    source_path = "<string>"
    resolved: dict[str, str]  # plain scalar -> tag, for one file
    built: set[int]  # containers built at least once: meeting one again is an alias
    sizes: dict[int, int]  # values in a container's expansion, for containers met again
    expanded = 0  # values built again through aliases, in this file
    copying = False  # inside the copy of an anchored value (already counted)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        return self._mapping(node, lambda child: self.construct_object(child, deep=True))

    def _mapping(self, node: yaml.MappingNode, value: Callable[[yaml.Node], Any]) -> LocatedDict:
        """A located dict of ``node``, each key and value made by ``value``; a key given
        twice is an error (PyYAML would keep the last one)."""
        self.flatten_mapping(node)
        out = LocatedDict()
        out.where = _where(node, self.source_path)
        out.key_where = {}
        for key_node, value_node in node.value:
            key = str(value(key_node))
            if key in out:
                raise DuplicateKey(
                    "while reading a mapping",
                    node.start_mark,
                    f"duplicate key {key!r}",
                    key_node.start_mark,
                )
            out[key] = value(value_node)
            out.key_where[key] = _where(value_node, self.source_path)
        return out

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> Any:
        out = LocatedList(self.construct_object(child, deep=True) for child in node.value)
        out.where = _where(node, self.source_path)
        return out

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        """PyYAML's resolver without the path machinery we never use: plain scalars are
        matched against the implicit resolvers for their first character, as before, and
        the answer is remembered per file (worlds repeat the same words: directions, ids)."""
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return _STR
            tag = self.resolved.get(value)
            if tag is None:
                tag = _STR
                for candidate, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        tag = str(candidate)
                        break
                self.resolved[value] = tag
            return tag
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def build(self, node: yaml.Node, open_nodes: set[int] | None = None) -> Any:
        """Build plain data straight from the node tree.

        Much faster than ``construct_object`` (no generators or state): text, lists and
        mappings are built here, other scalars by the standard constructors. An alias that
        contains itself is refused instead of recursing forever (``open_nodes`` holds the
        containers being built on the way down).
        """
        if isinstance(node, yaml.ScalarNode):
            if len(node.value) > SCALAR_UNIT:  # a long text: count each repeat by its length
                if id(node) not in self.built:
                    self.built.add(id(node))
                elif not self.copying:
                    self._spend(node)
            if node.tag == _STR:
                return node.value
            constructor = self.yaml_constructors.get(node.tag)
            return constructor(self, node) if constructor else self.construct_object(node)
        stack = set() if open_nodes is None else open_nodes
        if id(node) in stack:
            raise yaml.constructor.ConstructorError(
                None, None, "an alias refers to itself", node.start_mark
            )
        if len(stack) >= MAX_DEPTH:
            raise yaml.constructor.ConstructorError(
                None, None, f"lists and mappings nested more than {MAX_DEPTH} deep", node.start_mark
            )
        copying = False  # building a copy of an anchored value, charged here as a whole
        if id(node) not in self.built:
            self.built.add(id(node))
        elif not self.copying:
            self._spend(node)
            self.copying = copying = True
        stack.add(id(node))
        try:
            return self._container(node, stack)
        finally:
            stack.discard(id(node))
            if copying:
                self.copying = False

    def _spend(self, node: yaml.Node) -> None:
        """Count an alias against :data:`ALIAS_BUDGET`, before building what it repeats."""
        self.expanded += self._size(node)
        if self.expanded > ALIAS_BUDGET:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"aliases repeat the value anchored here into more than {ALIAS_BUDGET:,} values;"
                " a file may expand aliases only that far (this refuses 'billion laughs'"
                " files): repeat less, or write the values out",
                node.start_mark,
            )

    def _size(self, node: yaml.Node) -> int:
        """How many values building ``node`` makes, a long text counting one per
        :data:`SCALAR_UNIT` characters (memoised: linear in distinct nodes)."""
        if not isinstance(node.value, list):
            return 1 + len(node.value) // SCALAR_UNIT
        known = self.sizes.get(id(node))
        if known is None:
            children = (
                c for pair in node.value for c in (pair if isinstance(pair, tuple) else (pair,))
            )
            known = 1 + sum(self._size(child) for child in children)
            self.sizes[id(node)] = known
        return known

    def _container(self, node: yaml.Node, stack: set[int]) -> Any:
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
            items = LocatedList(self.build(child, stack) for child in node.value)
            items.where = _where(node, self.source_path)
            return items
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            return self._mapping(node, lambda child: self.build(child, stack))
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
    loader.resolved = {}
    loader.built, loader.sizes = set(), {}
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
    except RecursionError as exc:  # the pure-Python composer, without libyaml
        raise YamlProblem(Where(name, 1, 1), "lists and mappings nested too deep") from exc
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
