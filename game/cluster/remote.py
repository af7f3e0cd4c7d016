"""The realm of a gateway (game/fronts/realm.py): sessions whose world is across the bus.

A :class:`RemoteSession` is what a gateway's connection holds: typed lines leave as
numbered commands (the world acknowledges each by number; a retried one is recognised),
and what the world sends back reaches the session's front end (a TUI, line mode) as if
the game were in this process. The room panel, status bar and completions the front asks
for synchronously are the last ones the world sent. At most ``max_waiting`` commands may
wait unacknowledged (the world restarting, a flood): past that a line is refused with a
sentence, never queued without bound.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from typing import Any

import structlog

from game.cluster.gateway_link import GatewayLink
from game.cluster.logins import LoginFacts
from game.core.port import FrontEnd
from game.core.reply import Reply, RoomView, StatusView
from game.fronts.realm import Seat

log = structlog.get_logger("sshrealm.gateway")

TOO_MANY = "{n} commands are already waiting for the world; this one was not sent. Try again soon."
EXEC_TIMEOUT_S = 30.0


class RemoteSession:
    """A session held by this gateway; its body lives in the world."""

    def __init__(self, link: GatewayLink, name: str, kind: str, max_waiting: int) -> None:
        self.link = link
        self.id = secrets.token_hex(6)
        self._name = name
        self.kind = kind
        self.max_waiting = max(1, max_waiting)
        self.front_end: FrontEnd | None = None
        self.closed = False
        self.seq = 0  # the last line sent
        self.done = 0  # the last line the world has run
        self._room: RoomView | None = None
        self._status = StatusView(name)
        self._completions: list[str] = []

    # -- PlayerPort / Seat ---------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    def submit(self, line: str) -> None:
        if self.closed:
            return
        waiting = self.seq - self.done
        if waiting >= self.max_waiting:
            self.send([Reply.error(TOO_MANY.format(n=waiting))])
            return
        self.seq += 1
        self.link.send("line", self.id, self.seq, line)

    def completions(self) -> Sequence[str]:
        return self._completions

    def current_room(self) -> RoomView | None:
        return self._room

    def current_status(self) -> StatusView:
        return self._status

    def prompt(self) -> str | None:
        return None  # the world sends a line-mode prompt after each command's output

    def send(self, replies: Sequence[Reply]) -> None:
        if self.front_end is not None and replies:
            self.front_end.deliver(list(replies))

    def close(self, reason: str) -> None:
        if not self.closed:
            self.closed = True
            self.link.send("close", self.id, reason)  # after every line sent before it

    # -- from the world (GatewayLink) ----------------------------------------------------------
    def deliver(self, replies: list[Reply]) -> None:
        if self.front_end is not None:
            self.front_end.deliver(replies)

    def set_room(self, view: RoomView, completions: list[str] | None) -> None:
        self._room = view
        if completions is not None:
            self._completions = completions
        if self.front_end is not None:
            self.front_end.set_room(view)

    def set_status(self, status: StatusView) -> None:
        self._status = status
        if self.front_end is not None:
            self.front_end.set_status(status)

    def closed_by_world(self, reason: str) -> None:
        self.closed = True
        if self.front_end is not None:
            self.front_end.close(reason)

    def acked(self, seq: int) -> None:
        self.done = max(self.done, seq)

    @property
    def waiting(self) -> int:
        """Lines sent that the world has not run yet."""
        return self.seq - self.done


class RemoteRealm:
    """Opens sessions through the bus; logins were checked with :class:`LoginFacts`."""

    def __init__(self, link: GatewayLink, facts: LoginFacts, max_waiting: int) -> None:
        self.link = link
        self.facts = facts
        self.max_waiting = max_waiting

    def clock(self) -> int:
        return self.facts.clock()

    def screenreader(self, name: str) -> bool:
        account = self.facts.store.account(name)
        return bool(account and account.screenreader)

    def open(
        self,
        name: str,
        front_end: Callable[[Seat], FrontEnd],
        *,
        kind: str,
        address: str,
    ) -> RemoteSession:
        session = RemoteSession(self.link, name, kind, self.max_waiting)
        session.front_end = front_end(session)
        self.link.sessions[session.id] = session
        self.link.send("open", session.id, name, kind, address, self.facts.creation(name))
        return session

    async def run_exec(self, name: str, command: str, address: str) -> tuple[list[Reply], bool]:
        creation = self.facts.creation(name)
        try:
            answer: Any = await self.link.ask(
                "exec", name, command, address, creation, within=EXEC_TIMEOUT_S
            )
        except TimeoutError:
            return [Reply.error("The world did not answer in time; try again soon.")], False
        replies, ok = answer
        return list(replies), bool(ok)

    def gone(self, session: Seat) -> None:
        held = self.link.sessions.pop(session.id, None)
        if held is not None:
            held.closed = True
            self.link.send("gone", session.id)
