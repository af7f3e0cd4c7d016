"""Work-arounds for Textual 8.2 assumptions that hold for one app per process, not many.

(pyproject pins textual to 8.2.x; the driver's parser subclass and the shared streams in
``streams.py`` are the other two. Re-check all three on any Textual upgrade.)

Colour depth: Textual renders a style to SGR codes once and caches the result *on the Rich
Style object* (``style._ansi``), then reuses it whatever colour system the next console asks
for. Styles are shared between apps (Rich and Textual cache them), so in a server with a
truecolor player and a 16-colour player the first one to draw a style decides its codes for
both. The replacement below looks the codes up in Textual's own cache keyed by (style, colour
system), which is what the original does on a miss anyway.

The same goes one level up: ``Strip.render`` caches a strip's whole ANSI text on the strip,
and strips are shared between apps too (``Strip.blank`` is an ``lru_cache``; the TUI's
``LineCache`` shares log lines on purpose). The replacement tags the cached text with the
colour system it was made for and renders again for any other.

Speed, not correctness: ``ChopsUpdate.render_segments`` (the text of every partial frame)
builds a ``rich.control.Control`` object per line only to read back ``ESC[y;xH``; with a
hundred sessions that was ~8% of the server's CPU. The replacement writes the same bytes
directly (tests/tui/test_compat.py checks it against the original).
"""

from __future__ import annotations

from functools import cache

from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style
from textual._compositor import ChopsUpdate
from textual.strip import Strip


class _Rendered(str):
    """A strip's ANSI text, tagged with the colour system it was rendered for."""

    color_system: ColorSystem


def _render(self: Strip, console: Console) -> str:
    """``Strip.render`` whose cache is only reused for the same colour system."""
    color_system = console._color_system or ColorSystem.TRUECOLOR
    cached = self._render_cache
    if isinstance(cached, _Rendered) and cached.color_system is color_system:
        return cached
    render = self.render_style
    text = _Rendered(
        "".join(
            [
                text if style is None else render(style, text, color_system=color_system)
                for text, style, _ in self._segments
            ]
        )
    )
    text.color_system = color_system
    self._render_cache = text  # a joined strip's cache is a plain str: a miss here
    return text


def _render_style(cls: type[Strip], style: Style, text: str, color_system: ColorSystem) -> str:
    """``Strip.render_style`` without the colour-system-blind shortcut through ``_ansi``."""
    ansi = cls.render_ansi(style, color_system)
    output = f"\x1b[{ansi}m{text}\x1b[0m" if ansi else text
    if style._link:
        output = f"\x1b]8;id={style._link_id};{style._link}\x1b\\{output}\x1b]8;;\x1b\\"
    return output


def _render_segments(self: ChopsUpdate, console: Console) -> str:
    """``ChopsUpdate.render_segments`` with the cursor moves written as plain strings."""
    sequences: list[str] = []
    append = sequences.append
    chops = self.chops
    chop_ends = self.chop_ends
    last_y = self.spans[-1][0]
    for y, x1, x2 in self.spans:
        line = chops[y]
        ends = chop_ends[y]
        row = y + 1
        for end, (x, strip) in zip(ends, line.items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            if not (x2 > x >= x1 and end <= x2):
                strip = strip.crop(0, min(end, x2) - x)
            append(f"\x1b[{row};{x + 1}H")
            append(strip.render(console))
        if y != last_y:
            append("\n")
    return "".join(sequences)


@cache
def patch_colour_rendering() -> None:
    """Apply the patch once per process (cached: later calls do nothing)."""
    setattr(Strip, "render_style", classmethod(_render_style))  # noqa: B010
    setattr(Strip, "render", _render)  # noqa: B010
    setattr(ChopsUpdate, "render_segments", _render_segments)  # noqa: B010
