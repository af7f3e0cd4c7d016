"""Logging in over telnet: a name, then a password, a new password, or a link code.

The rules are keyboard-interactive's (game/fronts/ssh/auth.py), through the same
:class:`~game.fronts.gate.LoginGate`: a free name chooses a password of at least
``MIN_PASSWORD`` characters (typed twice) and the account is made; a known name with a
password is asked for it; bans, shutdown and a full server refuse any name; failed
passwords and link codes count against the address, claimed before the argon2 check.

An account with only SSH keys has no password to type: its player runs ``keys link`` in an
SSH session and types that one-time code here (one guess per connection, as over SSH); the
code is spent and the player chooses a password, which later logins (telnet, or SSH without
a key) ask for.

While a password is typed the server offers WILL ECHO (the client stops echoing it) and
withdraws it after; plain telnet still sends it in the clear (docs/telnet.md says so).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from enum import Enum, auto
from typing import TYPE_CHECKING, Protocol

import structlog

from game.fronts.gate import MIN_PASSWORD
from game.fronts.names import RULE, Login, parse_login

if TYPE_CHECKING:
    from game.engine.game import Game
    from game.fronts.gate import LoginGate

log = structlog.get_logger("sshrealm.telnet")
PASSWORD_TRIES = 3
ASK_NAME = "What name do you go by? (add +plain for no colour) "


class Asker(Protocol):
    """How the dialog talks to the client (the connection fits)."""

    def say(self, text: str) -> None:
        """Lines of text (``\\n`` between lines)."""

    def ask(self, prompt: str, *, secret: bool = False) -> None:
        """A prompt the client shows as one (ended with EOR or GA); ``secret``: no echo."""

    def hang_up(self, why: str) -> None: ...


class Step(Enum):
    NAME = auto()
    PASSWORD = auto()
    NEW_PASSWORD = auto()
    REPEAT = auto()
    CODE = auto()
    BUSY = auto()  # a hash is being checked: typed lines wait their turn, unread
    DONE = auto()


class LoginDialog:
    """One connection's login; ``done(login)`` runs once the player has proved who they are."""

    def __init__(
        self,
        game: Game,
        gate: LoginGate,
        address: str,
        asker: Asker,
        done: Callable[[Login], None],
    ) -> None:
        self.game = game
        self.gate = gate
        self.address = address
        self.asker = asker
        self.done = done
        self.step = Step.NAME
        self.login = Login("", False, False)
        self.tries = 0
        self.linking = False  # a key account proved by its link code: choosing a password
        self.chosen = ""
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.asker.say("Welcome to sshrealm.")
        self.asker.ask(ASK_NAME)

    def line(self, text: str) -> None:
        text = text.strip()
        if self.step is Step.NAME:
            self._name(text)
        elif self.step is Step.PASSWORD:
            self._later(self._password(text))
        elif self.step is Step.NEW_PASSWORD:
            self._new_password(text)
        elif self.step is Step.REPEAT:
            self._repeat(text)
        elif self.step is Step.CODE:
            self._code(text)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    # -- steps ---------------------------------------------------------------------------------
    def _name(self, text: str) -> None:
        login = parse_login(text)
        if not login.valid:
            self.asker.say(f"Cannot log in as {text[:40]!r}. {RULE}")
            self.asker.ask(ASK_NAME)
            return
        why = self.gate.refuse_login(login.name, self.address)
        if why is not None:
            self.asker.hang_up(why)
            return
        self.login = login
        account = self.game.store.account(login.name)
        if account is None:
            self.asker.say(f"{login.name!r} is free. Choose a password for it.")
            self._ask_new()
        elif account.password_hash is not None:
            self._ask_secret(Step.PASSWORD, "Password: ")
        elif self.game.store.link_code(login.name, self.game.clock()) is not None:
            self.asker.say(
                f"{account.name!r} logs in with an SSH key. Type the code that keys link "
                "gave you in your SSH session."
            )
            self._ask_secret(Step.CODE, "Link code: ")
        else:
            self.asker.hang_up(
                f"{account.name!r} logs in with an SSH key, not a password. Log in over SSH "
                "and type keys link; then connect here again and type the code."
            )

    def _locked(self) -> bool:
        why = self.gate.password_lockout(self.address) or self.gate.claim_guess(self.address)
        if why is not None:
            self.asker.hang_up(why)
            return True
        return False

    async def _password(self, text: str) -> None:
        if self._locked():
            return
        if await self.gate.check_password(self.login.name, text, self.address):
            self._finish()
            return
        self.tries += 1
        locked = self.gate.password_lockout(self.address)
        if locked is not None or self.tries >= PASSWORD_TRIES:
            self.asker.hang_up(f"Wrong password. {locked or ''}".strip())
            return
        self.asker.say("Wrong password.")
        self._ask_secret(Step.PASSWORD, "Password: ")

    def _code(self, text: str) -> None:
        if self._locked():
            return
        if not self.gate.check_link_code(self.login.name, text, self.address):
            self.asker.hang_up("That link code is wrong or has expired.")
            return
        self.linking = True
        self.asker.say("That is your code. Choose a password for telnet logins.")
        self._ask_new()

    def _ask_new(self) -> None:
        self._ask_secret(Step.NEW_PASSWORD, f"New password (at least {MIN_PASSWORD} characters): ")

    def _new_password(self, text: str) -> None:
        if len(text) < MIN_PASSWORD:
            self.asker.say(f"Use at least {MIN_PASSWORD} characters.")
            self._ask_new()
            return
        self.chosen = text
        self._ask_secret(Step.REPEAT, "Repeat password: ")

    def _repeat(self, text: str) -> None:
        if text != self.chosen:
            self.chosen = ""
            self.asker.say("The two passwords did not match. Try again.")
            self._ask_new()
            return
        self._later(self._store_password())

    async def _store_password(self) -> None:
        digest = await self.gate.hash_new(self.chosen)
        self.chosen = ""
        game, name = self.game, self.login.name
        if self.linking:
            if game.store.link_code(name, game.clock()) is None:  # spent meanwhile
                self.asker.hang_up("That link code was just used. Ask for a new one.")
                return
            with game.ledger.atomic():  # the password and the spent code, together
                game.store.set_password_hash(name, digest)
                game.store.clear_link_code(name)
                game.audit.record(name, "password-linked", name, "one-time link code (telnet)")
            log.info("password_linked", player=name, address=self.address)
        elif game.store.account(name) is not None:
            self.asker.hang_up(f"The name {name!r} was just taken by someone else. Choose another.")
            return
        else:
            game.ensure_account(name, password_hash=digest)
            log.info("account_bound", player=name, by="password", front="telnet")
        self._finish()

    # -- helpers -------------------------------------------------------------------------------
    def _ask_secret(self, step: Step, prompt: str) -> None:
        self.step = step
        self.asker.ask(prompt, secret=True)

    def _later(self, work: object) -> None:
        """Run a step that waits on a hash; lines typed meanwhile are not read as answers."""
        assert asyncio.iscoroutine(work)
        self.step = Step.BUSY
        self.task = asyncio.get_running_loop().create_task(work)
        self.task.add_done_callback(_report)

    def _finish(self) -> None:
        self.step = Step.DONE
        self.done(self.login)


def _report(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("telnet_login_failed", error=repr(task.exception()))
