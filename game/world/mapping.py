"""Maps of an area for authors: a text grid from room coordinates, or Graphviz DOT.

The text map numbers the rooms and draws links between neighbours; the legend below it
names every room, so the same information is there in words for anyone who cannot use
the picture. Exits that do not join grid neighbours are listed under the legend.
"""

from __future__ import annotations

from game.world.model import Content, Room

STEP = {
    "north": (0, 1),
    "south": (0, -1),
    "east": (1, 0),
    "west": (-1, 0),
    "northeast": (1, 1),
    "northwest": (-1, 1),
    "southeast": (1, -1),
    "southwest": (-1, -1),
}
LINK = {(1, 0): "-", (0, 1): "|", (1, 1): "/", (-1, 1): "\\"}


def area_rooms(content: Content, area: str) -> list[Room]:
    return [r for r in content.rooms.values() if r.area == area]


def text_map(content: Content, area: str, only: set[str] | None = None) -> str:
    """The area as a grid with a numbered legend. ``only``: just these rooms (a player's
    explored part), with the legend in the player's words (no ids or coordinates)."""
    rooms = [r for r in area_rooms(content, area) if only is None or r.id in only]
    number = {room.id: i for i, room in enumerate(rooms, 1)}
    placed: dict[tuple[int, int, int], Room] = {}
    hidden: list[Room] = []  # a room where another already stands: listed, not drawn
    for r in rooms:
        if r.coordinates in placed:
            hidden.append(r)
        elif r.coordinates is not None:
            placed[r.coordinates] = r
    title = content.areas[area].title
    out = [
        f"Map of {title} ({area}), {len(rooms)} rooms"
        if only is None
        else f"Map of {title}: the {len(rooms)} rooms you have explored"
    ]
    levels = sorted({c[2] for c in placed})
    for z in levels:
        level = {(x, y): r for (x, y, zz), r in placed.items() if zz == z}
        xs = [x for x, _ in level]
        ys = [y for _, y in level]
        out.append("")
        out.append(f"Level {z}:")
        width = (max(xs) - min(xs)) * 2 + 1
        grid: dict[tuple[int, int], str] = {}
        for (x, y), room in level.items():
            col, row = (x - min(xs)) * 2, (max(ys) - y) * 2
            grid[col, row] = f"[{number[room.id]:>2}]"
            for ex in room.exits:
                step = STEP.get(ex.direction)
                target = content.rooms.get(ex.to)
                if step is None or target is None or target.coordinates is None:
                    continue
                if only is not None and target.id not in only:
                    continue
                if target.coordinates != (x + step[0], y + step[1], z):
                    continue
                key = (abs(step[0]), step[1] * (1 if step[0] >= 0 else -1))
                key = key if key in LINK else (-key[0], -key[1])
                grid[col + step[0], row - step[1]] = LINK.get(key, "+").center(4)
        for row in range((max(ys) - min(ys)) * 2 + 1):
            line = "".join(grid.get((col, row), "    ") for col in range(width))
            out.append(line.rstrip())
    out.append("")
    out.append("Rooms:")
    for room in rooms:
        if only is not None:
            out.append(f"{number[room.id]:>3}. {room.title}")
            continue
        where = "" if room.coordinates is None else f" at {list(room.coordinates)}"
        brief = f": {room.brief}" if room.brief else ""
        out.append(f"{number[room.id]:>3}. {room.title} ({room.id}){where}{brief}")
    if only is not None:
        return "\n".join(out) + "\n"
    if hidden:
        out.append("")
        out.append("Rooms not drawn: another room has the same coordinates (see content check):")
        out.extend(
            f"  {number[r.id]}. {r.id} at {list(r.coordinates or ())}, drawn there:"
            f" {placed[r.coordinates].id}"
            for r in hidden
            if r.coordinates is not None
        )
    odd = [
        f"{room.id} {ex.direction} -> {ex.to}"
        for room in rooms
        for ex in room.exits
        if not _drawn(content, room, ex.direction, ex.to)
    ]
    if odd:
        out.append("")
        out.append("Exits not drawn (up, down, other areas or not neighbours):")
        out.extend(f"  {line}" for line in odd)
    return "\n".join(out) + "\n"


def _drawn(content: Content, room: Room, direction: str, to: str) -> bool:
    target = content.rooms.get(to)
    step = STEP.get(direction)
    if step is None or target is None or room.coordinates is None or target.coordinates is None:
        return False
    x, y, z = room.coordinates
    return target.area == room.area and target.coordinates == (x + step[0], y + step[1], z)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot_map(content: Content, area: str) -> str:
    """A Graphviz digraph: one node per room, one edge per exit, other areas greyed."""
    rooms = area_rooms(content, area)
    lines = [f"digraph {_quote(area)} {{", f"  label={_quote(content.areas[area].title)};"]
    lines.append("  node [shape=box];")
    outside: set[str] = set()
    for room in rooms:
        lines.append(f"  {_quote(room.id)} [label={_quote(room.title)}];")
    for room in rooms:
        for ex in room.exits:
            if ex.to not in content.rooms or content.rooms[ex.to].area != area:
                outside.add(ex.to)
            style = ", style=dashed" if ex.door is not None or ex.requires else ""
            lines.append(
                f"  {_quote(room.id)} -> {_quote(ex.to)} [label={_quote(ex.direction)}{style}];"
            )
    for ref in sorted(outside):
        lines.append(f"  {_quote(ref)} [color=grey, fontcolor=grey];")
    lines.append("}")
    return "\n".join(lines) + "\n"
