"""Rendered log lines, shared by every TUI session of one server.

In a room of 100 players one ``say`` lands in 100 logs. Wrapping and styling it into
``Strip`` objects separately for each session was about a quarter of the server's CPU at that
size; with this cache the line is rendered once per distinct *look* and the other sessions
reuse the same strips (which also share their crop and ANSI caches with each other).

One ``LineCache`` is made per server (``runner.TuiFactory``) and handed to every session's
``ChatLog``; a session made without one gets its own, so nothing is shared by accident and
there is no module-level state. The floor plan shares its rows the same way, through a
``RenderCache`` of its own (``plan.PlanCache``).

The key must hold everything that changes the output, so two sessions only ever share
strips that are identical for both of them (see ``ChatLog._line_key``):

* the role and the plain text, and the width the line is wrapped to;
* the colour system: ``Strip.render`` caches its ANSI text on the strip without looking at
  the colour system again, so a 16-colour and a truecolor session must never share a strip;
* the widget's base style and the role's style (both follow the theme and the .tcss), the
  background colour, and the app's active line filters (with their terminal theme).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import Generic, TypeVar

from rich.style import Style
from textual.filter import LineFilter
from textual.strip import Strip
from textual.widget import Widget

DEFAULT_SIZE = 4096
"""Entries kept: a few screens of scrollback for every distinct width/colour in use."""

V = TypeVar("V")


class RenderCache(Generic[V]):
    """A bounded LRU from a render key to what was rendered (read-only once stored)."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._lines: OrderedDict[Hashable, V] = OrderedDict()
        self._looks: dict[Hashable, int] = {}

    def __len__(self) -> int:
        return len(self._lines)

    def get(self, key: Hashable) -> V | None:
        value = self._lines.get(key)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        self._lines.move_to_end(key)
        return value

    def intern(self, look: Hashable) -> int:
        """A small number standing for ``look`` (a long tuple that is slow to hash), the
        same for every caller, to put in keys instead of it. Looks are few: kept forever."""
        return self._looks.setdefault(look, len(self._looks))

    def put(self, key: Hashable, value: V) -> None:
        self._lines[key] = value
        self._lines.move_to_end(key)
        while len(self._lines) > self.size:
            self._lines.popitem(last=False)


LineCache = RenderCache[tuple[Strip, ...]]
"""The log's cache: a line's render key -> its wrapped strips."""


def look_key(widget: Widget, base: Style, filters: Sequence[LineFilter]) -> tuple[Hashable, ...]:
    """What, beside a line's own content and styles, decides its strips in ``widget``.

    The colour system, the widget's base style and background, and the line filters by kind
    and terminal theme (``LineFilter`` has no ``__eq__``; the theme object itself is in the
    key, so while cached its id cannot be taken by another theme).
    """
    kinds = tuple((type(f), getattr(f, "_terminal_theme", None)) for f in filters)
    return (widget.app.console.color_system, base, widget.background_colors[1], kinds)
