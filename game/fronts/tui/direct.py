"""Paint a few changed spans of one widget straight to the terminal, skipping the compositor.

A step in a busy room changes a handful of cells in every viewer's floor plan. Through
Textual that is ``refresh(region)``, an idle message, the screen's update timer, and a
compositor pass that cuts every widget on the touched lines into chops and renders them:
about a third of a millisecond per viewer per frame, a quarter of the visual form's CPU with
thirty viewers (bench/visual_bench.py). When nothing can be drawn over the widget, the
compositor would only ever emit the widget's own strips at the widget's own position, so
this writes exactly that: a cursor move and the cropped strip per span, inside the same
synchronized-update brackets, ending with the same cursor move as ``App._display``.

It declines (returns False, and the caller refreshes through Textual instead) whenever that
reasoning might not hold: headless, during a batch update, when the widget's screen is not
the one shown, when a layout is pending (the widget may be about to move), when the widget
is clipped, or when any other visible widget that is not one of its ancestors overlaps it
(a toast, a tooltip, a docked panel). What it writes is what Textual would repaint anyway;
Textual keeps no copy of the screen to fall out of step with, and every later frame of the
widget still goes through ``render_lines``.

A log that scrolls moves every one of its rows. :func:`scroll_band` asks the terminal to do
that, as irssi and tmux do: a scroll region over the log's rows (DECSTBM, which every
terminal since the VT100 has) and a delete-line at its top, then the scrolled-in rows. The
region spans the whole width (left/right margins, DECSLRM, are missing from too many
terminals), so whatever sits beside the log on those rows (the room panel, the screen's
margins) moves too: each such row is written again only where what belongs there differs
from what the scroll brought up, which for blank panel rows and margins is never.

The private Textual state this reads (the app's driver and batch count, the screen's pending
layout and compositor) is reached through game/fronts/tui/textual_private.py, points 11-14.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from rich.cells import cell_len
from rich.console import Console
from textual.driver import Driver
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from game.fronts.tui.textual_private import (
    FrameLines,
    layout_pending,
    live_driver,
    visible_widgets,
    write_synchronized,
)


def paint_spans(widget: Widget, spans: Sequence[tuple[Region, Strip]]) -> bool:
    """Write each (one-row region in the widget's outer coordinates, padding and border
    included, that row's strip) now.

    Returns False, having written nothing, when the compositor must do it instead.
    """
    target = _target(widget)
    if target is None:
        return False
    app = widget.app
    driver, region = target
    console = app.console
    width, height = region.size
    x0, y0 = region.offset
    parts = []
    for span, strip in spans:
        x1, x2 = span.x, min(span.right, width)
        if x1 >= x2 or not 0 <= span.y < height:
            continue
        if x1 or x2 != strip.cell_length:
            strip = strip.crop(x1, x2)
        parts.append(f"\x1b[{y0 + span.y + 1};{x0 + x1 + 1}H")
        parts.append(strip.render(console))
    if not parts:
        return True
    cursor = widget.screen.outer_size.clamp_offset(app.cursor_position)
    parts.append(f"\x1b[{cursor.y + 1};{cursor.x + 1}H")
    write_synchronized(app, driver, "".join(parts))
    return True


Piece = tuple[int, int, Widget, int, int]
"""Cells ``x1..x2`` (screen columns) of one band row come from row ``y`` of this widget,
whose left edge is at screen column ``left``."""

_bands: WeakKeyDictionary[Widget, tuple[object, Region, _Plan | None]] = WeakKeyDictionary()
"""Per widget: the placement its band was worked out for, the widget's region, the plan."""


def scroll_band(widget: Widget, shift: int, rows: Sequence[Strip], fresh: int) -> bool:
    """Scroll the widget's rows up by ``shift`` on the terminal and write what that leaves
    wrong: the widget's rows from ``fresh`` down (from ``rows``, the widget's rows as they
    are to be, top to bottom, in its outer width), whatever beside the widget differs from
    what moved up beside it, and the whole of the rows scrolled in at the bottom.

    The terminal must show the widget's rows above ``fresh`` as they were before, shifted
    ``shift`` rows further up in ``rows``. Returns False, having written nothing, when it
    cannot be done this way (see :func:`paint_spans`, and: another widget beside it that
    is clipped or overlaps a third) or when writing the widget's rows in place is less.
    """
    target = _target(widget)
    if target is None:
        return False
    app = widget.app
    driver, region = target
    y0 = region.y
    width, height = region.size
    if not 0 < shift < height or len(rows) != height:
        return False
    fresh = max(0, fresh)
    plan = _band_plan(widget, region)
    if plan is None:
        return False
    lines: dict[Widget, list[Strip]] = {source: _lines_of(source) for source in plan.sources}
    moved = height - shift  # rows whose cells beside the widget moved up with them
    console = app.console
    parts = [f"\x1b[{y0 + 1};{y0 + height}r\x1b[{y0 + 1};1H\x1b[{shift}M\x1b[r"]
    parts += _fixups(plan, shift, lines, console)
    x0 = region.x
    for y in range(fresh, moved):  # new lines on moved rows: the widget's part only
        parts.append(f"\x1b[{y0 + y + 1};{x0 + 1}H{_fit(rows[y], width).render(console)}")
    for y in range(moved, height):  # scrolled in, blank: the whole row
        parts.append(f"\x1b[{y0 + y + 1};1H")
        for piece in plan.rows[y]:
            strip = _fit(rows[y], width) if piece[2] is widget else _cells(piece, lines)
            parts.append(strip.render(console))
    in_place = sum(len(_fit(row, width).render(console)) + 8 for row in rows)
    if sum(map(len, parts)) >= in_place:
        return False  # writing the widget's rows in place is less (their text is cached)
    cursor = widget.screen.outer_size.clamp_offset(app.cursor_position)
    parts.append(f"\x1b[{cursor.y + 1};{cursor.x + 1}H")
    write_synchronized(app, driver, "".join(parts))
    return True


def _fit(strip: Strip, width: int) -> Strip:
    return strip if strip.cell_length == width else strip.crop(0, width)


def _lines_of(source: Widget) -> list[Strip]:
    """All the rows of a widget, as the compositor would get them (kept, when it can)."""
    if isinstance(source, FrameLines):
        return source.whole_lines()
    width, height = source.outer_size
    return source.render_lines(Region(0, 0, width, height))


@dataclass
class _Plan:
    """Where each cell of the rows a widget spans comes from, and what a scroll of them
    leaves to repair beside it."""

    rows: list[list[Piece]]  # per row of the band, left to right across the screen
    sources: tuple[Widget, ...]  # what else shows on those rows (the screen included)
    top: int  # the screen row of the band's first row
    fixups: dict[int, tuple[tuple[list[Strip], ...], list[str]]] = field(default_factory=dict)
    """Per shift: the sources' lines they were made from, and the text to write."""


def _cells(piece: Piece, lines: Mapping[Widget, list[Strip]]) -> Strip:
    x1, x2, source, y, left = piece
    return lines[source][y].crop(x1 - left, x2 - left)


def _fixups(
    plan: _Plan, shift: int, lines: Mapping[Widget, list[Strip]], console: Console
) -> list[str]:
    """What to write on the rows that moved up by ``shift``: the cells beside the widget
    that differ from those that moved up with them. The same
    for every frame until the rows of another widget beside it change, so they are
    kept."""
    current = tuple(lines[source] for source in plan.sources)
    known = plan.fixups.get(shift)
    if known is not None and all(
        a is b or a == b for a, b in zip(known[0], current, strict=True)
    ):  # the same rows beside the widget (a screen re-rendered the same is common)
        return known[1]
    y0 = plan.top
    fixes: list[str] = []
    for y in range(len(plan.rows) - shift):
        here = [piece for piece in plan.rows[y] if piece[2] in lines]
        below = [piece for piece in plan.rows[y + shift] if piece[2] in lines]
        same_spans = [p[:2] for p in here] == [p[:2] for p in below]
        for n, piece in enumerate(here):
            strip = _cells(piece, lines)
            span = _changed(strip, _cells(below[n], lines)) if same_spans else (0, None)
            if span is None:
                continue
            x1, x2 = span
            if x1 or x2 is not None:
                strip = strip.crop(x1, strip.cell_length if x2 is None else x2)
            fixes.append(f"\x1b[{y0 + y + 1};{piece[0] + x1 + 1}H{strip.render(console)}")
    plan.fixups[shift] = (current, fixes)
    return fixes


def _changed(new: Strip, old: Strip) -> tuple[int, int | None] | None:
    """The cells ``x1..x2`` of ``new`` that differ from ``old`` (same width), widened so no
    wide character is cut; None when they are the same."""
    if new is old or new == old:
        return None
    a, b = _cell_list(new), _cell_list(old)
    if len(a) != len(b):
        return (0, None)
    first = next((x for x in range(len(a)) if a[x] != b[x]), None)
    if first is None:
        return None  # the same cells, cut into segments differently
    last = next(x for x in range(len(a) - 1, -1, -1) if a[x] != b[x])
    while first and a[first][0] == "":
        first -= 1  # the right half of a wide character: start at its left half
    end = last + 1
    while end < len(a) and a[end][0] == "":
        end += 1
    return (first, end)


def _cell_list(strip: Strip) -> list[tuple[str, object]]:
    """(character, style) per cell; the right half of a wide character is ``""``."""
    out: list[tuple[str, object]] = []
    for text, style, _ in strip:
        for char in text:
            out.append((char, style))
            if cell_len(char) == 2:
                out.append(("", style))
    return out


def _band_plan(widget: Widget, region: Region) -> _Plan | None:
    """The plan of the rows the widget spans, or None when another widget on those rows is
    clipped or overlaps a third. Kept until the compositor places the widgets again."""
    screen = widget.screen
    visible = visible_widgets(screen)
    known = _bands.get(widget)
    if known is not None and known[0] is visible and known[1] == region:
        return known[2]
    plan = _make_plan(widget, region, visible, screen)
    kept = known[2] if known is not None else None
    if plan is not None and kept is not None and kept.rows == plan.rows:
        plan = kept  # laid out anew, the same: keep what was worked out for it
    _bands[widget] = (visible, region, plan)
    return plan


def _make_plan(
    widget: Widget,
    region: Region,
    visible: Mapping[Widget, tuple[Region, Region]],
    screen: Widget,
) -> _Plan | None:
    if screen not in visible:
        return None
    screen_width = visible[screen][0].width
    band = Region(0, region.y, screen_width, region.height)
    beside: list[tuple[Widget, Region]] = []
    for other, (other_region, clip) in visible.items():
        if other is widget or other is screen or not other_region.overlaps(band):
            continue
        part = other_region.intersection(band)  # only these rows matter
        if other in widget.ancestors or clip.intersection(part) != part:
            return None  # a container around the log, or a widget cut by its parent
        if any(part.overlaps(seen.intersection(band)) for _, seen in beside):
            return None  # which one is on top is the compositor's business
        beside.append((other, other_region))
    rows = []
    for y in range(region.y, region.bottom):
        spans = [(region, widget)]
        spans += [(r, other) for other, r in beside if r.y <= y < r.bottom]
        spans.sort(key=lambda span: span[0].x)
        row: list[Piece] = []
        x = 0
        for r, source in spans:
            if r.x > x:
                row.append((x, r.x, screen, y, 0))
            row.append((r.x, min(r.right, screen_width), source, y - r.y, r.x))
            x = r.right
        if x < screen_width:
            row.append((x, screen_width, screen, y, 0))
        rows.append(row)
    return _Plan(rows, (screen, *(other for other, _ in beside)), region.y)


def _target(widget: Widget) -> tuple[Driver, Region] | None:
    """The driver to write to and where the widget is, when it may be painted directly."""
    driver = live_driver(widget.app)
    if driver is None:
        return None
    region = _uncovered(widget)
    return None if region is None else (driver, region)


_verdicts: WeakKeyDictionary[Widget, tuple[object, Region | None]] = WeakKeyDictionary()
"""Per widget: the compositor placement it was last judged on, and the verdict."""


def _uncovered(widget: Widget) -> Region | None:
    """Where ``widget`` is on screen when nothing else can be drawn over it, else None.

    The judgement depends only on the compositor's placement of the visible widgets, which
    Textual makes anew (a new mapping) whenever it lays the screen out again; so it is kept
    per widget and redone only when the mapping changes. What can change without a new
    placement (the app's screen, a headless app, a pending layout) is checked every time.
    """
    app = widget.app
    screen = widget.screen
    if app.is_headless or app.screen is not screen or layout_pending(screen):
        return None
    visible = visible_widgets(screen)
    known = _verdicts.get(widget)
    if known is not None and known[0] is visible:
        region = known[1]
    else:
        region = _judge(widget, visible)
        _verdicts[widget] = (visible, region)
    if region is None or region.size != widget.outer_size:
        return None
    return region


def _judge(widget: Widget, visible: Mapping[Widget, tuple[Region, Region]]) -> Region | None:
    geometry = visible.get(widget)
    if geometry is None:
        return None
    region, clip = geometry
    if clip.intersection(region) != region:
        return None
    for other, (other_region, _) in visible.items():
        overlaps = other is not widget and other_region.overlaps(region)
        if overlaps and other not in widget.ancestors:  # only overlapping ones are looked up
            return None
    return region
