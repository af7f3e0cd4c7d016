"""The floor plan of the visual form: the room's squares with everyone in it, above the log.

Thirty people walking in one room send every viewer a stream of snapshots, and repaint cost
is the limit (research/render_cost.md). So the widget only queues what arrives
(:meth:`FloorPlan.offer`); the app's coalesced flush calls :meth:`FloorPlan.flush`, which
repaints at most once per ``min_interval`` with the newest snapshot, rebuilds only the rows
whose occupants changed, refreshes only the span of cells that differ, hands the compositor
prebuilt strips, and relayouts only when its height changes (room change, shown, hidden).

Squares are two cells wide. Avatars are ``@`` (players) or ``&`` (NPCs) plus the name's
first letter, the name label in the row above; speech replaces the label for
:data:`BUBBLE_SECONDS` (injectable clock). Names and speech are plain text, never markup.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from operator import itemgetter
from typing import ClassVar

from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from game.text import clean
from game.tui.plan_rows import (
    BUBBLE_MAX,
    LABEL_MAX,
    Cell,
    base_rows,
    build_strip,
    changed_span,
    fit,
)
from game.world.layout import Bubble, Layout, PlanView

BUBBLE_SECONDS = 6.0
PLAN_INTERVAL = 0.12
"""Seconds: the shortest gap between two plan repaints (bench/visual_bench.py)."""
_HIDE = object()


class FloorPlan(Widget, can_focus=False):
    """The room as a floor plan; hidden until a PlanView arrives, hidden again on None."""

    DEFAULT_CSS = """
    FloorPlan {
        display: none;
        height: auto;
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

    def __init__(
        self,
        viewer: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.viewer = viewer.lower()
        self.clock = clock
        self.view: PlanView | None = None
        self.bubbles: dict[str, tuple[str, float]] = {}  # speaker (lower) -> (text, expires)
        self._pending: object = None  # a PlanView, _HIDE, or None for "nothing new"
        self._pending_bubbles: list[Bubble] = []
        self._rows: list[list[Cell]] = []
        self._strips: list[Strip] = []
        self._styles: dict[str, Style] | None = None
        self._timer: Timer | None = None
        self._throttle: Timer | None = None
        self._last_redraw = float("-inf")
        self.min_interval = PLAN_INTERVAL
        self._base: tuple[Layout, int, list[list[Cell]]] | None = None
        self._row_cache: dict[int, tuple[object, list[Cell]]] = {}
        self._avatar_cells: dict[tuple[str, str], tuple[list[Cell], list[Cell]]] = {}
        self.repainted: list[Region] = []  # regions refreshed by the last flush (for tests)

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
                    self._throttle = self.set_timer(wait, self._throttled)
                return
        pending, self._pending = self._pending, None
        bubbles, self._pending_bubbles = self._pending_bubbles, []
        if pending is None and not bubbles:
            return
        if pending is _HIDE:
            self.view, self.bubbles, self._rows, self._strips = None, {}, [], []
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

    def _throttled(self) -> None:
        self._throttle = None
        self.flush()

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
        rows = self.compose_rows(self.view, max(self.size.width, 2 * self.view.layout.width))
        old = self._rows if len(self._rows) == len(rows) else []
        relayout = len(rows) != len(self._strips) or not self.has_class("-shown")
        styles = self._role_styles()
        background = self.background_colors[1]
        filters = [(f, background) for f in self.app.get_line_filters()]
        self.repainted = []
        strips = self._strips if old else [Strip.blank(0)] * len(rows)
        for y, row in enumerate(rows):
            if old and old[y] is row:
                continue
            span = changed_span(old[y] if old else [], row)
            if span is not None:
                strips[y] = build_strip(row, styles, filters)
                self.repainted.append(Region(span[0], y, span[1] - span[0], 1))
        self._rows, self._strips = rows, strips
        if relayout:
            self.add_class("-shown")
            self.refresh(layout=True)
        else:
            for region in self.repainted:
                self.refresh(region)
        self._schedule_expiry(now)

    def _schedule_expiry(self, now: float) -> None:
        if self._timer is not None or not self.bubbles or not self.is_mounted:
            return
        soonest = min(expires for _, expires in self.bubbles.values())
        self._timer = self.set_timer(max(0.05, soonest - now), self.expire)

    def compose_rows(self, view: PlanView, width: int) -> list[list[Cell]]:
        """The plan as rows of (char, role) cells: label row, the squares, the key line.

        The empty plan is built once per (layout, width). A row is rebuilt only when what
        is drawn on it changed (who stands there, whose label or bubble sits there);
        otherwise last frame's very list is reused, and redraw skips it by identity.
        """
        if self._base is None or self._base[0] is not view.layout or self._base[1] != width:
            self._base = (view.layout, width, base_rows(view.layout, width))
            self._row_cache = {}
        base = self._base[2]
        keys: list[list[tuple[int, str, str, int, str | None]]] = [[] for _ in base]
        for a in view.avatars:
            said = self.bubbles.get(a.name.lower())
            keys[a.y + 1].append((0, a.name, a.kind, a.x, None))
            keys[a.y].append((1, a.name, a.kind, a.x, said[0] if said else None))
        rows = []
        for y, entries in enumerate(keys):
            key = tuple(entries)
            cached = self._row_cache.get(y)
            if cached is None or cached[0] != key:
                cached = self._row_cache[y] = (key, self._draw_row(base[y], key, width))
            rows.append(cached[1])
        return rows

    def _draw_row(
        self, base: list[Cell], key: tuple[tuple[int, str, str, int, str | None], ...], width: int
    ) -> list[Cell]:
        if not key:
            return base
        row = list(base)
        taken: set[int] = set()
        for layer, name, kind, x, said in sorted(key, key=itemgetter(0)):  # glyphs first
            glyph, label = self._cells_for(name, kind)
            if layer == 0:
                row[2 * x : 2 * x + 2] = glyph
                taken.update((2 * x, 2 * x + 1))
                continue
            if said is not None:
                text = fit(f"{clean(name)}: {clean(said)}", BUBBLE_MAX)
                label = [(ch, "bubble") for ch in text]
            for i, cell in enumerate(label):
                if 2 * x + i < width and 2 * x + i not in taken:
                    row[2 * x + i] = cell
        del row[width:]  # an avatar on the last column never widens a row
        return row

    def _cells_for(self, name: str, kind: str) -> tuple[list[Cell], list[Cell]]:
        """An avatar's two glyph cells and its name label, cleaned once per name."""
        cached = self._avatar_cells.get((name, kind))
        if cached is None:
            plain = clean(name)
            role = "self" if name.lower() == self.viewer else kind
            glyph = ("@" if kind == "player" else "&") + (plain[:1] or "?")
            label = [(ch, "label") for ch in fit(plain, LABEL_MAX)]
            cached = self._avatar_cells[name, kind] = ([(c, role) for c in glyph], label)
        return cached

    def _role_styles(self) -> dict[str, Style]:
        if self._styles is None:
            base = self.rich_style
            self._styles = {
                role: base + self.get_component_rich_style(f"plan--{role}", partial=True)
                for role in self.ROLES
                if role != "void"
            }
            self._styles["void"] = base
        return self._styles

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._rows = []  # the theme changed: rebuild every strip on the next redraw

    def on_resize(self, event: events.Resize) -> None:
        self._rows = []
        self.redraw()

    # -- Line API ----------------------------------------------------------------------------------
    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._strips)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Hand the compositor the prebuilt strips (bypasses the styles cache, as the log
        does: no border, padding or scrollbar here, and filters are applied in _strip)."""
        width = self.size.width
        strips, count, lines = self._strips, len(self._strips), []
        for y in crop.line_range:
            strip = strips[y] if 0 <= y < count else Strip.blank(width, self.rich_style)
            if strip.cell_length != width:
                strip = strip.crop_extend(0, width, self.rich_style)
            lines.append(
                strip if crop.x == 0 and crop.width == width else strip.crop(crop.x, crop.right)
            )
        return lines

    def plain_rows(self) -> list[str]:
        """What the plan shows, as text (tests and debugging)."""
        return ["".join(ch for ch, _ in row).rstrip() for row in self._rows]
