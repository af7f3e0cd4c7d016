"""How a :class:`~game.core.reply.Reply` becomes styled lines in the output log.

Replies carry plain text. Each line is paired with a *role*, the name of a ChatLog component
class (``chatlog--say``, ...), so its colour comes from the .tcss and the theme, never from a
literal here, and the text itself is never parsed as markup: a player who types ``[bold]``
sees ``[bold]``.
"""

from __future__ import annotations

from game.core.reply import Kind, Reply
from game.core.report_view import ReportView
from game.core.text import clean
from game.fronts.tui.report_table import log_lines

ROLES = {
    Kind.INFO: "info",
    Kind.ERROR: "error",
    Kind.ROOM: "room",
    Kind.SAY: "say",
    Kind.EMOTE: "emote",
    Kind.TELL: "tell",
    Kind.CHANNEL: "channel",
    Kind.MOVE: "move",
    Kind.SYSTEM: "system",
    Kind.HELP: "help",
    Kind.ECONOMY: "economy",
}
"""Reply kind -> log role; a room's first line gets the extra role ``room-title``."""

QUIT_HINT = "Type quit to leave."

LogLine = tuple[str, str]
"""(role, plain text) of one logical line; the log wraps it to the window width. The text
may be a ``report_table.TableText``, which the log draws as a table."""


def reply_lines(reply: Reply) -> list[LogLine]:
    """The log lines for one reply, control characters stripped (defence in depth)."""
    role = ROLES.get(reply.kind, "info")
    if isinstance(reply.data, ReportView):  # @report: its tables drawn as tables
        return log_lines(reply.data, role)
    lines = [(role, clean(line)) for line in reply.lines()]
    if reply.kind is Kind.ROOM and lines:
        lines[0] = ("room-title", lines[0][1])
    return lines


def system_line(text: str) -> LogLine:
    """A line from the UI itself, not the engine (the Ctrl-C hint)."""
    return ("system", text)
