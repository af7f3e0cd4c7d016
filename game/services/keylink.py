"""One-time codes that let a player add a second SSH key (a new laptop, a phone).

A player logged in with a key they already have types ``keys link`` and gets a short code,
valid for ten minutes. Logging in as themselves with the new key then asks for that code
(keyboard-interactive), and the new key is bound. Only a hash of the code is stored, and
guesses count against the login throttle like wrong passwords.
"""

from __future__ import annotations

import hashlib
import secrets

LINK_TTL_MS = 10 * 60 * 1000
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: codes are read aloud and typed


def new_code() -> str:
    """Eight random characters (40 bits) as ``abcd-efgh``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def code_hash(code: str) -> str:
    """Hash of a code as typed: case, spaces and dashes do not matter."""
    normalized = "".join(c for c in code.lower() if c.isalnum())
    return hashlib.sha256(normalized.encode()).hexdigest()


def matches(code: str, stored_hash: str) -> bool:
    return secrets.compare_digest(code_hash(code), stored_hash)
