"""Login names: ``ana`` or ``ana+plain`` (forces line mode)."""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{2,19}")
RULE = "Names are 3 to 20 characters: a letter first, then letters, digits, - or _."


@dataclass(frozen=True, slots=True)
class Login:
    name: str
    plain: bool
    valid: bool


def parse_login(username: str) -> Login:
    name, plus, option = username.partition("+")
    plain = bool(plus) and option.lower() == "plain"
    valid = bool(NAME.fullmatch(name)) and (not plus or plain)
    return Login(name, plain, valid)
