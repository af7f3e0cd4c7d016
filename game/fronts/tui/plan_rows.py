"""Rows of the floor plan as plain (character, role) cells, and their Strips.

Pure functions, kept apart from the widget (game/fronts/tui/plan.py) so they can be read and
tested alone: building the empty plan once per layout, fitting labels, turning a row into
one Segment per run of equal role, and finding the span of cells that changed.
"""

from __future__ import annotations

import textwrap
from itertools import groupby
from operator import itemgetter

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter
from textual.strip import Strip

from game.world.layout import Layout

LABEL_MAX = 12
SPEECH_ROWS = 2
"""Rows one speaker's words may take under the plan (wrapped to its width)."""
LABEL_ROLES = frozenset({"floor", "void"})
"""What a label may cover: never a wall, a door, water or furniture."""
ARTICLES = ("a ", "an ", "the ")
Cell = tuple[str, str]  # (one character, role)
Filters = list[tuple[LineFilter, Color]]
GLYPHS = {"wall": "██", "water": "≈≈", "door": "░░", "void": "  ", "floor": "  "}


def tile_cells(kind: str, code: str) -> list[Cell]:
    if kind == "furniture":
        return [(code, "furniture"), (code, "furniture")]
    glyph = GLYPHS.get(kind, "  ")
    return [(glyph[0], kind), (glyph[1], kind)]


def base_rows(layout: Layout, width: int) -> list[list[Cell]]:
    """The plan with nobody on it: a blank label row, the squares, the furniture key."""
    rows: list[list[Cell]] = [[(" ", "void")] * width]
    for tiles in layout.rows:
        row: list[Cell] = []
        for tile in tiles:
            row.extend(tile_cells(tile.kind, tile.code))
        rows.append((row + [(" ", "void")] * max(0, width - len(row)))[:width])
    rows.append(key_row(layout, width)[:width])
    return rows


def key_row(layout: Layout, width: int) -> list[Cell]:
    names = layout.furniture()
    parts = []
    for name, squares in sorted(names.items()):
        x, y = squares[0]
        tile = layout.rows[y][x]
        parts.append(f"{tile.code}{tile.code} {name}")
    text = fit("  ".join(parts), width) if parts else ""
    row = [(ch, "key") for ch in text]
    return row + [(" ", "void")] * max(0, width - len(row))


def proper(name: str) -> str:
    """The name without its article: "the guard" -> "guard" (its glyph is ``&g``)."""
    lower = name.lower()
    for article in ARTICLES:
        if lower.startswith(article) and len(name) > len(article):
            return name[len(article) :]
    return name


def label_fits(base: list[Cell], x: int) -> bool:
    """Whether a label can start above (or below) square ``x`` of this base row."""
    cells = base[2 * x : 2 * x + 2]
    return len(cells) == 2 and all(role in LABEL_ROLES for _, role in cells)


def speech_rows(name: str, text: str, width: int) -> list[list[Cell]]:
    """``name: text`` wrapped to the plan's width, at most :data:`SPEECH_ROWS` rows."""
    lines = textwrap.wrap(f"{name}: {text}", max(8, width)) or [f"{name}:"]
    if len(lines) > SPEECH_ROWS:
        lines = [*lines[: SPEECH_ROWS - 1], fit(" ".join(lines[SPEECH_ROWS - 1 :]), width)]
    rows = []
    for line in lines:
        cells = [(ch, "bubble") for ch in line[:width]]
        rows.append(cells + [(" ", "void")] * max(0, width - len(cells)))
    return rows


def fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def filtered_styles(styles: dict[str, Style], filters: Filters) -> dict[str, Style]:
    """Each role's style as the app's line filters would leave it.

    Textual's filters (truecolor, dim, monochrome) map each segment's style on its own, so
    filtering the dozen role styles once gives the same strips as filtering every row of
    every frame, which was a quarter of the visual form's CPU.
    """
    if not filters:
        return styles
    roles = list(styles)
    segments = [Segment(" ", styles[role]) for role in roles]
    for line_filter, background in filters:
        segments = line_filter.apply(segments, background)
    return {role: segment.style or Style() for role, segment in zip(roles, segments, strict=True)}


def build_strip(row: list[Cell], styles: dict[str, Style]) -> Strip:
    """One Segment per run of cells with the same role (styles already filtered)."""
    segments = [
        Segment("".join(ch for ch, _ in run), styles[role])
        for role, run in groupby(row, key=itemgetter(1))
    ]
    return Strip(segments, len(row))


def changed_span(old: list[Cell], new: list[Cell]) -> tuple[int, int] | None:
    """[first, last+1) of the cells that differ, or None when the rows are equal."""
    if old == new:
        return None
    if not old or len(old) != len(new):
        return (0, len(new)) if new else None
    first = next((i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b), None)
    if first is None:
        return None
    last = next(i for i in range(len(new) - 1, -1, -1) if old[i] != new[i])
    return first, last + 1


def follow(origin: int, lo: int, hi: int, size: int, total: int, margin: int) -> int:
    """Where a window of ``size`` over ``total`` cells should start to show [lo, hi).

    Stays put while [lo, hi) is at least ``margin`` inside it (or the edge is the plan's
    own edge), so a walker does not make the whole plan shift with every step; otherwise
    centres on it. A window as big as the plan starts at 0.
    """
    if total <= size:
        return 0
    last = total - size
    origin = min(max(origin, 0), last)
    inside_lo = lo >= origin + margin or origin == 0
    inside_hi = hi <= origin + size - margin or origin == last
    if inside_lo and inside_hi:
        return origin
    return min(max((lo + hi) // 2 - size // 2, 0), last)
