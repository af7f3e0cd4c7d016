"""``sshrealm content check|schema|map`` as authors run them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from game.cli.main import main
from game.world.economy_rules import ECONOMY_KEYS
from game.world.people import BEHAVIOURS
from game.world.rooms import ROOM_KEYS
from game.world.schema import schema_text
from tests.conftest import ROOT


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_check_starter_world_is_clean() -> None:
    code, out, err = invoke("content", "check", str(ROOT / "content"))
    assert code == 0, out
    assert out == ""
    assert "0 errors, 0 warning(s)" in err


def test_check_broken_folder_lists_all_errors_and_exits_1() -> None:
    code, out, err = invoke("content", "check", str(ROOT / "tests/fixtures/content_broken"))
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 7
    # The root cause first (a file that did not load), with a note for what it hides...
    assert lines[0].startswith("content_broken/syntax/rooms.yaml:4:1: error: found unexpected")
    assert lines[1] == (
        "content_broken/syntax/rooms.yaml:4:1: note: 1 more reference to rooms in area"
        " 'syntax' suppressed: they cannot be checked until this file loads"
    )
    # ...then every other error, in file order; 'syntax:only' is not reported as unknown.
    rest = lines[2:]
    assert all(": error: " in line for line in rest)
    assert rest == sorted(rest, key=lambda s: (s.split(":")[0], int(s.split(":")[1])))
    assert "6 error(s)" in err


def test_check_missing_folder_fails_clearly(tmp_path: Path) -> None:
    code, out, _ = invoke("content", "check", str(tmp_path / "nope"))
    assert code == 1
    assert "content folder not found" in out


def test_shipped_schema_is_current_and_covers_the_loader() -> None:
    shipped = (ROOT / "content" / "sshrealm.schema.json").read_text()
    assert shipped == schema_text(), "run: sshrealm content schema -o content/sshrealm.schema.json"
    code, out, _ = invoke("content", "schema")
    assert code == 0
    assert json.loads(out) == json.loads(shipped)
    defs = json.loads(shipped)["$defs"]
    assert set(defs["room"]["properties"]) == ROOM_KEYS
    assert set(defs["npc"]["properties"]["behaviours"]["properties"]) == set(BEHAVIOURS)
    assert set(defs["economyFile"]["propertyNames"]["enum"]) == ECONOMY_KEYS


def test_map_text_and_dot() -> None:
    code, out, _ = invoke("content", "map", "town", "--dir", str(ROOT / "content"))
    assert code == 0
    assert "[ 1] -  [ 5]" in out  # square east of harbour on one row
    assert "  1. Town Square (town:square) at [0, 0, 0]: A cobbled square" in out
    assert "town:hall up -> town:loft" in out
    code, out, _ = invoke("content", "map", "isle", "--dot", "--dir", str(ROOT / "content"))
    assert code == 0
    assert out.startswith('digraph "isle" {')
    assert '"isle:landing" -> "town:pier" [label="west"];' in out
    code, out, err = invoke("content", "map", "atlantis", "--dir", str(ROOT / "content"))
    assert code == 1
    assert "unknown area 'atlantis'" in err
