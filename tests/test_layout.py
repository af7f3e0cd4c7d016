"""The layout keeps the architecture honest: imports point one way, without cycles.

Every import counts, including those made only for type checking and those inside
functions: an import cycle hidden behind ``TYPE_CHECKING`` is still a design cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("game", "economy", "reflection", "bridge")
LAYERS = ("core", "migrations", "world", "services", "commands", "engine", "fronts", "ops")
"""game/'s subpackages, lowest first; the top-level ``app`` module sits above them all,
``cluster`` (the scaled-out roles, built on the all-in-one server) above ``app`` and ``cli``
above all. A module may import its own layer and those below, never above."""
TOP = {"app": len(LAYERS), "cluster": len(LAYERS) + 1, "cli": len(LAYERS) + 2}
MAY_IMPORT = {  # between the top-level packages (game may use all the others)
    "economy": set(),
    "bridge": set(),
    "reflection": {"economy"},
    "game": {"economy", "reflection", "bridge"},
}
ONLY = {  # third-party packages only one part of the code may import
    "asyncssh": "game.fronts.ssh",
    "textual": "game.fronts.tui",
    "rich": "game.fronts.tui",
    "apscheduler": "reflection.schedule",
    "telnetlib3": "game.fronts.telnet.protocol",
    "redis": "game.cluster.bus",
    "msgpack": "game.cluster.codec",
}


def modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            out[name.removesuffix(".__init__")] = path
    return out


def imported(path: Path, known: Collection[str] = ()) -> Iterator[str]:
    """Every absolute module name ``path`` imports, wherever the import statement is.
    ``from pkg import name`` counts as importing ``pkg.name`` when that is a module in
    ``known``, else as importing ``pkg``."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            assert node.module is not None
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                yield full if full in known else node.module


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {
        name: {m for m in imported(path, mods) if m in mods and m != name}
        for name, path in mods.items()
    }


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "game" or len(parts) < 2:
        return None
    if parts[1] in TOP:
        return TOP[parts[1]]
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else None


def test_there_is_no_import_cycle_at_all() -> None:
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_a_layer_above_its_own() -> None:
    wrong = [
        f"{name} -> {target}"
        for name, targets in graph().items()
        for target in targets
        if (mine := layer(name)) is not None
        and (theirs := layer(target)) is not None
        and theirs > mine
    ]
    assert wrong == []


def test_packages_depend_one_way() -> None:
    wrong = [
        f"{name} -> {target}"
        for name, targets in graph().items()
        for target in targets
        if (a := name.split(".")[0]) != (b := target.split(".")[0]) and b not in MAY_IMPORT[a]
    ]
    assert wrong == []


@pytest.mark.parametrize(("library", "owner"), sorted(ONLY.items()))
def test_one_part_imports_each_framework(library: str, owner: str) -> None:
    users = sorted(
        name
        for name, path in modules().items()
        if any(m == library or m.startswith(library + ".") for m in imported(path))
    )
    assert users
    assert all(u == owner or u.startswith(owner + ".") for u in users), users


def test_game_has_fewer_than_ten_loose_modules_and_known_subpackages() -> None:
    loose = sorted(p.name for p in (ROOT / "game").glob("*.py"))
    assert len(loose) < 10, loose
    packages = {p.name for p in (ROOT / "game").iterdir() if (p / "__init__.py").exists()}
    assert packages == set(LAYERS) | {"cli", "cluster"}


def test_tests_mirror_the_packages() -> None:
    """Each folder under tests/game names a package or module of game/ at the same place."""
    tests_root = ROOT / "tests" / "game"
    for folder in sorted(p for p in tests_root.rglob("*") if (p / "__init__.py").exists()):
        target = ROOT / "game" / folder.relative_to(tests_root)
        assert target.is_dir() or target.with_suffix(".py").exists(), folder
