"""A player's own shortcuts: aliases and the line-mode prompt, kept in the database.

An alias is one word standing for one or more commands separated by ``;``; ``$*`` in the
expansion is replaced by whatever followed the alias word, ``$1``..``$9`` by single words.
Expansion is one level deep (an alias inside an expansion runs as the command of that
name, never as another alias), at most :data:`MAX_STEPS` commands, so no alias can loop.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

Undo = Callable[[Callable[[], None]], None]
MAX_ALIASES = 50
MAX_STEPS = 10
MAX_EXPANSION = 400
NAME = re.compile(r"^[a-z][a-z0-9_-]{0,19}$")
PROMPT_MAX = 80
PROMPT_FIELDS = {
    "%t": "tokens",
    "%q": "priced actions left today",
    "%r": "room name",
    "%n": "your name",
    "%%": "a percent sign",
}


def expand(expansion: str, args: str) -> list[str]:
    """The commands an alias runs, with ``$*`` and ``$1``..``$9`` filled in from ``args``."""
    words = args.split()

    def word(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return words[index] if index < len(words) else ""

    filled = expansion.replace("$*", args)
    filled = re.sub(r"\$([1-9])", word, filled)
    steps = [part.strip() for part in filled.split(";")]
    return [s for s in steps if s][:MAX_STEPS]


def render_prompt(template: str, values: dict[str, str]) -> str:
    """The prompt with ``%t``, ``%q``, ``%r``, ``%n`` replaced (``%%`` is a percent sign)."""
    return re.sub(r"%[tqrn%]", lambda m: values.get(m.group(0), "%"), template)


class Shortcuts:
    """Aliases are looked up for every typed line, so each player's are read from the
    database once and kept; a change made in a failed step is undone in memory too."""

    def __init__(self, conn: sqlite3.Connection, on_rollback: Undo) -> None:
        self.conn = conn
        self.on_rollback = on_rollback
        self._aliases: dict[str, dict[str, str]] = {}

    def aliases(self, player: str) -> dict[str, str]:
        """The player's aliases, word to expansion (read-only)."""
        key = player.lower()
        found = self._aliases.get(key)
        if found is None:
            rows = self.conn.execute(
                "SELECT name, expansion FROM player_aliases WHERE player = ?",
                (key,),
            )
            found = self._aliases[key] = {name: expansion for name, expansion in rows}
        return found

    def alias(self, player: str, word: str) -> str | None:
        return self.aliases(player).get(word.lower())

    def set_alias(self, player: str, word: str, expansion: str) -> None:
        self.conn.execute(
            "INSERT INTO player_aliases (player, name, expansion) VALUES (?, ?, ?)"
            " ON CONFLICT (player, name) DO UPDATE SET expansion = excluded.expansion",
            (player.lower(), word.lower(), expansion),
        )
        self._change(player, word.lower(), expansion)

    def remove_alias(self, player: str, word: str) -> bool:
        cur = self.conn.execute(
            "DELETE FROM player_aliases WHERE player = ? AND name = ?",
            (player.lower(), word.lower()),
        )
        if cur.rowcount > 0:
            self._change(player, word.lower(), None)
        return cur.rowcount > 0

    def _change(self, player: str, word: str, expansion: str | None) -> None:
        known = self.aliases(player)
        before = known.get(word)
        self._put(known, word, expansion)
        self.on_rollback(lambda: self._put(known, word, before))

    @staticmethod
    def _put(known: dict[str, str], word: str, expansion: str | None) -> None:
        if expansion is None:
            known.pop(word, None)
        else:
            known[word] = expansion

    def prompt(self, player: str) -> str | None:
        row = self.conn.execute(
            "SELECT value FROM player_prefs WHERE player = ? AND key = 'prompt'",
            (player.lower(),),
        ).fetchone()
        return None if row is None else str(row[0])

    def set_prompt(self, player: str, template: str | None) -> None:
        if template is None:
            self.conn.execute(
                "DELETE FROM player_prefs WHERE player = ? AND key = 'prompt'", (player.lower(),)
            )
            return
        self.conn.execute(
            "INSERT INTO player_prefs (player, key, value) VALUES (?, 'prompt', ?)"
            " ON CONFLICT (player, key) DO UPDATE SET value = excluded.value",
            (player.lower(), template),
        )
