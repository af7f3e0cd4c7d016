"""One telnet connection: the login dialog, then a line-mode session with prompts and GMCP.

The connection knows the telnet library only as :class:`Wire` (game/fronts/telnet/protocol.py
fits): bytes out, a prompt's end marker, GMCP and MSDP messages, input echo, the TTYPE
answers, close. It knows the game as :class:`TelnetHost`: the game to connect to, the login
gate it shares with SSH, and a :class:`~game.fronts.telnet.source.Source` for the facts
MUD clients want beyond what every front end is pushed.

After login it is line mode (game/fronts/line.py: the same commands, the same
one-fact-per-line output, one typed line run per event-loop turn) plus:

* a prompt (``>``) after each burst of output, ended with IAC EOR when the client agreed to
  EOR, else IAC GA, so clients can tell a prompt from text;
* colour when the client asked for it (colour.py), never for ``+plain`` logins or
  screen-reader accounts;
* GMCP/MSDP (outband.py): Char.Name at login; Room.Info and Room.Players when the engine
  pushes a room; Char.Status when it pushes a status; Char.Skills, Char.Items.Inv and
  sshrealm.Growth after the player's own commands and status changes; Comm.Channel.Text
  for each say, emote and tell. Each is sent only when it changed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import structlog

from game.core.reply import Reply, RoomView, StatusView
from game.fronts.entry import enter_line
from game.fronts.line import LineFrontEnd, render
from game.fronts.names import Login
from game.fronts.telnet import gmcp
from game.fronts.telnet.colour import paint, wants_colour
from game.fronts.telnet.login import LoginDialog
from game.fronts.telnet.outband import Outband

if TYPE_CHECKING:
    from game.core.config import Settings
    from game.engine.game import Game
    from game.engine.session import Session
    from game.fronts.gate import LoginGate
    from game.fronts.telnet.source import Source

log = structlog.get_logger("sshrealm.telnet")
PROMPT = "> "


class Wire(Protocol):
    """What a connection needs of its telnet transport."""

    def write(self, data: bytes) -> None:
        """In-band bytes (IAC doubled by the transport)."""

    def end_prompt(self) -> None:
        """IAC EOR if the client agreed to EOR, else IAC GA."""

    def send_gmcp(self, package: str, data: Any) -> None: ...

    def send_msdp(self, variables: dict[str, Any]) -> None: ...

    def send_mssp(self, variables: dict[str, str | list[str]]) -> None: ...

    def echo_off(self, off: bool) -> None:
        """WILL ECHO (the client stops echoing: a password) or WONT ECHO."""

    def ttypes(self) -> list[str]:
        """The client's TTYPE answers so far, in order."""

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def close(self) -> None: ...


class TelnetHost(Protocol):
    """What a connection needs of the telnet front (:class:`TelnetFront` fits)."""

    @property
    def game(self) -> Game: ...

    @property
    def gate(self) -> LoginGate: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def source(self) -> Source: ...

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> asyncio.TimerHandle: ...


class TelnetScreen(LineFrontEnd):
    """Line mode with prompts, optional colour and the GMCP hooks."""

    shows_room = True  # the room goes out as GMCP Room.Info and Room.Players

    def __init__(self, conn: TelnetConnection) -> None:
        wire = conn.wire
        super().__init__(wire.write, conn.ended, echo=False, pause=wire.pause, resume=wire.resume)
        self.conn = conn
        self.colour = False
        self._prompt_due = False

    def deliver(self, replies: Sequence[Reply]) -> None:
        if self.closed:
            return
        text = paint(replies) if self.colour else render(replies)
        if text:
            self._write(text.encode())
            self.prompt_soon()
        for said in gmcp.channel_texts(replies):
            self.conn.outband.put("Comm.Channel.Text", said)

    def set_room(self, view: RoomView) -> None:
        self.conn.room_changed(view)

    def set_status(self, status: StatusView) -> None:
        self.conn.status_changed(status)

    def prompt_soon(self) -> None:
        """One prompt after everything this loop turn wrote."""
        if not self._prompt_due and self.conn.playing:
            self._prompt_due = True
            asyncio.get_running_loop().call_soon(self._prompt)

    def _prompt(self) -> None:
        self._prompt_due = False
        if not self.closed:
            self._write((self.prompt() or PROMPT).encode())
            self.conn.wire.end_prompt()

    def show_prompt(self) -> None:
        """Telnet ends every burst of output with a prompt already (``prompt_soon``)."""


class TelnetConnection:
    def __init__(self, host: TelnetHost, wire: Wire, address: str) -> None:
        self.host = host
        self.wire = wire
        self.address = address
        self.outband = Outband(wire.send_gmcp, wire.send_msdp)
        self.screen = TelnetScreen(self)
        self.session: Session | None = None
        self.playing = False  # logged in: output ends with a prompt
        self.slot = False  # holds one of max_sessions
        self.logging_in = True  # holds one of the gate's login slots
        self.login = LoginDialog(host.game, host.gate, address, self, self._logged_in)
        self.screen.on_line = self.login.line
        self.screen.on_end = lambda: self.screen.close("Goodbye.")
        self._timer: asyncio.TimerHandle | None = None

    def start(self) -> None:
        self._timer = self.host.call_later(
            max(1, self.host.settings.login_timeout_s), self._login_timeout
        )
        self.login.start()

    # -- Asker (the login dialog) --------------------------------------------------------------
    def say(self, text: str) -> None:
        self.screen.deliver([Reply.info(text)])

    def ask(self, prompt: str, *, secret: bool = False) -> None:
        self.wire.echo_off(secret)
        self.wire.write(prompt.encode())
        self.wire.end_prompt()

    def hang_up(self, why: str) -> None:
        self.wire.echo_off(False)
        self.screen.close(why)

    def _login_timeout(self) -> None:
        self._timer = None
        if self.session is None:
            self.hang_up("Login timed out. Connect again when you are ready.")

    # -- login done ----------------------------------------------------------------------------
    def _logged_in(self, login: Login) -> None:
        self.wire.echo_off(False)
        self._stop_timer()
        self._free_login_slot()
        host, game = self.host, self.host.game
        if not host.gate.claim_slot():
            self.hang_up("The server is full right now. Try again in a few minutes.")
            return
        self.slot = True
        account = game.store.account(login.name)
        plain = login.plain or (account is not None and account.screenreader)
        self.screen.colour = not plain and wants_colour(self.wire.ttypes())
        self.playing = True
        self.session = session = enter_line(
            game, login.name, self.screen, kind="telnet", address=self.address
        )
        self.screen.on_line = self._run
        self.outband.put("Char.Name", gmcp.char_name(session.name))
        self.status_changed(session.current_status())
        log.info("telnet_login", player=session.name, client=self.outband.client)

    def _run(self, line: str) -> None:
        if self.session is not None:
            self.session.submit(line)
            self._refresh_char()

    # -- pushed by the engine ------------------------------------------------------------------
    def room_changed(self, view: RoomView) -> None:
        facts = self.host.source.room(view.id)
        self.outband.put("Room.Info", gmcp.room_info(view, facts))
        self.outband.put("Room.Players", gmcp.room_players(view))

    def status_changed(self, status: StatusView) -> None:
        self.outband.put("Char.Status", gmcp.char_status(status))
        self.outband.put("Char.Vitals", gmcp.char_vitals(status))
        self._refresh_char()

    def _refresh_char(self) -> None:
        """Skills, inventory and growth change with the player's own commands (and status
        changes): read them then, sent only if they differ."""
        if self.session is None or self.screen.closed or not self._listening():
            return
        source, name = self.host.source, self.session.name
        self.outband.put("Char.Skills", source.skills(name))
        self.outband.put("Char.Items.Inv", source.inventory(name))
        self.outband.put("sshrealm.Growth", source.growth(name))

    def _listening(self) -> bool:
        return self.outband.gmcp or bool(self.outband.reported)

    # -- from the client -----------------------------------------------------------------------
    def option_agreed(self, option: str) -> None:
        """The client agreed to an option we offered: ``GMCP``, ``MSDP`` or ``MSSP``."""
        if option == "GMCP":
            self.outband.gmcp_on()
            self._refresh_char()
        elif option == "MSDP":
            self.outband.msdp_on()
        elif option == "MSSP":
            self.wire.send_mssp(self.host.source.server())

    def gmcp_in(self, package: str, data: Any) -> None:
        self.outband.gmcp_in(package, data)

    def msdp_in(self, variables: dict[str, Any]) -> None:
        self.outband.msdp_in(variables)
        self._refresh_char()

    def data(self, data: bytes) -> None:
        self.screen.feed(data)

    def eof(self) -> None:
        if self.session is None:
            self.screen.close("Goodbye.")
        else:
            self.screen.finish()

    # -- ending --------------------------------------------------------------------------------
    def ended(self) -> None:
        """The screen closed (quit, takeover, kick, a refusal): hang up."""
        self.wire.close()

    def lost(self) -> None:
        """The connection is gone, however it ended."""
        self._stop_timer()
        self.login.cancel()
        self.screen.steps.cancel()
        self.screen.closed = True
        self._free_login_slot()
        if self.session is not None:
            self.host.game.disconnect(self.session)
        if self.slot:
            self.slot = False
            self.host.gate.release_slot()

    def _free_login_slot(self) -> None:
        if self.logging_in:
            self.logging_in = False
            self.host.gate.logged_in_or_gone(self.address)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
