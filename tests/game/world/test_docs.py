"""Every example in docs/authoring.md that names a file loads, as one small world."""

from __future__ import annotations

import json
import re
from pathlib import Path

from game.world.loader import AREA_FLAGS, AREA_KEYS, check_content
from game.world.problems import Problem
from game.world.reader import Reader, Refs
from game.world.requires import parse_requires
from game.world.source import load_yaml_text
from tests.conftest import ROOT

DOC = ROOT / "docs" / "authoring.md"
BLOCK = re.compile(r"```(yaml|json)\n(.*?)```", re.S)


def blocks() -> list[tuple[str, str]]:
    return BLOCK.findall(DOC.read_text(encoding="utf-8"))


def test_every_yaml_and_json_example_parses() -> None:
    assert len(blocks()) >= 10
    for kind, text in blocks():
        if kind == "json":
            json.loads(text)
        else:
            load_yaml_text(text, "docs")


def test_file_examples_form_a_clean_world(tmp_path: Path) -> None:
    root = tmp_path / "content"
    written = []
    for _, text in blocks():
        first = text.splitlines()[0]
        if not first.startswith("# file: "):
            continue
        path = root / first.removeprefix("# file: ").strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path.name)
    kinds = {"area", "rooms", "items", "npcs", "quests", "shops", "economy", "community"}
    kinds |= {"combat"}
    assert sorted(written) == sorted(f"{kind}.yaml" for kind in kinds)
    world, problems = check_content(root)
    assert [str(p) for p in problems] == []
    assert world is not None
    assert world.rooms["cove:path"].title == "On the Cliff Path"  # from the template
    assert world.quests["cove:lost-barrel"].reward.unlock == "cove-friend"
    assert world.community.channels["staff"].read == "builder"
    assert world.community.channels["trade"].join == "open"
    assert world.community.socials["wave"].aimed
    assert not world.community.socials["shrug"].aimed
    kinds = {t.kind for npc in world.npcs.values() for t in npc.triggers}
    assert kinds == {"enter", "say", "give", "time", "attack", "death"}
    actions = {a.kind for npc in world.npcs.values() for t in npc.triggers for a in t.actions}
    assert {"say", "emote", "charge", "open", "spawn", "reward"} <= actions
    assert world.rooms["cove:beach"].night.startswith("The beach is black")
    assert world.economy.day_minutes == 120
    crab = world.npcs["cove:crab"].combat
    assert crab is not None
    assert crab.tokens == 3
    assert [(d.item, d.chance, d.count) for d in crab.loot] == [
        ("cove:crab-claw", 1.0, 1),
        ("cove:mackerel", 0.5, 2),
    ]
    chest = world.items["cove:sea-chest"].container
    assert chest is not None
    assert chest.locked
    assert chest.closed
    assert chest.contents == {"cove:cutlass": 1, "cove:oilskin-hat": 1}
    assert world.items["cove:cutlass"].stats == {"attack": 1, "damage": 3}
    assert world.combat.respawn_room == "cove:headland"
    assert world.combat.death_fee == 2
    plan = world.rooms["cove:beach"].layout
    assert plan is not None
    assert not plan.generated
    assert {t.name for row in plan.rows for t in row if t.kind == "furniture"} == {"fire", "boat"}


def test_snippets_without_a_file_are_valid_too(tmp_path: Path) -> None:
    """The premium area and the full ``requires`` examples, checked against the loader."""
    snippets = [load_yaml_text(t, "docs") for k, t in blocks() if k == "yaml"]
    areas = [s for s in snippets if isinstance(s, dict) and "flags" in s]
    assert areas
    for area in areas:
        assert set(area) <= AREA_KEYS
        assert set(area["flags"]) <= AREA_FLAGS
    [gate] = [s for s in snippets if isinstance(s, dict) and set(s) == {"requires"}]
    problems: list[Problem] = []
    refs: Refs = []
    req = parse_requires(Reader(tmp_path, problems), gate, "cove", refs)
    assert problems == []
    assert req.skills == {"fishing": 3}
    assert req.quests == ("cove:lost-barrel",)
    assert req.tier == "premium"
    assert req.unlocks == ("hermit-friend",)
