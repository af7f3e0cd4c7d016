"""The README is checked against the code: the two commands and every setting."""

from __future__ import annotations

import re
from pathlib import Path

from game.core.config import describe

README = Path(__file__).resolve().parent.parent / "README.md"


def settings_table() -> str:
    rows = ["| setting | environment variable | default | meaning |", "|---|---|---|---|"]
    for name, env, default, doc in describe():
        rows.append(f"| `{name}` | `{env}` | `{default}` | {doc} |")
    return "\n".join(rows)


def test_readme_shows_the_two_commands() -> None:
    text = README.read_text()
    assert "make run" in text
    assert "make test" in text


def test_readme_settings_table_matches_settings() -> None:
    text = README.read_text()
    found = re.search(
        r"<!-- settings-table:start -->\n(.*?)\n<!-- settings-table:end -->", text, re.S
    )
    assert found, "README lost its settings table markers"
    assert found.group(1) == settings_table(), (
        "README settings table is stale; regenerate with: "
        ".venv/bin/python -c 'from tests.test_readme import write_table; write_table()'"
    )


def write_table() -> None:
    text = README.read_text()
    start, end = "<!-- settings-table:start -->\n", "\n<!-- settings-table:end -->"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    README.write_text(head + start + settings_table() + end + tail)
