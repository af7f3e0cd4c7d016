"""growth.yaml: the shipped file loads; problems point at file:line:col."""

from __future__ import annotations

import pytest

from reflection.rules import RulesError, load, parse
from tests.conftest import ROOT


def test_rules_shipped_file_loads() -> None:
    rules = load(ROOT / "content" / "growth.yaml")
    assert rules.category("fish") == "achieve"
    assert rules.category("say") == "socialize"
    assert any(u.grant == "form:visual" for u in rules.unlocks)


def test_rules_problems_have_positions() -> None:
    text = (
        "unlocks:\n  - id: a\n    grant: nothing\n    reason: x {bogus}\n    when: {rooms: lots}\n"
    )
    with pytest.raises(RulesError) as info:
        parse(text, "g.yaml")
    problems = info.value.problems
    assert "g.yaml:3:12: grant must be form:<name> or area:<id>, got 'nothing'" in problems
    assert any(p.startswith("g.yaml:4:13: unknown metric {bogus}") for p in problems)
    assert any(p.startswith("g.yaml:5:19: rooms must be a number") for p in problems)


def test_rules_bad_yaml_reports_position() -> None:
    with pytest.raises(RulesError, match=r"g.yaml:2:"):
        parse("a: [1,\n", "g.yaml")
