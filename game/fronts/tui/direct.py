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

The private Textual state this reads (the app's driver and batch count, the screen's pending
layout and compositor) is reached through game/fronts/tui/textual_private.py, points 11-14.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from weakref import WeakKeyDictionary

from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from game.fronts.tui.textual_private import (
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
    app = widget.app
    driver = live_driver(app)
    if driver is None:
        return False
    region = _uncovered(widget)
    if region is None:
        return False
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
