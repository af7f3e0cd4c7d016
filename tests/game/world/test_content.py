"""The content format: the starter world is complete and clean; broken files are located."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.world.lint import has_art
from game.world.loader import check_content, load_content
from game.world.problems import ContentError
from tests.conftest import ROOT

BROKEN = ROOT / "tests" / "fixtures" / "content_broken"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_starter_world_has_no_errors_or_warnings() -> None:
    world, problems = check_content(ROOT / "content")
    assert [str(p) for p in problems] == []
    assert world is not None
    assert len(world.areas) >= 3
    assert len(world.rooms) >= 30
    talkers = [n for n in world.npcs.values() if n.topics]
    assert len(talkers) >= 10
    assert len(world.quests) >= 5
    assert len(world.shops) >= 2
    assert all(s.keeper in world.npcs for s in world.shops.values())
    assert any(a.premium for a in world.areas.values())
    assert any(n.wander_interval for n in world.npcs.values())


def test_starter_world_economy_matches_the_economy_issue() -> None:
    world = load_content(ROOT / "content")
    rules = world.economy
    assert {s: d.verb for s, d in rules.skills.items()} == {
        "foraging": "forage",
        "fishing": "fish",
        "cooking": "cook",
    }
    assert rules.prices["travel"] == 5
    assert all(r.feature == "fire" and r.skill == "cooking" for r in rules.recipes.values())
    fires = [r for r in world.rooms.values() if "fire" in r.features]
    assert len({r.area for r in fires}) >= 3
    spots = {(s.skill, r.area) for r in world.rooms.values() for s in r.gather}
    assert {skill for skill, _ in spots} == {"foraging", "fishing"}
    assert len({area for _, area in spots}) >= 3


def test_starter_world_descriptions_read_aloud() -> None:
    world = load_content(ROOT / "content")
    texts = [r.description for r in world.rooms.values()]
    texts += [i.description for i in world.items.values()]
    texts += [n.description for n in world.npcs.values()]
    assert not [t for t in texts if has_art(t)]


def test_broken_folder_reports_every_problem_located() -> None:
    world, problems = check_content(BROKEN)
    assert world is None
    lines = [str(p) for p in problems]
    expected = [
        "content_broken/good/rooms.yaml:6:11: error: unknown room 'good:nowhere'",
        "content_broken/good/rooms.yaml:7:9: error: unknown npc 'good:cryer'"
        " (did you mean 'good:crier'?)",
        "content_broken/good/rooms.yaml:9:7: error: duplicate room id 'hall' in area 'good'"
        " (first defined at content_broken/good/rooms.yaml:1:3)",
        "content_broken/good/rooms.yaml:18:12: error: 'extends' makes a cycle:"
        " good:loop-a -> good:loop-b -> good:loop-a",
        "content_broken/good/rooms.yaml:22:10: error: 'title' must be text, not a list",
        "content_broken/syntax/rooms.yaml:4:1: error: found unexpected end of stream"
        " (while scanning a quoted scalar that starts at line 3, column 16)",
    ]
    for line in expected:
        assert line in lines
    with pytest.raises(ContentError):
        load_content(BROKEN)


AREA = "title: T\nstart: a\n"


def test_extends_inherits_fields_and_child_wins(tmp_path: Path) -> None:
    rooms = (
        "- {id: base, template: true, title: Base, brief: B., description: Inherited words.}\n"
        "- {id: a, extends: base, title: A, exits: {north: b}}\n"
        "- {id: b, extends: a, title: B, exits: {south: a}}\n"
    )
    root = write(tmp_path / "c", {"t/area.yaml": AREA, "t/rooms.yaml": rooms})
    world, problems = check_content(root)
    assert world is not None, problems
    assert "t:base" not in world.rooms
    assert world.rooms["t:b"].description == "Inherited words."
    assert world.rooms["t:b"].title == "B"
    assert world.rooms["t:b"].extends == "t:a"
    assert [e.to for e in world.rooms["t:b"].exits] == ["t:a"]


def test_warnings_unreachable_one_way_brief_and_art(tmp_path: Path) -> None:
    rooms = (
        "- {id: a, title: A, brief: A., description: Fine words., exits: {north: b}}\n"
        "- {id: b, title: B, description: '+------+ a box ------'}\n"
        "- {id: c, title: C, brief: C., description: Alone.}\n"
    )
    root = write(tmp_path / "c", {"t/area.yaml": AREA, "t/rooms.yaml": rooms})
    world, problems = check_content(root)
    assert world is not None
    messages = [p.message for p in problems if p.severity == "warning"]
    assert "room 't:c' cannot be reached from any area start" in messages
    assert any("is one-way" in m and "'north'" in m for m in messages)
    assert "room 't:b' has no 'brief' (a one-line summary)" in messages
    assert any("ASCII art" in m and "'t:b'" in m for m in messages)


def test_requires_and_behaviours_are_checked(tmp_path: Path) -> None:
    rooms = (
        "- id: a\n  title: A\n  description: D.\n"
        "  requires: {skills: {fishin: 2}, tier: gold, quests: [nope]}\n"
    )
    npcs = "- {id: n, name: N, description: D., behaviours: {wandr: {interval: 5}}}\n"
    root = write(tmp_path / "c", {"t/area.yaml": AREA, "t/rooms.yaml": rooms, "t/npcs.yaml": npcs})
    world, problems = check_content(root)
    assert world is None
    text = "\n".join(map(str, problems))
    assert "unknown skill 'fishin'" in text
    assert "'tier' must be one of free and premium" in text
    assert "unknown quest 't:nope'" in text
    assert "unknown behaviour 'wandr' (did you mean 'wander'?)" in text


def test_quest_goals_need_one_kind(tmp_path: Path) -> None:
    quests = "- {id: q, title: Q, description: D., goals: [{visit: a, talk: n}, {fly: a}]}\n"
    rooms = "- {id: a, title: A, description: D.}\n"
    root = write(
        tmp_path / "c", {"t/area.yaml": AREA, "t/rooms.yaml": rooms, "t/quests.yaml": quests}
    )
    _, problems = check_content(root)
    messages = [p.message for p in problems]
    assert messages.count("a goal needs exactly one of: visit, collect, deliver, talk, gather") == 2


def test_warnings_for_quests_nobody_starts_and_absent_keepers(tmp_path: Path) -> None:
    files = {
        "t/area.yaml": AREA,
        "t/rooms.yaml": "- {id: a, title: A, brief: A., description: D., npcs: [n]}\n"
        "- {id: b, title: B, brief: B., description: D.}\n",
        "t/npcs.yaml": "- {id: n, name: N, description: D.}\n",
        "t/quests.yaml": "- {id: q, title: Q, description: D., goals: [{visit: a}]}\n",
        "t/shops.yaml": "- {id: s, room: b, keeper: n, sells: {}}\n",
    }
    _, problems = check_content(write(tmp_path / "c", files))
    messages = [p.message for p in problems if p.severity == "warning"]
    assert "quest 't:q' is never started: no NPC topic or trigger starts it" in messages
    assert "shop 't:s': its keeper is not placed in its room" in messages


def test_unreadable_bytes_are_a_located_error_not_a_crash(tmp_path: Path) -> None:
    root = write(tmp_path / "c", {"t/area.yaml": AREA})
    (root / "t" / "rooms.yaml").write_bytes(b"- id: a\n  title: Caf\xe9\n")
    _, problems = check_content(root)
    assert str(problems[0]).startswith("c/t/rooms.yaml:2:13: error: not UTF-8 text")
    assert "not UTF-8 text" in problems[0].message
