"""Colour for telnet clients that ask for it, and for nobody else.

A client asks through TTYPE (RFC 1091): MUD clients answer the server's repeated requests
with their name, then a terminal type, then ``MTTS <bits>`` (the MUD Terminal Type
Standard), where bit 1 means ANSI colour. A terminal type that names a colour terminal
(``xterm-256color``, ``ANSI``) counts too; anything else (``unknown``, ``dumb``, no
answer) gets plain text. Screen-reader accounts and ``+plain`` logins never get colour,
whatever the client says: the connection decides that, not this module.

Colour only marks what the words already say (the kind of line): no fact is carried by
colour alone. Text is the same plain text line mode sends, wrapped in SGR codes per line.
"""

from __future__ import annotations

from collections.abc import Sequence

from game.core.reply import Kind, Reply

MTTS_ANSI = 1
COLOUR_TERMS = ("ANSI", "XTERM", "256COLOR", "TRUECOLOR", "LINUX", "SCREEN", "TMUX", "RXVT")
SGR = {
    Kind.ROOM: "1;36",  # the title line; the rest of the room stays plain
    Kind.SAY: "33",
    Kind.EMOTE: "33",
    Kind.TELL: "35",
    Kind.ERROR: "31",
    Kind.SYSTEM: "1;32",
    Kind.ECONOMY: "32",
    Kind.MOVE: "2",
}
RESET = "\x1b[0m"


def wants_colour(ttypes: Sequence[str]) -> bool:
    """Whether the TTYPE answers (in the order received) ask for ANSI colour."""
    for answer in ttypes:
        word = answer.strip().upper()
        if word.startswith("MTTS "):
            bits = word[5:].strip()
            if bits.isdigit():
                return bool(int(bits) & MTTS_ANSI)
    return any(term in answer.upper() for answer in ttypes for term in COLOUR_TERMS)


def paint(replies: Sequence[Reply]) -> str:
    """Replies as ``\\r\\n`` lines, coloured by kind (a room: its title only)."""
    out = []
    for reply in replies:
        code = SGR.get(reply.kind)
        for n, line in enumerate(reply.lines()):
            if code is not None and line and (reply.kind is not Kind.ROOM or n == 0):
                out.append(f"\x1b[{code}m{line}{RESET}\r\n")
            else:
                out.append(line + "\r\n")
    return "".join(out)
