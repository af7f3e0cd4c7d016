"""Room layouts: parsing, located problems, generated plans."""

from __future__ import annotations

import textwrap
from pathlib import Path

from game.world.layout import generated
from game.world.loader import check_content
from tests.game.fronts.tui.plan.conftest import CONTENT

AREA = "title: T\ndescription: d\nstart: a\nflags: [start]\n"


def _check(tmp_path: Path, rooms: str) -> list[str]:
    area = tmp_path / "content" / "t"
    area.mkdir(parents=True)
    (area / "area.yaml").write_text(AREA)
    (area / "rooms.yaml").write_text(textwrap.dedent(rooms))
    _, problems = check_content(tmp_path / "content")
    return [str(p) for p in problems]


ROOM = """\
- id: a
  title: A
  description: d
  exits: {north: b}
  layout:
    grid:
%s
    legend:
      N: door:north
%s
- id: b
  title: B
  description: d
  exits: {south: a}
"""


def _room(rows: list[str], legend: str = "") -> str:
    return ROOM % ("\n".join(f'      - "{r}"' for r in rows), legend)


def test_layout_parses_doors_and_furniture() -> None:
    content, problems = check_content(CONTENT)
    assert content is not None, problems
    layout = content.rooms["plaza:square"].layout
    assert layout is not None
    assert (layout.width, layout.height) == (9, 6)
    assert layout.doors() == {"north": (4, 0), "east": (8, 2)}
    assert layout.furniture()["bench"] == [(6, 3)]
    assert content.rooms["plaza:hall"].layout is None  # generated at run time


def test_layout_unknown_code_located_at_its_square(tmp_path: Path) -> None:
    problems = _check(tmp_path, _room(["##N##", "#.?.#", "#####"]))
    # rows start on line 7, col 10 (after `- "`); the ? is the 3rd square of the 2nd row, col 12
    assert "content/t/rooms.yaml:8:12: error: tile code '?' is not in the legend" in problems


def test_layout_ragged_row_and_bad_kind_located(tmp_path: Path) -> None:
    problems = _check(tmp_path, _room(["##N##", "#...", "#####"], "      X: lava"))
    assert any(p.startswith("content/t/rooms.yaml:8:") and "4 squares wide" in p for p in problems)
    assert any(
        p.startswith("content/t/rooms.yaml:12:") and "unknown tile kind 'lava'" in p
        for p in problems
    )


def test_layout_door_without_exit_is_an_error_at_the_door(tmp_path: Path) -> None:
    problems = _check(tmp_path, _room(["##N##", "#...W", "#####"], "      W: door:west"))
    assert (
        "content/t/rooms.yaml:8:14: error: door:west in the grid, but the room has no exit 'west'"
        in (problems)
    )


def test_layout_exit_without_door_square_only_warns(tmp_path: Path) -> None:
    problems = _check(tmp_path, _room(["#####", "#...#", "#####"]))
    assert any("warning: exit 'north' has no door square" in p for p in problems)
    assert not any(": error: " in p for p in problems)


def test_layout_block_text_grid_and_missing_floor(tmp_path: Path) -> None:
    rooms = """\
    - id: a
      title: A
      description: d
      exits: {up: a}
      layout:
        grid: |
          ###
          #~#
          ###
    """
    problems = _check(tmp_path, rooms)
    assert any(
        p.startswith("content/t/rooms.yaml:6:") and "no floor to stand on" in p for p in problems
    )


def test_layout_must_be_a_mapping_with_a_grid(tmp_path: Path) -> None:
    rooms = "- id: a\n  title: A\n  description: d\n  exits: {north: a}\n  layout: [1, 2]\n"
    problems = _check(tmp_path, rooms)
    assert (
        "content/t/rooms.yaml:5:11: error: 'layout' must be a mapping with grid and legend"
        in problems
    )


def test_generated_layout_is_deterministic_with_a_door_per_exit() -> None:
    plan = generated(["north", "east", "up"], ["hearth"])
    assert plan == generated(["north", "east", "up"], ["hearth"])
    assert set(plan.doors()) == {"north", "east", "up"}
    assert list(plan.furniture()) == ["hearth"]
    x, y = plan.doors()["north"]
    assert y == 0
    assert plan.tile(x, y + 1) is not None
    assert plan.tile(x, y + 1).walkable


def test_layout_flow_style_grid_points_at_the_square(tmp_path: Path) -> None:
    rooms = (
        "- id: a\n  title: A\n  description: d\n  exits: {up: a}\n"
        '  layout: {grid: ["###", "#?#", "###"], legend: {U: "door:up"}}\n'
    )
    problems = _check(tmp_path, rooms)
    # line 5: `  layout: {grid: ["###", "#?#", ...` -> the ? is at column 28
    assert "content/t/rooms.yaml:5:28: error: tile code '?' is not in the legend" in problems
