"""``sshrealm content check|map`` on two authoring slips (issue 13, item 9): two rooms on
one spot, and a misspelled room name."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from game.cli.main import main
from game.world.problems import distance, suggest
from tests.conftest import ROOT

BAKERY = """
- id: bakery
  title: The Bakery
  brief: A warm bakery.
  coordinates: [0, 0]
  description: Loaves cool on racks by the oven.
  exits:
    south: {exit_to}
"""


def _world(tmp_path: Path, exit_to: str) -> Path:
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    rooms = root / "town" / "rooms.yaml"
    text = rooms.read_text()
    text = text.replace("    west: gate\n", "    west: gate\n    northwest: bakery\n", 1)
    rooms.write_text(text + BAKERY.format(exit_to=exit_to))
    return root


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_two_rooms_on_one_spot_are_warned_located_and_named_on_the_map(tmp_path: Path) -> None:
    root = _world(tmp_path, "square")
    code, out, _err = _invoke("content", "check", str(root))
    assert code == 0, out
    lines = [ln for ln in out.splitlines() if "same coordinates" in ln]
    assert len(lines) == 1, out
    path, line, col, rest = lines[0].split(":", 3)
    assert path.endswith("town/rooms.yaml")
    assert int(line) > 150
    assert int(col) >= 1
    assert "warning: room 'town:bakery' has the same coordinates [0, 0, 0] as" in rest
    assert "as 'town:square' (at " in rest
    code, out, _ = _invoke("content", "map", "town", "--dir", str(root))
    assert code == 0, out
    assert "Rooms not drawn: another room has the same coordinates" in out
    assert "town:bakery at [0, 0, 0], drawn there: town:square" in out


def test_misspelled_room_suggests_the_nearest_name(tmp_path: Path) -> None:
    root = _world(tmp_path, "square")
    rooms = root / "town" / "rooms.yaml"
    rooms.write_text(rooms.read_text().replace("northwest: bakery", "northwest: bakrey"))
    code, out, _ = _invoke("content", "check", str(root))
    assert code == 1
    assert "unknown room 'town:bakrey' (did you mean 'town:bakery'?)" in out, out


def test_suggest_ranks_by_edit_distance_on_the_bare_name() -> None:
    rooms = ["town:square", "town:gate", "town:market", "village:bakery", "village:green"]
    # difflib's ratio liked the shared "town:" more than the near-identical name
    assert suggest("town:bakrey", rooms) == " (did you mean 'village:bakery'?)"
    assert suggest("bakrey", rooms) == " (did you mean 'village:bakery'?)"
    assert suggest("town:sqaure", rooms) == " (did you mean 'town:square'?)"
    assert suggest("town:xyzzy", rooms) == ""
    assert distance("bakrey", "bakery") == 1
    assert distance("square", "bakery") > 2
