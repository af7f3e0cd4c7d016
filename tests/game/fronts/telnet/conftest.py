"""The telnet front's tests: the real server on port 0, driven by telnetlib3's own client.

:class:`Mud` is a MUD client made of telnetlib3's ``TelnetClient`` that agrees to GMCP,
MSDP, MSSP and EOR, answers TTYPE like the client it pretends to be, and records every
out-of-band message in order. :func:`raw` is the opposite: a bare TCP socket that
answers no negotiation and sees every byte the server sends.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import telnetlib3
from telnetlib3.telopt import MSDP, MSSP

from game.app import Server
from tests.conftest import FakeClock
from tests.game.ops.conftest import ops_settings

Start = Callable[..., Awaitable[Server]]
ALL_MODULES = ["char 1", "char.items 1", "room 1", "comm 1", "sshrealm 1"]


@pytest.fixture
async def start(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Start]:
    """Start a server with telnet on a free port and these setting overrides."""
    servers: list[Server] = []

    async def make(**overrides: object) -> Server:
        values: dict[str, object] = {
            "conn_per_minute": 0,
            "http_port": -1,
            "telnet_host": "127.0.0.1",
            "telnet_port": 0,
            "commands_per_second": 0,
        }
        values.update(overrides)
        srv = Server(ops_settings(tmp_path / f"var{len(servers)}", **values), clock=clock)
        await srv.start()
        servers.append(srv)
        return srv

    yield make
    for srv in servers:
        await srv.stop()


class Recorder(telnetlib3.TelnetClient):
    """telnetlib3's client, taking MSDP and MSSP too, keeping what arrives out of band."""

    ttype_answers: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gmcp: list[tuple[str, Any]] = []
        self.msdp: list[dict[str, Any]] = []
        self.mssp: dict[str, Any] | None = None
        self._ttypes = list(self.ttype_answers)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        assert self.writer is not None
        self.writer.passive_do.update({MSDP, MSSP})
        self.writer.set_ext_callback(MSDP, self.msdp.append)
        self.writer.set_ext_callback(MSSP, self._mssp)

    def _mssp(self, variables: dict[str, Any]) -> None:
        self.mssp = variables

    def on_gmcp(self, package: str, data: Any) -> None:
        self.gmcp.append((package, data))

    def send_ttype(self) -> str:
        if self._ttypes:
            answer = self._ttypes.pop(0) if len(self._ttypes) > 1 else self._ttypes[0]
            return answer
        return super().send_ttype()

    def packages(self, name: str) -> list[Any]:
        return [data for package, data in self.gmcp if package == name]


class Mud:
    """One MUD client connection: read text up to a marker, type lines, see GMCP."""

    def __init__(self, reader: Any, writer: Any, protocol: Recorder) -> None:
        self.reader = reader
        self.writer = writer
        self.client = protocol
        self.seen = b""
        self.pos = 0

    async def until(self, text: str, within: float = 10.0) -> str:
        wanted = text.encode()
        async with asyncio.timeout(within):
            while (found := self.seen.find(wanted, self.pos)) < 0:
                chunk = await self.reader.read(65536)
                if not chunk:
                    raise EOFError(f"closed before {text!r}; got {self.seen[-600:]!r}")
                self.seen += chunk
        start, self.pos = self.pos, found + len(wanted)
        return self.seen[start : self.pos].decode(errors="replace")

    async def rest(self, within: float = 10.0) -> bytes:
        """Everything until the server closes the connection."""
        async with asyncio.timeout(within):
            while chunk := await self.reader.read(65536):
                self.seen += chunk
        return self.seen[self.pos :]

    def send(self, line: str) -> None:
        self.writer.write((line + "\r\n").encode())

    async def gmcp(self, package: str, test: Callable[[Any], bool] = lambda d: True) -> Any:
        """The first ``package`` message (from the start) that passes ``test``."""
        async with asyncio.timeout(10):
            while True:
                for data in self.client.packages(package):
                    if test(data):
                        return data
                await asyncio.sleep(0.01)  # a poll of what has arrived

    async def msdp(self, test: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The first MSDP message (from the start) that passes ``test``."""
        async with asyncio.timeout(10):
            while True:
                for message in self.client.msdp:
                    if test(message):
                        return message
                await asyncio.sleep(0.01)  # a poll of what has arrived

    async def until_mssp(self) -> dict[str, Any]:
        async with asyncio.timeout(10):
            while True:
                if self.client.mssp is not None:
                    return self.client.mssp
                await asyncio.sleep(0.01)  # a poll of what has arrived

    async def login(self, name: str, password: str, *, new: bool = False) -> str:
        await self.until("What name")
        self.send(name)
        if new:
            await self.until("New password")
            self.send(password)
            await self.until("Repeat password")
            self.send(password)
        else:
            await self.until("Password:")
            self.send(password)
        return await self.until("> ")

    def close(self) -> None:
        self.writer.close()


async def mud(
    port: int,
    *,
    term: str = "unknown",
    ttypes: list[str] | None = None,
    compression: bool | None = None,
    modules: list[str] | None = None,
    ssl: Any = None,
) -> Mud:
    class Client(Recorder):
        ttype_answers = ttypes or []

    def factory(**kwargs: Any) -> Client:
        kwargs["gmcp_modules"] = modules or ALL_MODULES
        return Client(**kwargs)

    reader, writer = await telnetlib3.open_connection(
        "127.0.0.1",
        port,
        client_factory=factory,
        encoding=False,
        term=term,
        compression=compression,
        connect_maxwait=2.0,
        ssl=ssl,
        server_hostname="localhost" if ssl else None,
    )
    protocol = writer.protocol
    assert isinstance(protocol, Recorder)
    return Mud(reader, writer, protocol)


class Raw:
    """A bare TCP client: no negotiation answered, every byte kept."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.seen = b""
        self.pos = 0

    async def until(self, text: bytes, within: float = 10.0) -> bytes:
        async with asyncio.timeout(within):
            while (found := self.seen.find(text, self.pos)) < 0:
                chunk = await self.reader.read(65536)
                if not chunk:
                    raise EOFError(f"closed before {text!r}; got {self.seen[-600:]!r}")
                self.seen += chunk
        start, self.pos = self.pos, found + len(text)
        return self.seen[start : self.pos]

    def send(self, data: bytes) -> None:
        self.writer.write(data)

    def close(self) -> None:
        self.writer.close()


async def raw(port: int) -> Raw:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    return Raw(reader, writer)
