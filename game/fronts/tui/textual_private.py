"""The one module that touches Textual's and Rich's private names (pinned: textual 8.2.x).

Every other module in game/ goes through the functions and classes here; tests/game/fronts/tui/
test_textual_private.py checks each touch point below against the installed Textual and Rich
(so an upgrade fails loudly there), and a test greps game/ for private names used anywhere else.
Touch points, and why each is needed:

Colour depth and frame text (``patch_colour_rendering``):

1. ``Strip._render_cache``, ``Strip._segments``: Textual caches a strip's ANSI text on the
   strip, and strips are shared between apps (``Strip.blank`` is an ``lru_cache``; the TUI's
   ``LineCache`` shares log lines on purpose). The replacement ``Strip.render`` tags the
   cached text with the colour system it was made for and renders again for any other.
2. ``Console._color_system``: the colour system the session's console renders for (Rich has
   no public getter that returns the enum, ``color_system`` returns a name or None).
3. ``Style._link``, ``Style._link_id``: ``Strip.render_style`` caches a style's SGR codes *on
   the Rich Style* (``Style._ansi``) whatever colour system asks next; styles are shared
   between apps, so the first session to draw a style would decide its codes for all. The
   replacement looks them up in Textual's cache keyed by (style, colour system) and has to
   write the hyperlink wrapper itself.
4. ``textual._compositor.ChopsUpdate`` (``chops``, ``chop_ends``, ``spans``,
   ``render_segments``): the text of every partial frame builds a ``rich.control.Control``
   per line only to read back ``ESC[y;xH`` (~8% of the server's CPU at a hundred sessions);
   the replacement writes the same bytes directly.

Input (``KeyParser``, used by driver.py):

5. ``textual._xterm_parser.XTermParser``: Textual's key parser has no public home.
6. ``XTermParser._parse_extended_key`` (an ``lru_cache`` on an instance method, unwrapped
   through ``__wrapped__``): its cache keys hold the parser and its values hold Key events
   whose sender is an App, so with one parser per session up to 1024 dead apps stay alive.
7. ``Parser._gen`` (``KeyParser.close``): the parser's generator frame holds the last Key
   event; closing it lets a finished session's App go.
8. ``Parser._timeout_time`` (``KeyParser.escape_pending``): a lone ESC is only a key once
   ESCDELAY passes; the driver asks the loop to call back instead of polling from a thread.

Driver (``ChannelDriverBase``, the base of driver.py's ``SSHDriver``):

9. ``Driver._app``, ``Driver._loop``, ``Driver._mouse``, ``Driver._size``: what the base
   driver keeps for its subclasses, exposed here as ``target_app``, ``event_loop``,
   ``mouse_enabled`` and ``set_size``.

App (``share_print_capture``, used by app.py):

10. ``App._capture_stdout``, ``App._capture_stderr``: Textual redirects the process-global
    ``sys.stdout``/``sys.stderr`` to these while an app runs; with many apps in one process
    every app gets the same proxy (streams.py) so those redirects are no-ops.

Painting without the compositor (used by direct.py):

11. ``App._driver``, ``App._running``, ``App._closed``, ``App._batch_count``
    (``live_driver``): write only to a running, unclosed app outside a batch update.
12. ``Screen._layout_required`` (``layout_pending``): a pending layout may move the widget.
13. ``Screen._compositor.visible_widgets`` (``visible_widgets``): where each widget is and
    what overlaps it, as the compositor last placed them; a new mapping object after
    every layout, which direct.py uses to keep its verdict until the next one.
14. ``App._begin_update``, ``App._end_update`` (``write_synchronized``): the same
    synchronized-update brackets Textual writes around a frame.

Private methods overridden, through the classes here:

15. ``Widget._refresh_scroll`` (``RepaintOnScroll``, used by ChatLog):
    Textual answers any scroll with a reflow of the whole screen (a scrolled container moves
    its children); a widget with no children needs only a repaint of itself. The reflow was
    ~9% of the server's CPU at N=100, and ran on every key a player typed in the prompt.
16. ``Widget._set_dirty`` (``FrameLines``): everything that changes a widget's look goes
    through it, so it is where a widget's kept lines are dropped.
17. ``Widget._scroll_update`` (``update_scrollbars``, called by ChatLog): tells the scroll
    machinery about a new virtual size set with ``set_reactive`` (which skips the reflow).
18. ``Widget._set_dirty``, ``Widget._layout_cache``, ``Widget._rich_style_cache``,
    ``Widget._repaint_required`` (``PaintsItself``, used by CommandInput): what
    ``Widget.refresh`` does to forget a widget's look, without asking the screen for a
    compositor pass; the widget then paints its own rows (direct.py).

Stylesheets (``share_stylesheet_parsing``):

19. ``Stylesheet._parse_rules``, ``Stylesheet._variables``: every app parses the same CSS
    (Textual's defaults, each widget's ``DEFAULT_CSS``, game.tcss) into the same rules, in a
    cache of its own: a third of a session's start-up CPU and ~0.2 MB of its memory. The
    replacement keeps one cache for the process, keyed by the CSS, where it came from and
    the variables (the theme) it was parsed with; rules are never changed once parsed.
20. ``Stylesheet.apply``, ``DOMNode._id``, ``DOMNode._classes``, ``DOMNode._parent``,
    ``Widget._pseudo_classes_cache_key``, ``DOMNode._has_hover_style`` (and the three flags
    beside it): matching the rules to a node was ~40% of a session's start, and every
    session's widgets match the same way. Textual already caches a node's matched rules
    within one update, keyed by its parent, id, classes and hover/focus/disabled state,
    and only when none of its rules uses an order-dependent pseudo-class. The replacement
    keeps those same results for the process, keyed by the stylesheet (sources and theme)
    and, for every node from the app down, its type, id, classes and that state (the app's
    own pseudo-classes too: dark, ansi, inline). What Textual would not cache is not cached.

Strips and message pumps (``lighten_strips``):

21. ``textual.strip.FIFOCache`` (the name ``Strip.__init__`` looks up), ``FIFOCache._cache``:
    every strip makes seven small caches (crop, divide, style, ...) with a dict each, and
    most stay empty: a third of an idle session's memory is strips. The replacement cache
    starts on one shared empty dict and gets a dict of its own on its first entry.
22. ``Strip._divide_cache`` (by replacing ``Strip.divide``): the compositor cuts lines at
    widget edges and each line kept the pieces, a sixth of an idle session's memory. The
    replacement cuts the same way and keeps nothing.
23. ``textual.message_pump.WeakSet`` (the name ``MessagePump.__init__`` looks up),
    ``MessagePump._timers``: every message pump makes an empty ``WeakSet`` of timers;
    the replacement makes it on the first timer.

Keys without the message queues (``priority_keys``, used by app.py):

24. ``DOMNode._bindings`` (``BindingsMap.key_to_bindings``, ``priority_keys``): a key typed
    into the prompt went through four message dispatches (the app, its priority bindings,
    the focused widget, back up to the screen and the app) and as many task wake-ups, most
    of a key's cost. A key the prompt would take anyway is handed to it at once (app.py's
    ``take_key``), but only when no priority binding wants the key and no message waits
    in the app's, the screen's or the prompt's queue (the public ``message_queue_size``),
    so it cannot overtake an earlier one.

Not private, but patched here too: ``Strip.render``, ``Strip.render_style`` (classmethod),
``Strip.render_ansi`` (called). Message handlers are named ``on_*`` elsewhere, never
``_on_*``: Textual dispatches both names alike (``MessagePump._get_dispatch_methods``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary, WeakSet

from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual import message_pump as message_pump_module
from textual import strip as strip_module
from textual._compositor import ChopsUpdate
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.cache import FIFOCache
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.driver import Driver
from textual.geometry import Region, Size
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

if TYPE_CHECKING:
    _WidgetMixin = Widget
else:
    _WidgetMixin = object  # a plain mixin: a Widget base here would hide the COMPONENT_CLASSES


TEXTUAL_ORIGINALS: dict[str, Any] = {
    "Strip.render": Strip.__dict__["render"],
    "Strip.render_style": Strip.__dict__["render_style"],
    "Stylesheet._parse_rules": Stylesheet.__dict__["_parse_rules"],
    "Stylesheet.apply": Stylesheet.__dict__["apply"],
    "ChopsUpdate.render_segments": ChopsUpdate.__dict__["render_segments"],
    "Strip.divide": Strip.__dict__["divide"],
}
"""What the functions here replace, as Textual defined it (for the tests)."""


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


@cache
def share_stylesheet_parsing() -> None:
    """Parse each CSS source once per process and theme, not once per app (point 19), and
    match rules to a node once per process and node path (point 20)."""
    setattr(Stylesheet, "_parse_rules", _parse_rules_shared)  # noqa: B010
    setattr(Stylesheet, "apply", _apply_shared)  # noqa: B010


_APPLIED_LIMIT = 4096
_applied: dict[tuple[object, ...], tuple[Any, tuple[bool, bool, bool, bool]]] = {}
_apply = Stylesheet.apply
_sheet_keys: WeakKeyDictionary[Stylesheet, tuple[object, tuple[object, ...]]] = WeakKeyDictionary()


def _sheet_key(sheet: Stylesheet) -> tuple[object, ...]:
    """What the stylesheet's rules are made of: its sources and its variables (memoised
    for as long as its parsed rules are the same list)."""
    rules = sheet.rules
    known = _sheet_keys.get(sheet)
    if known is not None and known[0] is rules:
        return known[1]
    key = (tuple(sheet.source.items()), *sorted(sheet._variables.items()))
    _sheet_keys[sheet] = (rules, key)
    return key


def _path_key(node: DOMNode) -> tuple[object, ...]:
    """Each node from the app down to ``node``: what selectors may test on it."""
    out: list[object] = []
    while node is not None:
        state: tuple[object, ...] = node._pseudo_classes_cache_key
        if isinstance(node, App):
            state = (*state, *sorted(node.get_pseudo_classes()))
        out.append((type(node), node._id, node.classes, state))
        parent = node._parent
        node = parent if isinstance(parent, DOMNode) else None  # type: ignore[assignment]
    return tuple(out)


def _apply_shared(
    self: Stylesheet, node: DOMNode, *, animate: bool = False, cache: dict[Any, Any] | None = None
) -> None:
    """``Stylesheet.apply`` whose matched rules are shared by every app in the process."""
    if animate:
        _apply(self, node, animate=animate, cache=cache)
        return
    key = (_sheet_key(self), _path_key(node))
    hit = _applied.get(key)
    if hit is not None:
        rules, flags = hit
        (
            node._has_hover_style,
            node._has_focus_within,
            node._has_order_style,
            node._has_odd_or_even,
        ) = flags
        self.replace_rules(node, rules, animate=False)
        self._process_component_classes(node)
        return
    captured: dict[Any, Any] = {}
    _apply(self, node, animate=False, cache=captured)
    if len(captured) == 1:  # Textual found these rules cacheable
        if len(_applied) >= _APPLIED_LIMIT:
            del _applied[next(iter(_applied))]
        flags = (
            node._has_hover_style,
            node._has_focus_within,
            node._has_order_style,
            node._has_odd_or_even,
        )
        _applied[key] = (next(iter(captured.values())), flags)


_PARSED_LIMIT = 256
_parsed: dict[tuple[object, ...], list[RuleSet]] = {}
_parse_rules = Stylesheet._parse_rules


def _parse_rules_shared(
    self: Stylesheet,
    css: str,
    read_from: tuple[str, str],
    is_default_rules: bool = False,
    tie_breaker: int = 0,
    scope: str = "",
) -> list[RuleSet]:
    """``Stylesheet._parse_rules`` with one cache for every stylesheet in the process."""
    key = (css, read_from, is_default_rules, tie_breaker, scope, *sorted(self._variables.items()))
    rules = _parsed.get(key)
    if rules is None:
        rules = _parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        if len(_parsed) >= _PARSED_LIMIT:
            del _parsed[next(iter(_parsed))]
        _parsed[key] = rules
    return rules


@cache
def lighten_strips() -> None:
    """Strips' caches get their dicts when first used (point 21); a strip cut for the
    compositor does not keep its pieces (point 22); a message pump's set of timers is made
    when it gets its first timer (point 23)."""
    setattr(strip_module, "FIFOCache", LazyFIFOCache)  # noqa: B010
    Strip.divide = _divide  # type: ignore[method-assign]
    setattr(message_pump_module, "WeakSet", LazyTimerSet)  # noqa: B010


def _divide(self: Strip, cuts: Iterable[int]) -> Sequence[Strip]:
    """``Strip.divide`` without ``_divide_cache``: the compositor cuts each widget's lines
    where other widgets begin and end, and the pieces, kept on lines that live as long as
    the widget's look (FrameLines), were a sixth of an idle session's memory. A frame that
    goes through the compositor cuts them again, a few microseconds a line."""
    cell_length = self.cell_length
    cuts = [cut for cut in cuts if cut <= cell_length]
    if cuts == [cell_length]:
        return [self]
    strips = []
    pos = 0
    for segments, cut in zip(Segment.divide(self._segments, cuts), cuts):  # noqa: B905
        strips.append(Strip(segments, cut - pos))
        pos = cut
    return strips


class LazyTimerSet:
    """What ``MessagePump._timers`` needs of a ``WeakSet`` (point 23), made on first use.

    Every widget, screen and app makes one in its ``__init__``; most never get a timer,
    and an empty ``WeakSet`` is four objects, about 800 bytes: 5% of an idle session."""

    __slots__ = ("_set",)

    def __init__(self) -> None:
        self._set: WeakSet[Any] | None = None

    def add(self, item: Any) -> None:
        if self._set is None:
            self._set = WeakSet()
        self._set.add(item)

    def discard(self, item: Any) -> None:
        if self._set is not None:
            self._set.discard(item)

    def clear(self) -> None:
        if self._set is not None:
            self._set.clear()

    def __iter__(self) -> Iterator[Any]:
        return iter(()) if self._set is None else iter(list(self._set))

    def __len__(self) -> int:
        return 0 if self._set is None else len(self._set)

    def __bool__(self) -> bool:
        return bool(self._set)


_NOTHING_CACHED: dict[Any, Any] = {}  # shared, and never written: see LazyFIFOCache.set


class LazyFIFOCache(FIFOCache[Any, Any]):
    """A ``FIFOCache`` whose dict is made on its first ``set`` (point 21)."""

    __slots__ = ()

    def __init__(self, maxsize: int) -> None:
        self._maxsize = maxsize
        self._cache = _NOTHING_CACHED
        self.hits = 0
        self.misses = 0

    def set(self, key: Any, value: Any) -> None:
        if self._cache is _NOTHING_CACHED:
            self._cache = {}
        super().set(key, value)

    __setitem__ = set


# -- input ----------------------------------------------------------------------------------


class KeyParser(XTermParser):
    """XTermParser without its class-level ``lru_cache`` on an instance method (points 5-8).

    Calling the undecorated ``_parse_extended_key`` keeps each parser's lifetime its
    session's. Never pass ``debug=True``: XTermParser then appends every key to ./keys.log.
    """

    def _parse_extended_key(self, sequence: str) -> list[events.Key] | None:  # type: ignore[override]
        result: list[events.Key] | None = XTermParser._parse_extended_key.__wrapped__(
            self, sequence
        )
        return result

    @property
    def escape_pending(self) -> bool:
        """A lone ESC (or the start of a sequence) waits for ESCDELAY to decide what it is."""
        return self._timeout_time is not None

    def close(self) -> None:
        """Close the parser's generator, whose frame holds the last Key event (and its App)."""
        self._gen.close()


# -- driver ---------------------------------------------------------------------------------


class ChannelDriverBase(Driver):
    """Textual's ``Driver`` with the state it keeps for subclasses given names (point 9)."""

    @property
    def target_app(self) -> App[Any]:
        """The app this driver feeds events to and writes frames for."""
        return self._app

    @property
    def event_loop(self) -> asyncio.AbstractEventLoop:
        """The loop the driver was created on (the app's)."""
        return self._loop

    @property
    def mouse_enabled(self) -> bool:
        """Whether the app asked for mouse reporting."""
        return self._mouse

    def set_size(self, cols: int, rows: int) -> None:
        """Record the terminal's size, as Textual's own drivers do on a resize."""
        self._size = (cols, rows)


# -- app ------------------------------------------------------------------------------------


def share_print_capture(app: App[Any], stdout: object, stderr: object) -> None:
    """Make ``app`` redirect stdout/stderr to these objects while it runs (point 10)."""
    app._capture_stdout = stdout  # type: ignore[assignment]
    app._capture_stderr = stderr  # type: ignore[assignment]


# -- painting without the compositor --------------------------------------------------------


def live_driver(app: App[Any]) -> Driver | None:
    """The app's driver if a frame may be written to it now (point 11), else None.

    None when there is no driver, the app is not running or is closed, or a batch update is
    open (Textual will paint once the batch ends).
    """
    driver = app._driver
    if driver is None or not app._running or app._closed or app._batch_count:
        return None
    return driver


def layout_pending(screen: Screen[Any]) -> bool:
    """Whether the screen will lay its widgets out again before the next frame (point 12)."""
    return screen._layout_required


def visible_widgets(screen: Screen[Any]) -> Mapping[Widget, tuple[Region, Region]]:
    """Each visible widget's (region, clip) as the compositor last placed it (point 13)."""
    return screen._compositor.visible_widgets


def priority_keys(*nodes: DOMNode) -> frozenset[str]:
    """The keys the nodes' own priority bindings take before any widget sees them (24)."""
    return frozenset(
        key
        for node in nodes
        for key, bindings in node._bindings.key_to_bindings.items()
        if any(binding.priority for binding in bindings)
    )


def write_synchronized(app: App[Any], driver: Driver, text: str) -> None:
    """Write ``text`` inside the app's synchronized-update brackets, then flush (point 14)."""
    app._begin_update()
    driver.write(text)
    app._end_update()
    driver.flush()


# -- private methods overridden -------------------------------------------------------------


class RepaintOnScroll(_WidgetMixin):
    """A scroll repaints this widget only, instead of reflowing the screen (point 15).

    Only for widgets with no children. Put it first in the bases.
    """

    def _refresh_scroll(self) -> None:
        self.refresh()


class FrameLines(_WidgetMixin):
    """Give the compositor last frame's lines again when nothing in this widget changed.

    Every child of the screen has the whole screen as its clip, so Textual re-renders *all*
    of them (through the styles cache, ~70 us each) on every frame, even when only the log
    moved: with a hundred sessions painting several frames a second that was a third of the
    server's CPU. Whatever changes a widget's look (a reactive, ``refresh``, a style or
    theme change, a resize, hover/focus) goes through ``_set_dirty`` (point 16) or
    ``notify_style_update``, so dropping the kept lines there is enough; the size is part of
    the key as well. Put it first in the bases: ``class X(FrameLines, Static)``.
    """

    _frame: tuple[Region, Size, list[Strip]] | None = None
    _whole: tuple[Size, list[Strip]] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        frame = self._frame
        size = self.size
        if frame is not None and frame[0] == crop and frame[1] == size:
            return frame[2]
        lines = super().render_lines(crop)
        self._frame = (crop, size, lines)
        return lines

    def whole_lines(self) -> list[Strip]:
        """All the widget's rows, kept apart from the compositor's crops (direct.py scrolls
        them beside the log): the same list until the widget's look changes."""
        whole = self._whole
        size = self.outer_size
        if whole is None or whole[0] != size:
            whole = self._whole = (size, self.render_lines(Region(0, 0, *size)))
        return whole[1]

    def _set_dirty(self, *regions: Region) -> None:
        self._frame = self._whole = None
        super()._set_dirty(*regions)

    def notify_style_update(self) -> None:
        self._frame = self._whole = None
        super().notify_style_update()


class PaintsItself(_WidgetMixin):
    """A plain repaint of this widget goes straight to the terminal (point 18).

    ``refresh()`` with no region, layout or recompose forgets the widget's look the way
    Textual's does, but instead of marking the widget for the screen's next compositor pass
    it asks for :meth:`paint_itself` once per loop turn (a key changes the value, the
    cursor and the scroll offset: three refreshes, one paint). ``paint_itself`` returns
    False when it could not paint (something covers the widget, a layout is pending); the
    widget then goes through Textual after all.
    """

    _paint_due = False

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Any:
        if regions or layout or recompose or not repaint or not self.is_mounted:
            return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        self._layout_cache.clear()
        self._set_dirty()
        self.clear_cached_dimensions()
        self._rich_style_cache.clear()
        if not self._paint_due:
            self._paint_due = True
            asyncio.get_running_loop().call_soon(self._paint_soon)
        return self

    def _paint_soon(self) -> None:
        self._paint_due = False
        if self.is_mounted and not self.paint_itself():
            self._repaint_required = True
            self.check_idle()

    def paint_itself(self) -> bool:
        raise NotImplementedError


def update_scrollbars(widget: Widget, virtual_size: Size) -> None:
    """Tell the widget's scroll machinery its virtual size changed (point 17)."""
    widget._scroll_update(virtual_size)
