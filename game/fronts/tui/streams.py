"""One stdout and one stderr proxy, shared by every in-process Textual app.

Textual runs each app's message loop inside ``redirect_stdout(app._capture_stdout)`` and
``redirect_stderr(...)``, which swap the *process-global* ``sys.stdout``/``sys.stderr``. With
many player apps starting and ending in any order in one server, those last-in-first-out
restores interleave wrongly: server prints vanish into some app, and every thread created
meanwhile snapshots that app's capture object in ``Thread._stderr`` and keeps a dead App alive
for ever (research/textual_ssh.md, Q1 pitfall 1).

The fix is to give every app the *same* proxy object and to install that proxy as
``sys.stdout``/``sys.stderr`` before any app runs. Each swap Textual makes is then a no-op
(proxy replaced by itself), and the proxy holds no reference to any app: it forwards every
write to the stream that was in place when it was installed, so server output keeps going
where the operator expects it.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import Any, Literal, TextIO

StreamName = Literal["stdout", "stderr"]


class SharedStream:
    """A file-like object standing in for ``sys.stdout`` or ``sys.stderr`` process-wide."""

    def __init__(self, name: StreamName) -> None:
        self._name: StreamName = name
        self._target: TextIO | None = None

    def install(self) -> None:
        """Make this proxy the process-global stream, forwarding to the current one.

        Called before each app starts, because other code (pytest's capture, for one) may have
        replaced the global stream since the last install; re-installing wraps the new one.
        """
        current = getattr(sys, self._name)
        if current is not self:
            self._target = current
            setattr(sys, self._name, self)

    @property
    def target(self) -> TextIO:
        """Where writes go: the wrapped stream, or the interpreter's own if that one closed."""
        target = self._target
        if target is None or getattr(target, "closed", False):
            original = sys.__stdout__ if self._name == "stdout" else sys.__stderr__
            assert original is not None
            return original
        return target

    def write(self, text: str) -> int:
        return self.target.write(text)

    def writelines(self, lines: list[str]) -> None:
        self.target.writelines(lines)

    def flush(self) -> None:
        self.target.flush()

    def isatty(self) -> bool:
        return self.target.isatty()

    def fileno(self) -> int:
        return self.target.fileno()

    def __getattr__(self, name: str) -> Any:
        # encoding, errors, buffer, ...: whatever logging or faulthandler asks the real stream.
        return getattr(self.target, name)


@cache
def shared_streams() -> tuple[SharedStream, SharedStream]:
    """The process's single (stdout, stderr) proxy pair, created on first use.

    This cached factory is the one piece of module-level mutable state in ``game.fronts.tui``: the
    proxies must be the *same* objects for every app, or Textual's redirects stop being no-ops.
    """
    return SharedStream("stdout"), SharedStream("stderr")


def install_shared_streams() -> tuple[SharedStream, SharedStream]:
    """Install the shared proxies as ``sys.stdout``/``sys.stderr`` and return them."""
    out, err = shared_streams()
    out.install()
    err.install()
    return out, err
