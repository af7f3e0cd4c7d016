"""Room floor plans for the visual form: a grid of tile codes plus a legend.

Authors write, inside a room of ``rooms.yaml``::

    layout:
      grid: ["###N###", "#..F..#", "#######"]    # or a block of text: grid: |
      legend: {N: "door:north", F: "furniture:fountain"}

``#`` (wall), ``.`` (floor), ``~`` (water) and space (void, outside the room) need no legend
entry. Kinds: ``floor``, ``wall``, ``water``, ``void``, ``door:<exit direction>`` and
``furniture:<name>``. Problems point at the exact row and column in the YAML file, because
an author staring at a 20x10 grid needs to know *which* character is wrong.

Rooms without a layout get :func:`generated`, a plan built deterministically from the exits
and contents, so every room can be shown and walked in the visual form. This module is
pure data (no world state), so the TUI may draw a :class:`Layout` without importing more.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from game.world.directions import DIRECTIONS, OPPOSITE
from game.world.reader import Reader
from game.world.source import LocatedDict, LocatedList, Where, where_of

MAX_WIDTH = 30
MAX_HEIGHT = 16
KINDS = ("floor", "wall", "water", "void", "door", "furniture")
WALKABLE = frozenset({"floor", "door"})
DEFAULT_LEGEND = {"#": "wall", ".": "floor", "~": "water", " ": "void"}
_DIRECTION_WORDS = frozenset(DIRECTIONS.values()) | frozenset(OPPOSITE)


@dataclass(frozen=True, slots=True)
class Tile:
    """One kind of square; every square with the same legend code shares one Tile."""

    kind: str
    name: str = ""  # the exit direction of a door, the name of a piece of furniture
    code: str = "."

    @property
    def walkable(self) -> bool:
        return self.kind in WALKABLE


@dataclass(frozen=True, slots=True)
class Layout:
    """A room's floor plan: ``rows[y][x]`` is the tile at column x, row y (y grows south)."""

    rows: tuple[tuple[Tile, ...], ...]
    generated: bool = False

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    @property
    def height(self) -> int:
        return len(self.rows)

    def tile(self, x: int, y: int) -> Tile | None:
        if 0 <= y < len(self.rows) and 0 <= x < len(self.rows[y]):
            return self.rows[y][x]
        return None

    def cells(self) -> Iterable[tuple[int, int, Tile]]:
        for y, row in enumerate(self.rows):
            for x, tile in enumerate(row):
                yield x, y, tile

    def doors(self) -> dict[str, tuple[int, int]]:
        """Exit direction -> its door square (the first one, reading order)."""
        return {name: squares[0] for name, squares in self.named("door").items()}

    def furniture(self) -> dict[str, list[tuple[int, int]]]:
        return self.named("furniture")

    def named(self, kind: str) -> dict[str, list[tuple[int, int]]]:
        out: dict[str, list[tuple[int, int]]] = {}
        for x, y, tile in self.cells():
            if tile.kind == kind:
                out.setdefault(tile.name, []).append((x, y))
        return out


def parse_tile_kind(text: str) -> tuple[str, str] | str:
    """``"door:north"`` -> ("door", "north"); a problem message when it is not a kind."""
    kind, _, name = text.strip().partition(":")
    kind, name = kind.strip().lower(), name.strip()
    if kind not in KINDS:
        return f"unknown tile kind {kind!r} (kinds: {', '.join(KINDS)})"
    if kind == "door":
        name = DIRECTIONS.get(name.lower(), name.lower())
        if name not in _DIRECTION_WORDS:
            return f"door needs an exit direction, like door:north (got {text!r})"
    elif kind == "furniture":
        if not name:
            return f"furniture needs a name, like furniture:fountain (got {text!r})"
    elif name:
        return f"{kind!r} takes no name (got {text!r})"
    return kind, name


def parse_layout(reader: Reader, room: LocatedDict) -> Layout | None:
    """The room's ``layout:`` node as a Layout, or None after recording located problems."""
    node = room.get("layout")
    if node is None:
        return None
    raw_exits = room.get("exits")
    words = [str(d).strip().lower() for d in raw_exits] if isinstance(raw_exits, dict) else []
    exits = [DIRECTIONS.get(w, w) for w in words]
    if not isinstance(node, LocatedDict):
        reader.error(where_of(room, "layout"), "'layout' must be a mapping with grid and legend")
        return None
    reader.unknown_keys(node, {"grid", "legend"}, "layout")
    before = len(reader.problems)
    legend = _legend(reader, node)
    rows = _grid_rows(reader, node)
    if legend is None or rows is None:
        return None
    width = len(rows[0][1])
    tiles: list[tuple[Tile, ...]] = []
    for text, where in ((text, where) for where, text in rows):
        if len(text) != width:
            reader.error(where, f"row is {len(text)} squares wide; the first row is {width}")
            continue
        row = []
        for x, code in enumerate(text):
            tile = legend.get(code)
            if tile is None:
                spot = Where(where.path, where.line, where.col + x)
                reader.error(spot, f"tile code {code!r} is not in the legend")
                tile = Tile("void", code=code)
            row.append(tile)
        tiles.append(tuple(row))
    if len(reader.problems) > before:
        return None
    layout = Layout(tuple(tiles))
    _check_doors(reader, node, layout, exits, [where for where, _ in rows])
    if not any(t.walkable for _, _, t in layout.cells()):
        reader.error(node.where, "the layout has no floor to stand on")
    errors = [p for p in reader.problems[before:] if p.severity == "error"]
    return None if errors else layout


def _legend(reader: Reader, node: LocatedDict) -> dict[str, Tile] | None:
    """Codes -> tiles. A bad entry is reported and kept as void, so the grid is still
    checked (every problem in one pass) without a second complaint about that code."""
    legend = {code: Tile(kind, code=code) for code, kind in DEFAULT_LEGEND.items()}
    raw = node.get("legend", LocatedDict())
    if not isinstance(raw, LocatedDict):
        reader.error(where_of(node, "legend"), "'legend' must map tile codes to kinds")
        return None
    for code, value in raw.items():
        where = where_of(raw, code)
        if len(code) != 1:
            reader.error(where, f"tile code {code!r} must be a single character")
            continue
        parsed = parse_tile_kind(value) if isinstance(value, str) else "a kind must be text"
        if isinstance(parsed, str):
            reader.error(where, parsed)
            legend[code] = Tile("void", code=code)
            continue
        legend[code] = Tile(parsed[0], parsed[1], code)
    return legend


def _grid_rows(reader: Reader, node: LocatedDict) -> list[tuple[Where, str]] | None:
    """The grid's rows, each with the position of its first square in the file."""
    if "grid" not in node:
        reader.error(node.where, "missing required field 'grid'")
        return None
    grid = node["grid"]
    where = where_of(node, "grid")
    if isinstance(grid, str):
        texts = grid.rstrip("\n").split("\n")
    elif isinstance(grid, LocatedList) and all(isinstance(r, str) for r in grid):
        texts = list(grid)
    else:
        reader.error(where, "'grid' must be a list of rows (text), or a block of text")
        return None
    if not texts or not texts[0]:
        reader.error(where, "'grid' is empty")
        return None
    if len(texts) > MAX_HEIGHT or any(len(t) > MAX_WIDTH for t in texts):
        reader.error(where, f"the grid may be at most {MAX_WIDTH} wide and {MAX_HEIGHT} tall")
        return None
    try:
        lines = (reader.root.parent / where.path).read_text(encoding="utf-8").split("\n")
    except OSError:
        lines = []
    return list(zip(_locate(lines, where, texts), texts, strict=True))


def _locate(lines: list[str], where: Where, texts: list[str]) -> list[Where]:
    """Where each row starts in the file: searched in order from the grid's position, so
    block lists, flow lists and block text all point at the exact square."""
    out, line, col = [], where.line, where.col - 1
    for text in texts:
        hit = None
        for number in range(line, len(lines) + 1):
            found = lines[number - 1].find(text, col if number == line else 0)
            if found >= 0:
                hit = (number, found)
                break
        if hit is None:
            out.append(Where(where.path, line, where.col))
            continue
        out.append(Where(where.path, hit[0], hit[1] + 1))
        line, col = hit[0], hit[1] + len(text)
    return out


def _check_doors(
    reader: Reader, node: LocatedDict, layout: Layout, exits: Sequence[str], rows: list[Where]
) -> None:
    where = where_of(node, "grid")
    doors = layout.doors()
    for direction, (x, y) in doors.items():
        if direction not in exits:
            spot = Where(rows[y].path, rows[y].line, rows[y].col + x)
            reader.error(
                spot, f"door:{direction} in the grid, but the room has no exit {direction!r}"
            )
    for direction in exits:
        if direction not in doors:
            reader.warn(
                where, f"exit {direction!r} has no door square; players must type go {direction}"
            )


# -- generated plans -------------------------------------------------------------------------

GEN_WIDTH = 13
GEN_HEIGHT = 7
_MID_X, _MID_Y, _RIGHT, _BOTTOM = GEN_WIDTH // 2, GEN_HEIGHT // 2, GEN_WIDTH - 1, GEN_HEIGHT - 1
_SIDE_DOORS = {"north": (_MID_X, 0), "south": (_MID_X, _BOTTOM), "west": (0, _MID_Y)}
_SIDE_DOORS |= {"east": (_RIGHT, _MID_Y), "northwest": (2, 0), "northeast": (_RIGHT - 2, 0)}
_SIDE_DOORS |= {"southwest": (2, _BOTTOM), "southeast": (_RIGHT - 2, _BOTTOM)}
_OTHER_DOORS = ((4, 0), (GEN_WIDTH - 5, 0), (4, GEN_HEIGHT - 1), (GEN_WIDTH - 5, GEN_HEIGHT - 1))


def generated(exits: Sequence[str], features: Sequence[str] = ()) -> Layout:
    """A walled room with a door square per exit and the room's features as furniture.

    Deterministic: the same exits and features give the same plan, so every viewer and
    every restart agrees on where things are. Up, down, in and out take spare wall squares.
    """
    wall, floor = Tile("wall", code="#"), Tile("floor", code=".")
    grid = [
        [
            wall if x in (0, GEN_WIDTH - 1) or y in (0, GEN_HEIGHT - 1) else floor
            for x in range(GEN_WIDTH)
        ]
        for y in range(GEN_HEIGHT)
    ]
    spare = list(_OTHER_DOORS)
    for direction in exits:
        spot = _SIDE_DOORS.get(direction) or (spare.pop(0) if spare else None)
        if spot is not None and grid[spot[1]][spot[0]].kind == "wall":
            grid[spot[1]][spot[0]] = Tile("door", direction, direction[:1].upper())
    spots = [(3, 2), (GEN_WIDTH - 4, 2), (3, GEN_HEIGHT - 3), (GEN_WIDTH - 4, GEN_HEIGHT - 3)]
    for name, (x, y) in zip(features, spots, strict=False):
        grid[y][x] = Tile("furniture", name, name[:1].upper() or "*")
    return Layout(tuple(tuple(row) for row in grid), generated=True)


# -- what visual viewers are sent ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Avatar:
    """Someone standing on the plan; ``kind`` is "player" or "npc"."""

    name: str
    x: int
    y: int
    kind: str = "player"


@dataclass(frozen=True, slots=True)
class PlanView:
    """One room's plan with everyone in it: one immutable snapshot shared by all viewers."""

    room: str
    title: str
    layout: Layout
    avatars: tuple[Avatar, ...] = ()


@dataclass(frozen=True, slots=True)
class Bubble:
    """Something said aloud, shown briefly over the speaker."""

    name: str
    text: str
