"""The floor plan of the visual form: the room's squares with everyone in it, above the log.

Thirty people walking in one room send every viewer a stream of snapshots, and repaint cost
is the limit (research/render_cost.md). So the widget only queues what arrives
(:meth:`FloorPlan.offer`); the app's coalesced flush calls :meth:`FloorPlan.flush`, which
repaints at most once per ``min_interval`` with the newest snapshot, rebuilds only the rows
whose occupants changed (drawn once for all viewers who see them alike), repaints only the
span of cells that differ (straight to the terminal when nothing covers the plan:
:mod:`game.fronts.tui.direct`), hands the compositor prebuilt strips, and relayouts only when its
height changes (room change, shown, hidden).

Squares are two cells wide. Avatars are ``@`` (players) or ``&`` (NPCs) plus the first
letter of the name proper (``&g`` for "the guard"), the name label in the row above, or
below when a wall is above: labels cover floor only. For :data:`BUBBLE_SECONDS` (injectable
clock) a speaker's label is highlighted and the words show under the plan, wrapped to its
width. Names and speech are plain text, never markup.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Hashable
from operator import itemgetter
from typing import ClassVar, NamedTuple

from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from game.core.text import clean
from game.fronts.tui.direct import paint_spans
from game.fronts.tui.linecache import RenderCache, look_key
from game.fronts.tui.plan_rows import (
    LABEL_MAX,
    LABEL_ROLES,
    Cell,
    base_rows,
    build_strip,
    changed_span,
    filtered_styles,
    fit,
    follow,
    label_fits,
    proper,
    speech_rows,
)
from game.world.layout import Bubble, Layout, PlanView

BUBBLE_SECONDS = 6.0
PLAN_INTERVAL = 0.07
"""Seconds: the shortest gap between two plan repaints. With 30 walkers and 30 viewers
(bench/visual_bench.py) 0.12 s gave movement p95 148 ms at 18% CPU; 0.07 s gives 95 ms at
20%; 0.05 s gave 78 ms at 23%, the fixed cost of moves and messages dominating by then."""
PLAN_CACHE_SIZE = 2048
"""Rows kept: every row of a few busy rooms' current snapshots, for each look."""
_HIDE = object()
RowKey = tuple[tuple[int, str, str, int, str | None], ...]
"""What stands on one row: (layer, name, kind, x, speech) per avatar glyph or label."""


class PlanRow(NamedTuple):
    """One drawn row: its cells (to find what changed) and its strip (to paint)."""

    cells: list[Cell]
    strip: Strip


PlanCache = RenderCache[tuple[PlanRow, Layout]]
"""Rows shared by every viewer who sees the same row the same way (the Layout is kept in
the value so the ``id()`` in the key cannot be reused while the entry lives)."""


class FloorPlan(Widget, can_focus=False):
    """The room as a floor plan; hidden until a PlanView arrives, hidden again on None."""

    DEFAULT_CSS = """
    FloorPlan {
        display: none;
        height: auto;
        max-height: 60%;
        background: $surface;
    }
    FloorPlan.-shown { display: block; }
    FloorPlan > .plan--floor { background: $surface; }
    FloorPlan > .plan--wall { color: $foreground-muted; }
    FloorPlan > .plan--water { color: $primary; background: $surface-lighten-1; }
    FloorPlan > .plan--door { color: $warning; }
    FloorPlan > .plan--furniture { color: $secondary; text-style: bold; }
    FloorPlan > .plan--player { color: $text-success; text-style: bold; }
    FloorPlan > .plan--npc { color: $text-warning; text-style: bold; }
    FloorPlan > .plan--self { color: $text-accent; text-style: bold reverse; }
    FloorPlan > .plan--label { color: $text-muted; }
    FloorPlan > .plan--bubble { color: $foreground; background: $panel; }
    FloorPlan > .plan--key { color: $text-muted; text-style: italic; }
    """
    ROLES: ClassVar[tuple[str, ...]] = (
        "floor",
        "wall",
        "water",
        "door",
        "void",
        "furniture",
        "player",
        "npc",
        "self",
        "label",
        "bubble",
        "key",
    )
    COMPONENT_CLASSES: ClassVar[set[str]] = {f"plan--{r}" for r in ROLES if r != "void"}

    class Due(Message):
        """The throttle's wait is over: repaint with what is queued."""

    def __init__(
        self,
        viewer: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        cache: PlanCache | None = None,
        id: str | None = None,
    ) -> None:
        """``cache``: rows shared with the other viewers (``TuiFactory.plan_cache``)."""
        super().__init__(id=id)
        self.viewer = viewer.lower()
        self.clock = clock
        self.cache = PlanCache(PLAN_CACHE_SIZE) if cache is None else cache
        self.view: PlanView | None = None
        self.bubbles: dict[str, tuple[str, float]] = {}  # speaker (lower) -> (text, expires)
        self._pending: object = None  # a PlanView, _HIDE, or None for "nothing new"
        self._pending_bubbles: list[Bubble] = []
        self._rows: list[PlanRow] = []
        self._height = 0  # rows the plan was last laid out with
        self._restyled = False  # the look changed: the next redraw repaints every row
        self._origin = (0, 0)  # the window's top-left cell, when the plan is bigger than it
        self._styles: tuple[dict[str, Style], Hashable] | None = None
        self._styles_for: tuple[object, ...] = ()  # the line filters _styles was made with
        self._timer: Timer | None = None
        self._throttle: asyncio.TimerHandle | None = None
        self._last_redraw = float("-inf")
        self.min_interval = PLAN_INTERVAL
        self._base: tuple[Layout, int, list[list[Cell]]] | None = None
        self._row_cache: dict[int, tuple[RowKey, PlanRow]] = {}  # y -> this viewer's row
        self._avatar_cells: dict[tuple[str, str], tuple[list[Cell], list[Cell]]] = {}
        self._speech: dict[Hashable, list[PlanRow]] = {}  # a speaker's words, drawn once
        self.repainted: list[Region] = []  # regions refreshed by the last flush (for tests)
        self.direct_frames = 0  # frames painted without the compositor (game/fronts/tui/direct.py)

    # -- arriving data (queued; applied by flush) ----------------------------------------------
    def offer(self, data: object) -> None:
        if isinstance(data, Bubble):
            self._pending_bubbles.append(data)
        elif isinstance(data, PlanView):
            self._pending = data
        elif data is None:
            self._pending = _HIDE

    @property
    def shown(self) -> bool:
        return self.view is not None

    def flush(self) -> None:
        """Apply the newest snapshot and new bubbles; repaint only the cells that changed.

        At most one plan repaint per ``min_interval``: a flush that comes sooner keeps what
        is queued and sets a timer, so a busy room costs each viewer a bounded frame rate.
        """
        if self._pending is None and not self._pending_bubbles:
            return
        if self._pending is not _HIDE and self.min_interval > 0 and self.is_mounted:
            wait = self._last_redraw + self.min_interval - time.monotonic()
            if wait > 0:
                if self._throttle is None:
                    # a loop timer, not set_timer: a Textual Timer is a new task each time
                    loop = asyncio.get_running_loop()
                    self._throttle = loop.call_later(wait, self.post_message, self.Due())
                return
        pending, self._pending = self._pending, None
        bubbles, self._pending_bubbles = self._pending_bubbles, []
        if pending is None and not bubbles:
            return
        if pending is _HIDE:
            self.view, self.bubbles, self._rows, self._height = None, {}, [], 0
            self.remove_class("-shown")
            return
        if isinstance(pending, PlanView):
            if self.view is None or self.view.room != pending.room:
                self.bubbles = {}
            self.view = pending
        now = self.clock()
        for bubble in bubbles:
            self.bubbles[bubble.name.lower()] = (bubble.text, now + BUBBLE_SECONDS)
        self.redraw()

    def on_mount(self) -> None:
        self.flush()  # what arrived before the app mounted this (the first plan)

    def on_floor_plan_due(self, _: Due) -> None:
        self._throttle = None
        self.flush()

    def on_unmount(self) -> None:
        if self._throttle is not None:
            self._throttle.cancel()
            self._throttle = None

    def expire(self) -> None:
        """Drop bubbles whose time is up (called by a timer, or by tests with a fake clock)."""
        self._timer = None
        self.redraw()

    # -- drawing ---------------------------------------------------------------------------------
    def redraw(self) -> None:
        if self.view is None:
            return
        self._last_redraw = time.monotonic()
        now = self.clock()
        self.bubbles = {k: v for k, v in self.bubbles.items() if v[1] > now}
        size = self.size
        rows = self.compose_rows(self.view, max(size.width, 2 * self.view.layout.width))
        origin = self._follow_viewer(self.view, rows, size)
        same = not self._restyled and len(self._rows) == len(rows) and origin == self._origin
        old = self._rows if same else []
        self._restyled = False
        relayout = len(rows) != self._height or not self.has_class("-shown")
        self.repainted = []
        window = Region(*origin, *size)
        whole = origin == (0, 0) and len(rows) <= size.height  # rows are never narrower
        for y, row in enumerate(rows):
            if old and old[y] is row:
                continue
            span = changed_span(old[y].cells if old else [], row.cells)
            if span is None:
                continue
            changed = Region(span[0], y, span[1] - span[0], 1)
            if not whole:  # only what the window shows, where it shows it
                changed = changed.intersection(window).translate((-origin[0], -origin[1]))
            if changed.area:
                self.repainted.append(changed)
        self._rows, self._height, self._origin = rows, len(rows), origin
        if relayout:
            self.add_class("-shown")
            self.refresh(layout=True)
        elif not old:
            self.refresh()  # resized, restyled or scrolled: every row again
        elif paint_spans(self, [(r, self._window_strip(r.y, size.width)) for r in self.repainted]):
            self.direct_frames += 1
        else:
            for region in self.repainted:
                self.refresh(region)
        self._schedule_expiry(now)

    def _follow_viewer(self, view: PlanView, rows: list[PlanRow], size: Size) -> tuple[int, int]:
        """The window's origin: where it was, unless the viewer walked near its edge.

        A plan can be wider than the space beside the room panel (30 squares are 60
        columns) or taller than 60% of the screen (``max-height``); the window then follows
        the viewer's own avatar and name, two columns (one square) at a time.
        """
        width, height = size
        total = len(rows[0].cells) if rows else 0
        if not width or not height or (total <= width and len(rows) <= height):
            return (0, 0)
        me = next((a for a in view.avatars if a.name.lower() == self.viewer), None)
        if me is None:
            return self._origin
        x = follow(self._origin[0], 2 * me.x, 2 * me.x + LABEL_MAX, width, total, 4)
        y = follow(self._origin[1], me.y, me.y + 2, height, len(rows), 1)
        return (x - x % 2, y)

    def _window_strip(self, y: int, width: int) -> Strip:
        """Row ``y`` of what the widget shows: a plan row cut to the window, or blank."""
        ox, oy = self._origin
        if not 0 <= y + oy < len(self._rows):
            return Strip.blank(width, self.rich_style)
        strip = self._rows[y + oy].strip
        if ox or strip.cell_length != width:
            strip = strip.crop_extend(ox, ox + width, self.rich_style)
        return strip

    def _schedule_expiry(self, now: float) -> None:
        if self._timer is not None or not self.bubbles or not self.is_mounted:
            return
        soonest = min(expires for _, expires in self.bubbles.values())
        self._timer = self.set_timer(max(0.05, soonest - now), self.expire)

    def compose_rows(self, view: PlanView, width: int) -> list[PlanRow]:
        """The plan as rows of (char, role) cells with their strips: label row, the squares,
        the key line.

        The empty plan is built once per (layout, width). A row is looked up again only when
        what is drawn on it changed (who stands there, whose label or bubble sits there);
        otherwise last frame's very row is reused, and redraw skips it by identity. A row
        is drawn once for all viewers who see it alike (see :meth:`_shared_row`).
        """
        if self._base is None or self._base[0] is not view.layout or self._base[1] != width:
            self._base = (view.layout, width, base_rows(view.layout, width))
            self._row_cache = {}
        base = self._base[2]
        styles, look = self._role_styles()  # may forget _row_cache: the look changed
        keys: list[list[tuple[int, str, str, int, str | None]]] = [[] for _ in base]
        spoken: list[tuple[float, str, str]] = []
        for a in view.avatars:
            said = self.bubbles.get(a.name.lower())
            keys[a.y + 1].append((0, a.name, a.kind, a.x, None))
            if said:
                spoken.append((said[1], a.name, said[0]))
            above, below = a.y, a.y + 2
            if label_fits(base[above], a.x):
                keys[above].append((1, a.name, a.kind, a.x, said[0] if said else None))
            elif below < len(base) - 1 and label_fits(base[below], a.x):
                keys[below].append((1, a.name, a.kind, a.x, said[0] if said else None))
        rows = []
        for y, entries in enumerate(keys):
            key = tuple(entries)
            cached = self._row_cache.get(y)
            if cached is None or cached[0] != key:
                row = self._shared_row(view.layout, width, y, base[y], key, (styles, look))
                cached = self._row_cache[y] = (key, row)
            rows.append(cached[1])
        for _, name, words in sorted(spoken):  # the words under the plan, oldest first
            speech = (width, name, words, look)
            lines = self._speech.get(speech)
            if lines is None:
                if len(self._speech) > 32:
                    self._speech.clear()
                cells = speech_rows(clean(name), clean(words), width)
                lines = self._speech[speech] = [PlanRow(c, build_strip(c, styles)) for c in cells]
            rows.extend(lines)
        return rows

    def _shared_row(
        self,
        layout: Layout,
        width: int,
        y: int,
        base: list[Cell],
        key: RowKey,
        looks: tuple[dict[str, Style], Hashable],
    ) -> PlanRow:
        """The row from the cache every viewer shares, drawn on a miss.

        Viewers differ only in their own avatar's colour and in their look (colour system,
        theme, filters), so both are in the key; thirty people watching one room draw each
        row once, not thirty times, and share its strip's crop and ANSI caches too.
        """
        styles, look = looks
        mine = any(layer == 0 and name.lower() == self.viewer for layer, name, *_ in key)
        cache_key = ("plan", id(layout), width, y, key, self.viewer if mine else None, look)
        cached = self.cache.get(cache_key)
        if cached is None:
            cells = self._draw_row(base, key, width)
            cached = (PlanRow(cells, build_strip(cells, styles)), layout)
            self.cache.put(cache_key, cached)
        return cached[0]

    def _draw_row(self, base: list[Cell], key: RowKey, width: int) -> list[Cell]:
        """Glyphs first; then each label or bubble, left to right, up to the first glyph
        in its way or one cell before the next label, cut with "…" (a label of one letter
        would read as part of a glyph: "@ab" for ana with bob's label behind her), and one
        cell further right when a glyph ends just before it."""
        if not key:
            return base
        row = list(base)
        taken: set[int] = set()
        for _, name, kind, x, _ in (entry for entry in key if entry[0] == 0):
            row[2 * x : 2 * x + 2] = self._cells_for(name, kind)[0]
            taken.update((2 * x, 2 * x + 1))
        labels = sorted((entry for entry in key if entry[0] == 1), key=itemgetter(3))
        for i, (_, name, kind, x, said) in enumerate(labels):
            cells = self._cells_for(name, kind)[1]
            if said is not None:  # speaking: the label lights up, the words go under the plan
                cells = [(ch, "bubble") for ch, _ in cells]
            start = 2 * x + (2 * x - 1 in taken)  # a space after a glyph: "@a bob", not "@abob"
            end = min(width, 2 * labels[i + 1][3] - 1) if i + 1 < len(labels) else width
            fits = 0
            while (
                fits < len(cells)
                and start + fits < end
                and start + fits not in taken
                and base[start + fits][1] in LABEL_ROLES  # never over a wall
            ):
                fits += 1
            if fits < len(cells):
                cells = [*cells[: fits - 1], ("…", cells[0][1])] if fits >= 2 else []
            row[start : start + len(cells)] = cells
        del row[width:]  # an avatar on the last column never widens a row
        return row

    def _cells_for(self, name: str, kind: str) -> tuple[list[Cell], list[Cell]]:
        """An avatar's two glyph cells and its name label, cleaned once per name."""
        cached = self._avatar_cells.get((name, kind))
        if cached is None:
            plain = proper(clean(name))
            role = "self" if name.lower() == self.viewer else kind
            glyph = ("@" if kind == "player" else "&") + (plain[:1] or "?")
            label = [(ch, "label") for ch in fit(plain, LABEL_MAX)]
            cached = self._avatar_cells[name, kind] = ([(c, role) for c in glyph], label)
        return cached

    def _role_styles(self) -> tuple[dict[str, Style], Hashable]:
        """Each role's style with the line filters applied, and the key of that look."""
        filters = tuple(self.app.get_line_filters())
        if self._styles is None or filters != self._styles_for:
            base = self.rich_style
            styles = {
                role: base + self.get_component_rich_style(f"plan--{role}", partial=True)
                for role in self.ROLES
                if role != "void"
            }
            styles["void"] = base
            background = self.background_colors[1]
            styles = filtered_styles(styles, [(f, background) for f in filters])
            look = self.cache.intern((look_key(self, base, filters), tuple(styles.items())))
            self._styles, self._styles_for = (styles, look), filters
            self._row_cache = {}  # rows drawn with the old look
        return self._styles

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        # The theme may have changed: the next redraw repaints every row. The rows stay
        # until then, so a frame drawn meanwhile is not blank.
        self._restyled = True

    def on_resize(self, event: events.Resize) -> None:
        self._rows = []
        self.redraw()

    # -- Line API ----------------------------------------------------------------------------------
    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # The rows the plan was last laid out with. A style update used to empty the rows
        # before the next redraw, and a layout landing in between gave the plan no height,
        # with nothing to lay it out again (the visual e2e test's rare lost plan).
        return self._height

    def render_lines(self, crop: Region) -> list[Strip]:
        """Hand the compositor the prebuilt strips (bypasses the styles cache, as the log
        does: no border, padding or scrollbar here, and the role styles are pre-filtered)."""
        width = self.size.width
        full = crop.x == 0 and crop.width == width
        lines = []
        for y in crop.line_range:
            strip = self._window_strip(y, width)
            lines.append(strip if full else strip.crop(crop.x, crop.right))
        return lines

    def plain_rows(self) -> list[str]:
        """The whole plan, as text (tests and debugging)."""
        return ["".join(ch for ch, _ in row.cells).rstrip() for row in self._rows]

    def visible_rows(self) -> list[str]:
        """What the widget shows of the plan (its window), as text."""
        (ox, oy), (width, height) = self._origin, self.size
        rows = self.plain_rows()[oy : oy + height]
        return [row[ox : ox + width].rstrip() for row in rows]
