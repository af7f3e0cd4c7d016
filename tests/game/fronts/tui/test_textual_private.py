"""Every private Textual/Rich name game/fronts/tui/textual_private.py touches, checked one by one.

A Textual or Rich upgrade that renames, retypes or stops using one of them fails here, by
point number (see the shim's docstring), instead of somewhere downstream in a session. The
last test keeps the touch points in that one module: it scans game/ for private Textual/Rich
names used anywhere else.
"""

from __future__ import annotations

import ast
import asyncio
import importlib
import inspect
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import rich
import textual
from rich.color import ColorSystem
from rich.console import Console
from rich.control import Control
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.app import App, ComposeResult
from textual.cache import FIFOCache
from textual.containers import Vertical
from textual.css.stylesheet import Stylesheet
from textual.driver import Driver
from textual.geometry import Region, Size
from textual.message_pump import MessagePump
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from game.fronts.tui import textual_private as tp
from game.fronts.tui.app import GameApp, session_console
from game.fronts.tui.chatlog import ChatLog
from game.fronts.tui.prompt import CommandInput
from tests.game.fronts.tui.fakes import FakePort

ROOT = Path(__file__).resolve().parents[4]
SHIM = "game/fronts/tui/textual_private.py"


def params(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


def original(name: str) -> Any:
    value = tp.TEXTUAL_ORIGINALS[name]
    return value.__func__ if isinstance(value, classmethod) else value


# -- 1-4: colour depth and frame text --------------------------------------------------------


def test_1_strip_keeps_its_segments_and_render_cache() -> None:
    strip = Strip([Segment("hi", Style(color="red"))], 2)
    assert strip._segments == [Segment("hi", Style(color="red"))]
    assert strip._render_cache is None
    assert params(original("Strip.render")) == ["self", "console"]
    text = original("Strip.render")(strip, session_console("truecolor"))
    assert strip._render_cache == text  # Textual's own render fills the cache we tag


def test_2_console_color_system_is_the_enum() -> None:
    assert session_console("256")._color_system is ColorSystem.EIGHT_BIT
    assert session_console("truecolor")._color_system is ColorSystem.TRUECOLOR
    assert Console(color_system=None)._color_system is None


def test_3_style_link_and_link_id() -> None:
    style = Style(link="https://example.org", color="red")
    assert style._link == "https://example.org"
    assert isinstance(style._link_id, str)
    assert style._link_id
    assert Style(color="red")._link is None
    assert params(original("Strip.render_style")) == ["cls", "style", "text", "color_system"]
    assert params(Strip.render_ansi) == ["style", "color_system"]  # bound classmethod
    fresh = Style(link="https://example.org/x", color="green")  # no _ansi cached yet
    theirs = original("Strip.render_style")(Strip, fresh, "go", ColorSystem.TRUECOLOR)
    assert tp._render_style(Strip, fresh, "go", ColorSystem.TRUECOLOR) == theirs


def test_4_chops_update_fields_and_same_frame_text() -> None:
    from textual._compositor import ChopsUpdate

    assert params(ChopsUpdate.__init__) == ["self", "chops", "spans", "chop_ends"]
    assert params(original("ChopsUpdate.render_segments")) == ["self", "console"]
    console = session_console("truecolor")
    log = Strip([Segment("hello world", Style(color="red"))], 11)
    panel = Strip([Segment("panel", None)], 5)
    chops: list[dict[int, Strip | None]] = [{0: log, 11: panel}, {0: None}, {0: log, 11: panel}]
    update = ChopsUpdate(chops, [(0, 0, 16), (2, 0, 6)], [[11, 16], [16], [11, 16]])
    assert update.chops is chops
    assert update.spans[-1] == (2, 0, 6)
    assert update.chop_ends == [[11, 16], [16], [11, 16]]
    expected = (
        Control.move_to(0, 0).segment.text
        + log.render(console)
        + Control.move_to(11, 0).segment.text
        + panel.render(console)
        + "\n"
        + Control.move_to(0, 2).segment.text
        + log.crop(0, 6).render(console)
    )
    assert tp._render_segments(update, console) == expected
    assert original("ChopsUpdate.render_segments")(update, console) == expected


def test_the_patch_is_applied_and_a_shared_strip_renders_for_each_colour_depth() -> None:
    tp.patch_colour_rendering()
    assert Strip.__dict__["render"] is tp._render
    strip = Strip.blank(4, Style(color="#ff8000"))  # lru_cached: shared by every app
    assert "38;2;255;128;0" in strip.render(session_console("truecolor"))
    assert "38;5;" in strip.render(session_console("256"))
    assert "38;2;" in strip.render(session_console("truecolor"))


# -- 5-8: the key parser ----------------------------------------------------------------------


def test_5_xterm_parser_module_imports() -> None:
    from textual._xterm_parser import XTermParser

    assert issubclass(tp.KeyParser, XTermParser)
    assert params(XTermParser.__init__) == ["self", "debug"]


def test_6_parse_extended_key_is_an_lru_cache_we_can_unwrap() -> None:
    from textual._xterm_parser import XTermParser

    cached = XTermParser.__dict__["_parse_extended_key"]
    assert hasattr(cached, "cache_info")  # still the lru_cache the override exists for
    assert params(cached.__wrapped__) == ["self", "sequence"]
    keys = tp.KeyParser()._parse_extended_key("\x1b[97;5u")  # kitty: ctrl+a
    assert keys is not None
    assert [key.key for key in keys] == ["ctrl+a"]
    assert tp.KeyParser._parse_extended_key is not cached


def test_7_parser_generator_closes() -> None:
    parser = tp.KeyParser()
    assert inspect.isgenerator(parser._gen)
    assert [event.key for event in parser.feed("a") if isinstance(event, events.Key)] == ["a"]
    parser.close()
    assert inspect.getgeneratorstate(parser._gen) == inspect.GEN_CLOSED


def test_8_parser_timeout_time_marks_a_pending_escape() -> None:
    parser = tp.KeyParser()
    assert parser._timeout_time is None
    assert not parser.escape_pending
    list(parser.feed("\x1b"))
    assert isinstance(parser._timeout_time, float)
    assert parser.escape_pending
    assert [key.key for key in parser.feed("[A") if isinstance(key, events.Key)] == ["up"]
    assert parser._timeout_time is None
    assert not parser.escape_pending


# -- 9: the driver base ---------------------------------------------------------------------


class _Quiet(tp.ChannelDriverBase):
    def write(self, data: str) -> None:
        pass

    def start_application_mode(self) -> None:
        pass

    def disable_input(self) -> None:
        pass

    def stop_application_mode(self) -> None:
        pass


async def test_9_driver_keeps_app_loop_mouse_and_size() -> None:
    assert params(Driver.__init__) == ["self", "app", "debug", "mouse", "size"]
    app: App[None] = App()
    driver = _Quiet(app, mouse=False, size=(80, 24))
    assert driver._app is app
    assert driver.target_app is app
    assert driver._loop is asyncio.get_running_loop() is driver.event_loop
    assert driver._mouse is False
    assert driver.mouse_enabled is False
    assert driver._size == (80, 24)
    driver.set_size(100, 30)
    assert driver._size == (100, 30)


# -- 10: print capture ----------------------------------------------------------------------


def test_10_app_capture_objects_are_what_textual_redirects_to() -> None:
    app: App[None] = App()
    assert hasattr(app, "_capture_stdout")
    assert hasattr(app, "_capture_stderr")
    source = inspect.getsource(App._process_messages)
    assert "redirect_stdout(self._capture_stdout)" in source
    assert "redirect_stderr(self._capture_stderr)" in source
    out, err = object(), object()
    tp.share_print_capture(app, out, err)
    assert app._capture_stdout is out
    assert app._capture_stderr is err


# -- 11-14: painting without the compositor ----------------------------------------------------


def test_11_app_driver_running_closed_and_batch_count() -> None:
    app: App[None] = App()
    assert app._driver is None
    assert app._running is False
    assert app._closed is False
    assert app._batch_count == 0
    assert tp.live_driver(app) is None


class _One(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("x", id="one")


async def test_11_to_14_on_a_running_app() -> None:
    app = _One()
    async with app.run_test(size=(20, 5)) as pilot:
        await pilot.pause()
        driver = tp.live_driver(app)
        assert driver is not None
        assert driver is app._driver
        with app.batch_update():
            assert app._batch_count == 1
            assert tp.live_driver(app) is None
        screen = app.screen
        assert isinstance(screen._layout_required, bool)
        assert not tp.layout_pending(screen)
        visible = tp.visible_widgets(screen)
        assert visible is screen._compositor.visible_widgets
        region, clip = visible[app.query_one("#one")]
        assert isinstance(region, Region)
        assert isinstance(clip, Region)
        # The same mapping until the screen is laid out again, then a new one: direct.py
        # keeps its verdict per widget for as long as the mapping is the same object.
        assert tp.visible_widgets(screen) is visible
        await pilot.resize_terminal(22, 6)
        await pilot.pause()
        assert tp.visible_widgets(screen) is not visible
        assert params(App._begin_update) == params(App._end_update) == ["self"]
        written: list[str] = []
        driver.write = written.append  # type: ignore[method-assign,assignment]
        app._sync_available = True
        tp.write_synchronized(app, driver, "frame")
        assert written == ["\x1b[?2026h", "frame", "\x1b[?2026l"]


# -- 15-17: private methods overridden ------------------------------------------------------


def test_15_refresh_scroll_is_what_a_scroll_calls() -> None:
    assert params(Widget._refresh_scroll) == ["self"]
    assert "self._refresh_scroll()" in inspect.getsource(Widget)
    assert ChatLog._refresh_scroll is tp.RepaintOnScroll._refresh_scroll


def test_16_set_dirty_is_where_a_widget_is_marked_for_repaint() -> None:
    assert params(Widget._set_dirty) == ["self", "regions"]
    assert "self._set_dirty(*regions)" in inspect.getsource(Widget.refresh)
    assert "self._set_dirty()" in inspect.getsource(ScrollView)


def test_17_scroll_update_takes_the_virtual_size() -> None:
    assert params(Widget._scroll_update) == ["self", "virtual_size"]
    assert "self._scroll_update(virtual_size)" in inspect.getsource(ScrollView)
    assert inspect.signature(Widget._scroll_update).parameters["virtual_size"].annotation in (
        Size,
        "Size",
    )


def test_18_refresh_forgets_the_look_through_these_and_repaint_required_is_honoured() -> None:
    source = inspect.getsource(Widget.refresh)
    for needle in (
        "self._layout_cache.clear()",
        "self._set_dirty(*regions)",
        "self.clear_cached_dimensions()",
        "self._rich_style_cache.clear()",
        "self._repaint_required = True",
        "self.check_idle()",
    ):
        assert needle in source, needle  # PaintsItself.refresh does the same, minus the idle
    assert "_repaint_required" in inspect.getsource(Widget._check_refresh)


# -- 19: stylesheets ---------------------------------------------------------------------------


def test_19_parse_rules_signature_and_variables() -> None:
    assert params(original("Stylesheet._parse_rules")) == [
        "self",
        "css",
        "read_from",
        "is_default_rules",
        "tie_breaker",
        "scope",
    ]
    assert Stylesheet(variables={"x": "red"})._variables == {"x": "red"}
    parse = inspect.getsource(Stylesheet.parse)
    assert "self._parse_rules(" in parse  # every parse goes through the shared cache


def test_19_stylesheets_share_rules_per_css_and_theme() -> None:
    tp.share_stylesheet_parsing()
    css = "Label { color: $accent; }"
    first, second = Stylesheet(variables={"accent": "red"}), Stylesheet(variables={"accent": "red"})
    other = Stylesheet(variables={"accent": "blue"})
    for sheet in (first, second, other):
        sheet.add_source(css, read_from=("test.tcss", ""))
        sheet.parse()
    assert first.rules[0] is second.rules[0]  # parsed once, shared
    assert other.rules[0] is not first.rules[0]  # another theme is parsed for itself
    red = first.rules[0].styles.color
    blue = other.rules[0].styles.color
    assert red != blue


# -- 20: matching rules to nodes ----------------------------------------------------------------


def test_20_apply_signature_flags_and_what_textual_caches() -> None:
    assert params(original("Stylesheet.apply")) == ["self", "node", "animate", "cache"]
    source = inspect.getsource(original("Stylesheet.apply"))
    for needle in (
        "node._has_hover_style =",
        "node._has_focus_within =",
        "node._has_order_style =",
        "node._has_odd_or_even =",
        "cache[cache_key] = node_rules",
        "_EXCLUDE_PSEUDO_CLASSES_FROM_CACHE",
        "self.replace_rules(node, cached_result, animate=animate)",
        "self._process_component_classes(node)",
    ):
        assert needle in source, needle
    assert "node._pseudo_classes_cache_key" in source
    assert Widget()._pseudo_classes_cache_key == (False, False, False)


class Matched(App[None]):
    CSS = """
    Label { color: red; }
    Label:hover { color: blue; }
    #named { background: green; }
    .loud Label { text-style: bold; }
    .loud Static { text-style: underline; }
    Label:first-of-type { text-style: italic; }
    App:dark Static { color: yellow; }
    """

    def compose(self) -> ComposeResult:
        yield Label("first")
        yield Label("second", id="named")
        yield Vertical(Label("inner"), Static("text"), classes="loud")
        yield Vertical(Label("inner"), Static("text"))  # the same path but for a class


async def test_20_shared_matching_gives_the_rules_textual_would() -> None:
    tp.share_stylesheet_parsing()
    for _ in range(2):  # the second app takes every cacheable match from the first
        app = Matched()
        async with app.run_test():
            nodes = [app.screen, *app.screen.walk_children()]
            assert len(nodes) == 9
            for node in nodes:
                shared = dict(node.styles.base._rules)
                original("Stylesheet.apply")(app.stylesheet, node)  # Textual's own matching
                assert dict(node.styles.base._rules) == shared, node
    assert tp._applied  # and something was shared


# -- 21: strips' caches ------------------------------------------------------------------------


def test_21_strip_init_makes_its_caches_through_the_module_name() -> None:
    source = inspect.getsource(Strip.__init__)
    assert source.count("= FIFOCache(") == 7
    assert FIFOCache.__slots__ == ["_maxsize", "_cache", "hits", "misses"]


def test_21_a_strip_cache_gets_its_own_dict_on_first_use() -> None:
    tp.lighten_strips()
    strip = Strip([Segment("hello world")])
    assert isinstance(strip._crop_cache, tp.LazyFIFOCache)
    assert strip._crop_cache._cache is strip._style_cache._cache  # one shared empty dict
    cropped = strip.crop(0, 5)
    assert cropped.text == "hello"
    assert strip.crop(0, 5) is cropped  # cached
    assert strip._crop_cache._cache is not strip._style_cache._cache
    assert len(strip._style_cache) == 0
    assert tp._NOTHING_CACHED == {}  # never written


# -- 22-23: pieces of strips, timer sets ------------------------------------------------------


def test_22_divide_cuts_as_textuals_and_keeps_nothing() -> None:
    tp.lighten_strips()
    assert "_divide_cache" in inspect.getsource(original("Strip.divide"))
    strip = Strip([Segment("hello ", Style(bold=True)), Segment("wide 日本 world")])
    for cuts in ([5], [3, 9, 20], [strip.cell_length], [0, 7, 12]):
        ours = strip.divide(cuts)
        theirs = original("Strip.divide")(Strip(list(strip)), cuts)
        assert [list(piece) for piece in ours] == [list(piece) for piece in theirs], cuts
    assert len(strip._divide_cache) == 0


def test_23_message_pumps_make_their_timer_sets_on_first_use() -> None:
    source = inspect.getsource(MessagePump.__init__)
    assert "self._timers: WeakSet[Timer] = WeakSet()" in source
    tp.lighten_strips()
    pump = MessagePump()
    assert isinstance(pump._timers, tp.LazyTimerSet)
    assert not pump._timers
    assert list(pump._timers) == []

    class Timer:
        pass

    timer = Timer()
    pump._timers.add(timer)
    assert list(pump._timers) == [timer]
    assert len(pump._timers) == 1
    pump._timers.clear()
    assert not pump._timers


# -- 24: priority bindings ---------------------------------------------------------------------


def test_24_priority_keys_come_from_the_bindings_map() -> None:
    app = GameApp(FakePort())
    keys = tp.priority_keys(app)
    assert {"pageup", "pagedown", "up", "ctrl+c"} <= keys
    assert "f2" not in keys  # a binding, but not a priority one
    assert all(isinstance(b, list) for b in app._bindings.key_to_bindings.values())


def test_on_and_underscore_on_handlers_dispatch_alike() -> None:
    """Why game/ may name handlers ``on_key`` where Textual's own widgets say ``_on_key``."""
    source = inspect.getsource(MessagePump._get_dispatch_methods)
    assert re.search(r'cls\.__dict__\.get\(f"_\{method_name\}"\) or cls\.__dict__\.get\(', source)
    assert "_on_key" in Input.__dict__
    assert "on_key" in CommandInput.__dict__


# -- all of them in one place ---------------------------------------------------------------


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _library_private_names() -> set[str]:
    """Every ``_name`` Textual or Rich defines or assigns as an attribute."""
    pattern = re.compile(r"(?:\bdef |\.)(_[A-Za-z]\w*)")
    names: set[str] = set()
    for package in (textual, rich):
        for path in Path(package.__path__[0]).rglob("*.py"):
            names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return {name for name in names if _private(name)}


def _library_classes(cls: type) -> Iterator[type]:
    for base in cls.__mro__:
        if base.__module__.split(".")[0] in ("textual", "rich"):
            yield base


def _family(cls: type) -> Iterator[type]:
    """The class and every subclass of it (a mixin's overrides land in those)."""
    yield cls
    subclasses: list[type] = cls.__subclasses__()
    for sub in subclasses:
        yield from _family(sub)


def _defined_by_library(cls: type, name: str) -> bool:
    bases = {base for member in _family(cls) for base in _library_classes(member)}
    for base in bases:
        if name in base.__dict__:
            return True
        try:
            source = inspect.getsource(base)
        except (OSError, TypeError):
            continue
        if re.search(rf"self\.{name}\b", source):
            return True
    return False


def private_uses(root: Path) -> list[str]:
    """``path:line name`` for each private Textual/Rich name game/ uses outside the shim."""
    library = _library_private_names()
    found: list[str] = []
    for path in sorted((root / "game").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative == SHIM:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = importlib.import_module(relative[:-3].replace("/", "."))

        def flag(node: ast.AST, name: str, relative: str = relative) -> None:
            found.append(f"{relative}:{getattr(node, 'lineno', 0)} {name}")

        def visit(node: ast.AST, cls: type | None, module: Any = module) -> None:
            if isinstance(node, ast.ClassDef):
                inner = getattr(module, node.name, None)
                cls = inner if isinstance(inner, type) else None
            if isinstance(node, ast.Import | ast.ImportFrom):
                dotted = node.module if isinstance(node, ast.ImportFrom) else None
                for alias in node.names:
                    full = f"{dotted}.{alias.name}" if dotted else alias.name
                    parts = full.split(".")
                    if parts[0] in ("textual", "rich") and any(map(_private, parts)):
                        flag(node, full)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if cls is not None and _private(node.name) and _defined_by_library(cls, node.name):
                    flag(node, f"def {node.name}")
            elif isinstance(node, ast.Attribute) and _private(node.attr):
                owner = node.value
                on_self = (isinstance(owner, ast.Name) and owner.id in ("self", "cls")) or (
                    isinstance(owner, ast.Call)
                    and isinstance(owner.func, ast.Name)
                    and owner.func.id == "super"
                )
                if on_self:
                    loose = cls is None and node.attr in library  # ``self`` of a function
                    if loose or (cls is not None and _defined_by_library(cls, node.attr)):
                        flag(node, f"self.{node.attr}")
                elif node.attr in library:
                    flag(node, f".{node.attr}")
            for child in ast.iter_child_nodes(node):
                visit(child, cls)

        visit(tree, None)
    return found


def test_no_private_textual_or_rich_name_outside_the_shim() -> None:
    uses = private_uses(ROOT)
    assert uses == [], f"private Textual/Rich names belong in {SHIM}:\n" + "\n".join(uses)


def test_the_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    package = tmp_path / "game"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "leaky.py").write_text(
        "from textual._xterm_parser import XTermParser\n"
        "from textual.widget import Widget\n"
        "class Mixin:\n"
        "    def _refresh_scroll(self) -> None:\n"
        "        super()._set_dirty()  # type: ignore\n"
        "class W(Mixin, Widget):\n"
        "    pass\n"
        "def f(app):\n"
        "    return app._driver\n"
        "def g(self):\n"
        "    return self._render_cache\n"
    )
    code = (
        "import sys; from pathlib import Path; sys.path.append(sys.argv[1]);"
        "from tests.game.fronts.tui.test_textual_private import private_uses;"
        "print('|'.join(private_uses(Path(sys.argv[2]))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(ROOT), str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().split("|") == [
        "game/leaky.py:1 textual._xterm_parser.XTermParser",
        "game/leaky.py:4 def _refresh_scroll",
        "game/leaky.py:5 self._set_dirty",
        "game/leaky.py:9 ._driver",
        "game/leaky.py:11 self._render_cache",
    ]
