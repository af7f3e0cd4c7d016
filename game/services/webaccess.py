"""Who is signed in on the web, and how a player gets there from the game.

Three things live here, all in the database so a restart signs nobody out:

* **web sessions**: a browser's cookie holds a random token; only its SHA-256 is stored,
  with the player, a CSRF token for that session's forms and an expiry;
* **one-time codes**: ``web login`` in the game gives a code (the ``keys link`` alphabet,
  valid ten minutes, only its hash kept) that signs the player in on the web's sign-in
  page once; a new code replaces the old one;
* **being listed**: the public landing page lists who is online unless a player said
  ``web hide`` (a ``player_prefs`` row, ``web_listed = 0``).

The web front checks codes through the login gate (game/fronts/gate.py), so guesses count
against the same per-address budget as passwords and SSH link codes.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from collections.abc import Callable

from game.services.keylink import code_hash, matches, new_code

WEB_CODE_TTL_MS = 10 * 60 * 1000
SESSION_TTL_MS = 30 * 24 * 3600 * 1000
"""A browser stays signed in for 30 days, or until it signs out."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class WebAccess:
    def __init__(self, conn: sqlite3.Connection, clock: Callable[[], int]) -> None:
        self.conn = conn
        self.clock = clock
        self._hidden: set[str] | None = None  # lower-cased names not listed on the web

    # -- one-time codes --------------------------------------------------------------------------
    def issue_code(self, player: str) -> str:
        """A fresh code for ``player`` (the previous one stops working)."""
        code = new_code()
        self.conn.execute(
            "INSERT INTO web_codes (player, code_hash, expires_ms) VALUES (?, ?, ?) "
            "ON CONFLICT(player) DO UPDATE SET code_hash = excluded.code_hash, "
            "expires_ms = excluded.expires_ms",
            (player, code_hash(code), self.clock() + WEB_CODE_TTL_MS),
        )
        return code

    def has_code(self, player: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM web_codes WHERE player = ? AND expires_ms > ?", (player, self.clock())
        ).fetchone()
        return row is not None

    def spend_code(self, player: str, code: str) -> bool:
        """Whether ``code`` is ``player``'s live code; a right code is spent at once."""
        row = self.conn.execute(
            "SELECT code_hash FROM web_codes WHERE player = ? AND expires_ms > ?",
            (player, self.clock()),
        ).fetchone()
        if row is None or not matches(code, row[0]):
            return False
        self.conn.execute("DELETE FROM web_codes WHERE player = ?", (player,))
        return True

    # -- sessions --------------------------------------------------------------------------------
    def open_session(self, player: str) -> tuple[str, str]:
        """A new signed-in browser: (cookie token, CSRF token)."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        now = self.clock()
        self.conn.execute("DELETE FROM web_sessions WHERE expires_ms <= ?", (now,))
        self.conn.execute(
            "INSERT INTO web_sessions (token_hash, player, csrf, created_ms, expires_ms) "
            "VALUES (?, ?, ?, ?, ?)",
            (token_hash(token), player, csrf, now, now + SESSION_TTL_MS),
        )
        return token, csrf

    def session(self, token: str) -> tuple[str, str] | None:
        """(player, CSRF token) for a cookie's token, or None if unknown or expired."""
        if not token or len(token) > 100:
            return None
        row = self.conn.execute(
            "SELECT s.player, s.csrf, p.name FROM web_sessions s JOIN players p "
            "ON p.name = s.player WHERE s.token_hash = ? AND s.expires_ms > ?",
            (token_hash(token), self.clock()),
        ).fetchone()
        return (str(row[2]), str(row[1])) if row is not None else None

    def close_session(self, token: str) -> None:
        self.conn.execute("DELETE FROM web_sessions WHERE token_hash = ?", (token_hash(token),))

    def close_all(self, player: str) -> int:
        """Sign ``player`` out of every browser; how many sessions ended."""
        cur = self.conn.execute("DELETE FROM web_sessions WHERE player = ?", (player,))
        return cur.rowcount

    def sessions_of(self, player: str) -> int:
        row = self.conn.execute(
            "SELECT count(*) FROM web_sessions WHERE player = ? AND expires_ms > ?",
            (player, self.clock()),
        ).fetchone()
        return int(row[0])

    # -- listing ---------------------------------------------------------------------------------
    def hidden(self) -> set[str]:
        """Lower-cased names of players who asked not to be listed on the web."""
        if self._hidden is None:
            self._hidden = {
                str(r[0]).lower()
                for r in self.conn.execute(
                    "SELECT player FROM player_prefs WHERE key = 'web_listed' AND value = '0'"
                )
            }
        return self._hidden

    def listed(self, player: str) -> bool:
        return player.lower() not in self.hidden()

    def set_listed(self, player: str, listed: bool) -> None:
        if listed:
            self.conn.execute(
                "DELETE FROM player_prefs WHERE player = ? AND key = 'web_listed'", (player,)
            )
            self.hidden().discard(player.lower())
        else:
            self.conn.execute(
                "INSERT INTO player_prefs (player, key, value) VALUES (?, 'web_listed', '0') "
                "ON CONFLICT(player, key) DO UPDATE SET value = '0'",
                (player,),
            )
            self.hidden().add(player.lower())
