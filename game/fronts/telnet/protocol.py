"""The telnet protocol, by telnetlib3: the only module that imports it.

telnetlib3's :class:`~telnetlib3.TelnetServer` interprets IAC sequences, answers option
negotiation and runs MCCP2 compression; its writer frames GMCP, MSDP and MSSP. Here it is
configured for MUD clients and bound to a :class:`~game.fronts.telnet.connection.TelnetConnection`:

* bytes mode (no decoding in the library: line mode decodes UTF-8 itself), NVT line mode
  (the client edits and echoes lines; no WILL SGA, no WILL ECHO except while a password
  is typed), no library idle timeout (the game has its own idle watcher);
* offered at once: EOR, GMCP, MSDP, MSSP; MCCP2 (not MCCP3) after the client answers any
  option, never over TLS (compress-then-encrypt leaks: CRIME/BREACH); the library asks
  TTYPE (the MTTS cycle) and NAWS;
* in-band bytes go straight to the connection (no buffering reader); negotiation the
  library cannot parse is logged by it and dropped, never fed to the game as text;
* the transport's unsent output is capped at ``max_output_kb``: a client that stops
  reading is dropped with a sentence, as over SSH.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import structlog
from telnetlib3 import TelnetReader, TelnetServer, TelnetWriter
from telnetlib3.server_base import BaseServer
from telnetlib3.telopt import (
    BINARY,
    DO,
    DONT,
    ECHO,
    EOR,
    GMCP,
    IAC,
    MCCP2_COMPRESS,
    MCCP3_COMPRESS,
    MSDP,
    MSSP,
    NAWS,
    SB,
    WILL,
    WONT,
)

from game.fronts.telnet.connection import TelnetConnection

if TYPE_CHECKING:
    from game.fronts.telnet.connection import TelnetHost

log = structlog.get_logger("sshrealm.telnet")
OFFERED = {GMCP: "GMCP", MSDP: "MSDP", MSSP: "MSSP"}
LINGER_S = 5.0
_MULTI_BYTE = (DO, DONT, WILL, WONT, SB)


class _Inbox(TelnetReader):
    """In-band data goes to ``sink`` as it arrives; nothing waits in a buffer."""

    sink: Any = None

    def feed_data(self, data: bytes) -> None:
        if data and self.sink is not None:
            self.sink(data)


class _Writer(TelnetWriter):
    """Tells the connection when the client agrees to an option the server offered, and
    drops the second byte of an unknown two-byte command (``IAC SE`` with no ``SB``), which
    the library would pass on as typed text."""

    agreed: Any = None

    def feed_byte(self, byte: bytes) -> bool:
        pending = self.cmd_received if self.cmd_received in _MULTI_BYTE else False
        stray = (
            self.iac_received
            and not pending
            and byte != IAC
            and byte not in _MULTI_BYTE
            and byte not in self._iac_callback
        )
        inband = bool(super().feed_byte(byte))
        return inband and not stray

    def handle_do(self, opt: bytes) -> bool:
        ok = bool(super().handle_do(opt))
        name = OFFERED.get(opt)
        if ok and name is not None and self.agreed is not None:
            # local_option is set once this returns: act on the next loop turn.
            asyncio.get_running_loop().call_soon(self.agreed, name)
        return ok


class MudTelnet(TelnetServer):
    """One telnet connection, speaking for a :class:`TelnetConnection`."""

    def __init__(self, host: TelnetHost, *, tls: bool) -> None:
        super().__init__(
            encoding=False,
            line_mode=True,
            timeout=0,
            compression=not tls,
            connect_maxwait=2.0,
            reader_factory=_Inbox,
            writer_factory=_Writer,
        )
        self.host = host
        self.conn: TelnetConnection | None = None
        self.limit = max(1, host.settings.max_output_kb) * 1024
        self._overflowed = False
        self._hanging_up = False
        self._linger: asyncio.TimerHandle | None = None
        self.on_gone: Callable[[MudTelnet], None] = lambda protocol: None

    # -- asyncio -------------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        peer = transport.get_extra_info("peername")
        address = str(peer[0]) if peer else ""
        why = self.host.gate.admit(address)
        if why is not None:
            with contextlib.suppress(Exception):
                assert isinstance(transport, asyncio.WriteTransport)
                transport.write(f"{why}\r\n".encode())
            transport.close()
            return
        conn = self.conn = TelnetConnection(self.host, self, address)
        reader, writer = self.reader, self.writer
        assert isinstance(reader, _Inbox)
        assert isinstance(writer, _Writer)
        reader.sink = conn.data
        writer.agreed = conn.option_agreed
        writer.always_dont.add(MCCP3_COMPRESS)
        writer.always_wont.add(MCCP3_COMPRESS)
        writer.set_ext_callback(GMCP, conn.gmcp_in)
        writer.set_ext_callback(MSDP, conn.msdp_in)
        asyncio.get_running_loop().call_soon(conn.start)

    def begin_negotiation(self) -> None:
        if self.conn is None or self.writer is None:
            return  # refused at the door
        super().begin_negotiation()
        for option in (EOR, GMCP, MSDP, MSSP):
            self.writer.iac(WILL, option)

    def begin_advanced_negotiation(self) -> None:
        """The library's, less MCCP3: client-to-server compression saves nothing on typed
        commands and its decompression is one more parser facing untrusted bytes."""
        BaseServer.begin_advanced_negotiation(self)
        writer = self.writer
        assert writer is not None
        writer.iac(WILL, BINARY)
        writer.iac(DO, NAWS)
        if self._mccp2_enabled and writer.get_extra_info("ssl_object") is None:
            writer.iac(WILL, MCCP2_COMPRESS)

    def eof_received(self) -> bool:  # type: ignore[override]
        """Half-close: lines already sent still run and show their output (line mode's
        finish), then the connection closes."""
        if self.conn is not None:
            self.conn.eof()
            return True
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        conn, self.conn = self.conn, None
        self.on_gone(self)
        if self._linger is not None:
            self._linger.cancel()
            self._linger = None
        if conn is not None:
            conn.lost()
        if isinstance(self.reader, _Inbox):
            self.reader.sink = None
        super().connection_lost(exc)

    # -- Wire ----------------------------------------------------------------------------------
    def write(self, data: bytes) -> None:
        writer, transport = self.writer, self._transport
        if writer is None or transport is None or writer.is_closing():
            return
        if self._overflowed or self._hanging_up:
            return
        if transport.get_write_buffer_size() > self.limit:
            self._overflow()
            return
        writer.write(data)

    def _overflow(self) -> None:
        self._overflowed = True
        kb = self.limit // 1024
        log.warning("output_overflow", limit_kb=kb, front="telnet")
        transport = self._transport
        if transport is not None:
            transport.abort()  # nothing more can reach a client that does not read

    def end_prompt(self) -> None:
        writer = self.writer
        if writer is not None and not writer.is_closing() and not writer.send_eor():
            writer.send_ga()

    def send_gmcp(self, package: str, data: Any) -> None:
        if self.writer is not None and not self.writer.is_closing():
            self.writer.send_gmcp(package, data)

    def send_msdp(self, variables: dict[str, Any]) -> None:
        if self.writer is not None and not self.writer.is_closing():
            self.writer.send_msdp(variables)

    def send_mssp(self, variables: dict[str, str | list[str]]) -> None:
        if self.writer is not None and not self.writer.is_closing():
            self.writer.send_mssp(variables)

    def echo_off(self, off: bool) -> None:
        writer = self.writer
        if writer is None or writer.is_closing():
            return
        if off:
            writer.iac(WILL, ECHO)
        elif writer.local_option.enabled(ECHO) or writer.pending_option.enabled(WILL + ECHO):
            writer.pending_option[WILL + ECHO] = False
            writer.iac(WONT, ECHO)

    def ttypes(self) -> list[str]:
        found = []
        for n in range(1, self.TTYPE_LOOPMAX + 2):
            answer = self.get_extra_info(f"ttype{n}")
            if answer:
                found.append(str(answer))
        return found

    def pause(self) -> None:
        if isinstance(self._transport, asyncio.ReadTransport):
            self._transport.pause_reading()

    def resume(self) -> None:
        if isinstance(self._transport, asyncio.ReadTransport):
            self._transport.resume_reading()

    def close(self) -> None:
        """Hang up politely: what was written goes out, then end-of-file; input still
        arriving (a client's late negotiation answer) is read and dropped until the client
        closes, so the kernel never answers it with a reset that could eat the last words.
        The game lets go of the player at once; a client that never closes is cut off after
        ``LINGER_S``."""
        transport = self._transport
        if transport is None or self._hanging_up:
            return
        self._hanging_up = True
        conn, self.conn = self.conn, None
        if conn is not None:
            conn.lost()
        if isinstance(self.reader, _Inbox):
            self.reader.sink = None
        if isinstance(transport, asyncio.WriteTransport) and transport.can_write_eof():
            transport.write_eof()
            self._linger = self.host.call_later(LINGER_S, self.abort)
        else:
            self.abort()

    def abort(self) -> None:
        """Hang up now (server stop, a client that will not close)."""
        writer = self.writer
        if writer is not None and not writer.is_closing():
            writer.close()
