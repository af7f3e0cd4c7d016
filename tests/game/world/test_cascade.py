"""One content error, one report: what it causes is counted, not listed (issue #12, item 13).

A room file that did not parse used to bring 8 more "unknown room" errors (one per exit,
quest and shop pointing into it), and an npcs file 15 more "unknown npc" errors; the root
cause was somewhere in the middle of the sorted list. An item placed in two rooms was
accepted silently.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from game.cli.main import main
from tests.conftest import ROOT


def check(root: Path) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(main, ["content", "check", str(root)])
    return result.exit_code, result.stdout.splitlines(), result.stderr


def copy_content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    return root


def test_a_room_file_that_does_not_parse_is_reported_once_with_a_count(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    rooms = root / "town" / "rooms.yaml"
    rooms.write_text(rooms.read_text().replace("- id: hall\n", "- id: hall\n  title: [oops\n", 1))
    code, lines, err = check(root)
    assert code == 1
    assert lines == [
        "content/town/rooms.yaml:19:8: error: did not find expected ',' or ']' (while parsing a"
        " flow sequence that starts at line 18, column 10)",
        "content/town/rooms.yaml:19:8: note: 8 more references to rooms in area 'town'"
        " suppressed: they cannot be checked until this file loads",
    ]
    assert "1 error(s), 0 warning(s)" in err


def test_root_cause_comes_first_and_other_errors_still_show(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    (root / "town" / "npcs.yaml").write_text("- id: crier\n  name: [oops\n")
    moor = root / "moor" / "rooms.yaml"
    moor.write_text(moor.read_text().replace("south: hut", "south: hutt"))
    code, lines, _ = check(root)
    assert code == 1
    assert lines[0].startswith("content/town/npcs.yaml:3:1: error: ")
    assert lines[1] == (
        "content/town/npcs.yaml:3:1: note: 15 more references to npcs in area 'town'"
        " suppressed: they cannot be checked until this file loads"
    )
    assert lines[2:] == [
        "content/moor/rooms.yaml:13:12: error: unknown room 'moor:hutt' (did you mean 'moor:hut'?)"
    ]
    assert not [line for line in lines if "unknown npc" in line]


def test_an_entry_that_does_not_load_hides_the_references_to_it(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    rooms = root / "town" / "rooms.yaml"
    rooms.write_text(rooms.read_text().replace("  title: The Old Hall\n", "", 1))
    code, lines, _ = check(root)
    assert code == 1
    assert lines == [
        "content/town/rooms.yaml:17:3: error: missing required field 'title'",
        "content/town/rooms.yaml:17:3: note: 4 more references to room 'town:hall'"
        " suppressed: it did not load because of the errors here",
    ]


def test_an_item_placed_in_two_rooms_is_warned(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    rooms = root / "town" / "rooms.yaml"
    text = rooms.read_text()
    assert "  items: [shed-key]\n" in text
    rooms.write_text(text.replace("  items: [notice]\n", "  items: [notice, shed-key]\n", 1))
    code, lines, err = check(root)
    assert code == 0
    assert lines == [
        "content/town/rooms.yaml:125:10: warning: item 'town:shed-key' is placed in 2 rooms"
        " (town:square, town:market); each gets its own copy. Place it once if there"
        " should be only one"
    ]
    assert "0 errors, 1 warning(s)" in err
