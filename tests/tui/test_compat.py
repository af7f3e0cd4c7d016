"""The Textual patches in game/tui/compat.py give the same bytes as the originals."""

from __future__ import annotations

from rich.control import Control
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate
from textual.strip import Strip

from game.tui.app import session_console
from game.tui.compat import patch_colour_rendering


def test_frame_text_has_the_same_cursor_moves_and_crops_as_textual() -> None:
    patch_colour_rendering()
    console = session_console("truecolor")
    red = Style(color="red")
    log = Strip([Segment("hello world", red)], 11)
    panel = Strip([Segment("panel", None)], 5)
    # Row 0: log chop at x=0 (ends at 11) and panel chop at 11; row 2: only the log is in
    # the span, and the span ends inside the log chop, so it is cropped.
    chops: list[dict[int, Strip | None]] = [{0: log, 11: panel}, {0: None}, {0: log, 11: panel}]
    ends = [[11, 16], [16], [11, 16]]
    update = ChopsUpdate(chops, [(0, 0, 16), (2, 0, 6)], ends)
    expected = (
        Control.move_to(0, 0).segment.text
        + log.render(console)
        + Control.move_to(11, 0).segment.text
        + panel.render(console)
        + "\n"
        + Control.move_to(0, 2).segment.text
        + log.crop(0, 6).render(console)
    )
    assert update.render_segments(console) == expected


def test_a_shared_strip_renders_for_each_colour_depth() -> None:
    patch_colour_rendering()
    strip = Strip.blank(4, Style(color="#ff8000"))  # lru_cached: shared by every app
    assert "38;2;255;128;0" in strip.render(session_console("truecolor"))
    assert "38;5;" in strip.render(session_console("256"))
    assert "38;2;" in strip.render(session_console("truecolor"))
