"""The floor plan of the visual form: the room's squares with everyone in it, above the log.

Cost is what matters here (research/render_cost.md): thirty people walking in one room send
every viewer a stream of snapshots. So the widget

* only queues what arrives (:meth:`FloorPlan.offer`); the app's coalesced flush calls
  :meth:`FloorPlan.flush` at most once per tick, which keeps only the newest snapshot;
* builds each screen row as plain (character, role) cells, compares it with the row on
  screen, and refreshes only the span of cells that changed (a step repaints two short
  spans, not the widget);
* never relayouts, except when its height changes (another room, shown or hidden).

Each square is two cells wide so the plan looks square. Avatars are ``@`` (players) or
``&`` (NPCs) and the name's first letter; the name label sits in the row above, and a speech
bubble replaces the label for :data:`BUBBLE_SECONDS` (the clock is injectable for tests).
All names and speech are plain text: cleaned of control characters, never parsed as markup.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from game.text import clean
from game.world.layout import Bubble, Layout, PlanView

BUBBLE_SECONDS = 6.0
LABEL_MAX = 12
BUBBLE_MAX = 28
Cell = tuple[str, str]  # (one character, role)
GLYPHS = {"wall": "██", "water": "≈≈", "door": "░░", "void": "  ", "floor": "  "}
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
    FloorPlan > .plan--floor-alt { background: $surface-lighten-1; }
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
        "floor-alt",
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
        """Apply the newest snapshot and new bubbles; repaint only the cells that changed."""
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

    def expire(self) -> None:
        """Drop bubbles whose time is up (called by a timer, or by tests with a fake clock)."""
        self._timer = None
        self.redraw()

    # -- drawing ---------------------------------------------------------------------------------
    def redraw(self) -> None:
        if self.view is None:
            return
        now = self.clock()
        self.bubbles = {k: v for k, v in self.bubbles.items() if v[1] > now}
        rows = self.compose_rows(self.view, max(self.size.width, 2 * self.view.layout.width))
        old = self._rows if len(self._rows) == len(rows) else []
        relayout = len(rows) != len(self._strips) or not self.has_class("-shown")
        styles = self._role_styles()
        self.repainted = []
        strips = self._strips if old else [Strip.blank(0)] * len(rows)
        for y, row in enumerate(rows):
            span = _changed_span(old[y] if old else [], row)
            if span is not None:
                strips[y] = _strip(row, styles)
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
        """The plan as rows of (char, role) cells: label row, the squares, the key line."""
        layout = view.layout
        rows: list[list[Cell]] = [[(" ", "void")] * width]
        for y, tiles in enumerate(layout.rows):
            row: list[Cell] = []
            for x, tile in enumerate(tiles):
                row.extend(_tile_cells(tile.kind, tile.code, (x + y) % 2))
            rows.append(row + [(" ", "void")] * max(0, width - len(row)))
        avatars = set()
        for avatar in view.avatars:
            row = rows[avatar.y + 1]
            mine = avatar.name.lower() == self.viewer
            role = "self" if mine else avatar.kind
            glyph = ("@" if avatar.kind == "player" else "&") + (clean(avatar.name)[:1] or "?")
            for i, ch in enumerate(glyph):
                if 2 * avatar.x + i < width:
                    row[2 * avatar.x + i] = (ch, role)
                    avatars.add((avatar.y + 1, 2 * avatar.x + i))
        for avatar in view.avatars:
            said = self.bubbles.get(avatar.name.lower())
            if said is not None:
                text, role = _fit(f"{clean(avatar.name)}: {clean(said[0])}", BUBBLE_MAX), "bubble"
            else:
                text, role = _fit(clean(avatar.name), LABEL_MAX), "label"
            y = avatar.y
            for i, ch in enumerate(text):
                x = 2 * avatar.x + i
                if x < width and (y, x) not in avatars:
                    rows[y][x] = (ch, role)
        rows.append(_key_row(layout, width))
        return [row[:width] for row in rows]

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

    def render_line(self, y: int) -> Strip:
        if 0 <= y < len(self._strips):
            strip = self._strips[y]
            width = self.size.width
            return strip if strip.cell_length == width else strip.crop_extend(0, width, None)
        return Strip.blank(self.size.width, self.rich_style)

    def plain_rows(self) -> list[str]:
        """What the plan shows, as text (tests and debugging)."""
        return ["".join(ch for ch, _ in row).rstrip() for row in self._rows]


def _tile_cells(kind: str, code: str, alt: int) -> list[Cell]:
    if kind == "furniture":
        return [(code, "furniture"), (code, "furniture")]
    role = "floor-alt" if kind == "floor" and alt else kind
    glyph = GLYPHS.get(kind, "  ")
    return [(glyph[0], role), (glyph[1], role)]


def _key_row(layout: Layout, width: int) -> list[Cell]:
    names = layout.furniture()
    parts = []
    for name, squares in sorted(names.items()):
        x, y = squares[0]
        tile = layout.rows[y][x]
        parts.append(f"{tile.code}{tile.code} {name}")
    text = _fit("  ".join(parts), width) if parts else ""
    row = [(ch, "key") for ch in text]
    return row + [(" ", "void")] * max(0, width - len(row))


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _strip(row: list[Cell], styles: dict[str, Style]) -> Strip:
    """One Segment per run of cells with the same role."""
    segments: list[Segment] = []
    run, role = "", ""
    for ch, r in row:
        if r != role and run:
            segments.append(Segment(run, styles[role]))
            run = ""
        run, role = run + ch, r
    if run:
        segments.append(Segment(run, styles[role]))
    return Strip(segments, len(row))


def _changed_span(old: list[Cell], new: list[Cell]) -> tuple[int, int] | None:
    """[first, last+1) of the cells that differ, or None when the rows are equal."""
    if not old or len(old) != len(new):
        return (0, len(new)) if new else None
    first = next((i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b), None)
    if first is None:
        return None
    last = next(i for i in range(len(new) - 1, -1, -1) if old[i] != new[i])
    return first, last + 1
