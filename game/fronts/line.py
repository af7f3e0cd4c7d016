"""Line mode: plain text for screen readers, MUD clients, pipes and ``TERM=dumb``.

Output is ``\\r\\n``-terminated lines, one fact per line, and never an escape sequence (the
engine already stripped them from player text; this module adds none). When the client's
terminal is a dumb PTY in raw mode, this module echoes typed characters and handles
backspace itself, because nothing else will.

Typed lines run one per event-loop turn (:class:`~game.fronts.steps.Steps`): a batch sent at once
gets every reply and what followed from it (rewards, quest endings) in the order things
happened, and an end of input (EOF) or ``quit`` in the batch comes after all of it. Blank
lines do nothing. While many lines wait, reading from the client pauses; a client that
still piles up more than the queue's limit is disconnected with a sentence.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Sequence

from game.core.reply import Reply, RoomView, StatusView
from game.fronts.steps import Steps

Write = Callable[[bytes], None]


def render(replies: Sequence[Reply]) -> str:
    return "".join(line + "\r\n" for reply in replies for line in reply.lines())


class LineFrontEnd:
    """A :class:`~game.core.port.FrontEnd` that writes plain lines to a byte stream."""

    shows_room = False  # no panel: the dispatcher need not work out room views for it

    def __init__(
        self,
        write: Write,
        end: Callable[[], None],
        *,
        echo: bool,
        pause: Callable[[], None] = lambda: None,
        resume: Callable[[], None] = lambda: None,
    ) -> None:
        self._write = write
        self._end = end
        self.echo = echo
        self.partial: list[str] = []
        self._decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        self._after_cr = False
        self.on_line: Callable[[str], None] | None = None
        self.on_end: Callable[[], None] | None = None  # the input ended (EOF)
        self.prompt: Callable[[], str | None] = lambda: None  # the player's own, if any
        self.closed = False
        self.steps = Steps(pause=pause, resume=resume)

    # -- FrontEnd ------------------------------------------------------------------------------
    def deliver(self, replies: Sequence[Reply]) -> None:
        text = render(replies)
        if not text or self.closed:
            return
        if self.echo and self.partial:
            # Blank out the half-typed line with spaces (no escape sequences), print the
            # output, then retype what the player had typed so far.
            typed = "".join(c for c in self.partial if c.isprintable())
            blank = "\r" + " " * len(typed) + "\r"
            self._write((blank + text + typed).encode())
        else:
            self._write(text.encode())

    def set_room(self, view: RoomView) -> None:
        """Line mode has no room panel: arrivals and departures already came as sentences."""

    def set_status(self, status: StatusView) -> None:
        """Line mode has no status bar: changes already came as sentences (balance, etc.)."""

    def close(self, reason: str) -> None:
        if self.closed:
            return
        self.deliver([Reply.info(reason)])
        self.closed = True
        self.steps.cancel()
        self._end()

    def finish(self) -> None:
        """The client sent EOF: a half-typed line counts, then ``on_end`` runs once every
        line before it has run and shown its output."""
        if self.partial:
            self.feed(b"\n")
        if not self.closed and not self.steps.add(self._ended):
            self.close("Disconnected: too many typed lines were waiting to run.")

    def _ended(self) -> None:
        if not self.closed and self.on_end is not None:
            self.on_end()

    # -- input ---------------------------------------------------------------------------------
    def feed(self, data: bytes) -> None:
        """Take raw bytes from the client; complete lines go to ``on_line``."""
        for ch in self._decode(data):
            if self.closed:
                return
            if ch == "\n" and self._after_cr:
                self._after_cr = False
                continue
            self._after_cr = ch == "\r"
            if ch in "\r\n":
                self._line_done()
            elif ch in "\x7f\x08":
                if self.partial and self.partial.pop().isprintable():
                    self._echo("\b \b")
            elif ch == "\x15":  # Ctrl-U: forget the line
                self._echo("\b \b" * len(self.partial))
                self.partial.clear()
            elif ch == "\x03":  # Ctrl-C: drop the line, never the player
                self.partial.clear()
                self._echo("^C\r\n")
            elif len(self.partial) <= 4096:  # the engine refuses long lines with a message
                # Escape sequences stay in the line so the engine's cleaner can remove them
                # whole; only printable characters are echoed.
                self.partial.append(ch)
                if ch.isprintable():
                    self._echo(ch)

    def _echo(self, text: str) -> None:
        if self.echo:
            self._write(text.encode())

    def _line_done(self) -> None:
        line = "".join(self.partial)
        self.partial.clear()
        self._echo("\r\n")
        if not line.strip():
            return  # a blank line asks for nothing
        if not self.steps.add(lambda: self._run(line)):
            waiting = len(self.steps)
            self.close(f"Disconnected: {waiting} typed lines were waiting to run. Send fewer.")

    def _run(self, line: str) -> None:
        if not self.closed and self.on_line is not None:
            self.on_line(line)  # the command's output is delivered before this returns
            self.show_prompt()

    def show_prompt(self) -> None:
        """The player's prompt on a line of its own, after a command's output."""
        text = self.prompt() if not self.closed else None
        if text:
            self._write((text + "\r\n").encode())


class ExecFrontEnd:
    """Collects the replies of one exec command (``ssh host look``)."""

    shows_room = False

    def __init__(self) -> None:
        self.replies: list[Reply] = []

    def deliver(self, replies: Sequence[Reply]) -> None:
        self.replies.extend(replies)

    def set_room(self, view: RoomView) -> None:
        """Exec mode prints only the command's own replies."""

    def set_status(self, status: StatusView) -> None:
        """Exec mode prints only the command's own replies."""

    def close(self, reason: str) -> None:
        """Exec sessions end with the command; nothing more to say."""

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.replies)
