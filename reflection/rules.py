"""Cal's rules from content YAML (``content/growth.yaml``): categories, milestones, unlocks,
suggestions and reflection prompts.

Authors write conditions as ``metric: N`` (at least N) or ``metric: {min: N, max: M}`` over
a player's metrics (see :data:`METRIC_HELP`). Texts are templates: ``{verb.fish}`` is
replaced by that metric's value. Every problem is reported as ``file:line:col: message``,
all at once, like the content checker, and a file with problems is never half-used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import yaml

from reflection.schema import CATEGORIES

METRIC_HELP: Final = (
    "actions, rooms, days, earned, spent, balance, days_since_last, "
    "category.<c>, share.<c> (0..1), verb.<verb>, xp.<skill>, unlock.<name> (0/1)"
)
_METRIC: Final = re.compile(
    r"(actions|rooms|days|earned|spent|balance|days_since_last"
    r"|(category|share)\.(achieve|explore|socialize|trade)"
    r"|verb\.[a-z0-9_-]+|xp\.[a-z0-9_-]+|unlock\.[a-z0-9_:-]+)"
)
_FIELD: Final = re.compile(r"\{([a-z0-9_.:-]+)\}")
_GRANT: Final = re.compile(r"(form:[a-z0-9_-]+|area:[a-z0-9_-]+)")


class RulesError(ValueError):
    """growth.yaml has problems; ``problems`` lists each as file:line:col: message."""

    def __init__(self, located: list[tuple[str, int, int, str]]) -> None:
        self.located = located
        self.problems = [f"{f}:{line}:{col}: {msg}" for f, line, col, msg in located]
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True, slots=True)
class Condition:
    metric: str
    low: float | None = None
    high: float | None = None

    def holds(self, metrics: Mapping[str, float]) -> bool:
        value = metrics.get(self.metric, 0)
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


@dataclass(frozen=True, slots=True)
class Rule:
    """A milestone (``text`` is its title), an unlock (``grant`` set; ``text`` is the reason
    told to the player) or a suggestion (``text`` is the advice)."""

    id: str
    when: tuple[Condition, ...]
    text: str
    grant: str = ""

    def holds(self, metrics: Mapping[str, float]) -> bool:
        return all(c.holds(metrics) for c in self.when)

    def render(self, metrics: Mapping[str, float]) -> str:
        return render(self.text, metrics)

    def numbers(self, metrics: Mapping[str, float]) -> dict[str, float]:
        """The figures behind a decision: every metric its conditions name."""
        return {c.metric: metrics.get(c.metric, 0) for c in self.when}


@dataclass(frozen=True, slots=True)
class GrowthRules:
    categories: Mapping[str, str] = field(default_factory=dict)
    milestones: tuple[Rule, ...] = ()
    unlocks: tuple[Rule, ...] = ()
    suggestions: tuple[Rule, ...] = ()
    prompts: Mapping[str, str] = field(default_factory=dict)
    max_suggestions: int = 3

    def category(self, verb: str) -> str:
        return self.categories.get(verb, "other")


def render(template: str, metrics: Mapping[str, float]) -> str:
    def value(match: re.Match[str]) -> str:
        number = metrics.get(match[1], 0)
        return f"{number:g}" if isinstance(number, float) else str(number)

    return _FIELD.sub(value, template)


def load(path: Path) -> GrowthRules:
    """Read and check a growth rules file; raises RulesError listing every problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError([(str(path), 1, 1, f"cannot read: {exc.strerror}")]) from exc
    return parse(text, str(path))


def parse(text: str, name: str) -> GrowthRules:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise RulesError([(name, line, col, str(exc.problem))]) from exc
    return _Reader(name).rules(root)


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[tuple[str, int, int, str]] = []

    def error(self, node: yaml.Node, message: str) -> None:
        mark = node.start_mark
        self.problems.append((self.name, mark.line + 1, mark.column + 1, message))

    def mapping(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} must be a mapping")
            return []
        out = []
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                self.error(key, f"duplicate key {key.value!r}")
            seen.add(key.value)
            out.append((str(key.value), key, value))
        return out

    def scalar(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            self.error(node, f"{what} must be a non-empty text")
            return ""
        return str(node.value)

    def number(self, node: yaml.Node, what: str) -> float | None:
        try:
            if isinstance(node, yaml.ScalarNode):
                return float(node.value)
        except ValueError:
            pass
        self.error(node, f"{what} must be a number")
        return None

    def rules(self, root: yaml.Node | None) -> GrowthRules:
        if root is None:
            raise RulesError([(self.name, 1, 1, "the file is empty")])
        parts: dict[str, object] = {}
        known = ("categories", "milestones", "unlocks", "suggestions", "prompts", "max_suggestions")
        for key, key_node, value in self.mapping(root, "growth.yaml"):
            if key not in known:
                self.error(key_node, f"unknown section {key!r} (known: {', '.join(known)})")
            elif key == "categories":
                parts[key] = self.categories(value)
            elif key == "prompts":
                parts[key] = {
                    k: self.scalar(v, f"prompt {k!r}")
                    for k, kn, v in self.mapping(value, "prompts")
                    if self.style(kn, k)
                }
            elif key == "max_suggestions":
                parts[key] = int(self.number(value, "max_suggestions") or 3)
            else:
                parts[key] = self.entries(value, key)
        if self.problems:
            raise RulesError(self.problems)
        return GrowthRules(**parts)  # type: ignore[arg-type]

    def style(self, node: yaml.Node, name: str) -> bool:
        if name not in (*CATEGORIES, "mixed"):
            self.error(node, f"unknown play style {name!r} (known: {', '.join(CATEGORIES)}, mixed)")
            return False
        return True

    def categories(self, node: yaml.Node) -> dict[str, str]:
        out: dict[str, str] = {}
        for cat, key_node, verbs in self.mapping(node, "categories"):
            if cat not in CATEGORIES:
                self.error(key_node, f"unknown category {cat!r} (known: {', '.join(CATEGORIES)})")
                continue
            if not isinstance(verbs, yaml.SequenceNode):
                self.error(verbs, f"category {cat!r} must list verbs")
                continue
            for verb in verbs.value:
                word = self.scalar(verb, "a verb").lower()
                if word in out:
                    self.error(verb, f"verb {word!r} is already in category {out[word]!r}")
                out[word] = cat
        return out

    def entries(self, node: yaml.Node, section: str) -> tuple[Rule, ...]:
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{section} must be a list")
            return ()
        rules: list[Rule] = []
        ids: set[str] = set()
        text_key = {"milestones": "title", "unlocks": "reason", "suggestions": "text"}[section]
        for entry in node.value:
            fields = {k: (kn, v) for k, kn, v in self.mapping(entry, f"an entry of {section}")}
            for k, (kn, _) in fields.items():
                if k not in ("id", "when", text_key, "grant"):
                    self.error(kn, f"unknown field {k!r} in {section}")
            for needed in ("id", "when", text_key, *(("grant",) if section == "unlocks" else ())):
                if needed not in fields:
                    self.error(entry, f"an entry of {section} needs {needed!r}")
            if self.problems and any(n not in fields for n in ("id", "when", text_key)):
                continue
            rule_id = self.scalar(fields["id"][1], "id")
            if rule_id in ids:
                self.error(fields["id"][1], f"duplicate id {rule_id!r} in {section}")
            ids.add(rule_id)
            grant = ""
            if section == "unlocks" and "grant" in fields:
                grant = self.scalar(fields["grant"][1], "grant")
                if not _GRANT.fullmatch(grant):
                    self.error(
                        fields["grant"][1], f"grant must be form:<name> or area:<id>, got {grant!r}"
                    )
            text_node = fields[text_key][1]
            text = self.scalar(text_node, text_key)
            for name in _FIELD.findall(text):
                if not _METRIC.fullmatch(name):
                    self.error(text_node, f"unknown metric {{{name}}} in text ({METRIC_HELP})")
            rules.append(Rule(rule_id, self.conditions(fields["when"][1]), text, grant))
        return tuple(rules)

    def conditions(self, node: yaml.Node) -> tuple[Condition, ...]:
        out = []
        for metric, key_node, value in self.mapping(node, "when"):
            if not _METRIC.fullmatch(metric):
                self.error(key_node, f"unknown metric {metric!r} ({METRIC_HELP})")
                continue
            if isinstance(value, yaml.MappingNode):
                bounds = {k: self.number(v, k) for k, kn, v in self.mapping(value, metric)}
                extra = set(bounds) - {"min", "max"}
                if extra or not bounds:
                    self.error(value, f"{metric}: use min and/or max")
                out.append(Condition(metric, bounds.get("min"), bounds.get("max")))
            else:
                out.append(Condition(metric, self.number(value, metric)))
        if not out and not self.problems:
            self.error(node, "when needs at least one condition")
        return tuple(out)
