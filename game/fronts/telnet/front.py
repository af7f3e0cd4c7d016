"""The telnet listeners: plain telnet on ``telnet_port``, telnet over TLS on
``telnet_tls_port``; both off unless set (``-1``), see docs/telnet.md for why.

Both serve the same connections (game/fronts/telnet/connection.py) through the
:class:`~game.fronts.gate.LoginGate` the SSH front uses, so limits, bans and the password
lockout are counted once per real address whichever port a client uses. The front holds
no game state of its own: what it shows comes from the engine's pushes and from a
:class:`~game.fronts.telnet.source.Source`, which a gateway process can answer remotely.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

import structlog

from game.fronts.telnet.protocol import MudTelnet
from game.fronts.telnet.source import GameSource, Source

if TYPE_CHECKING:
    from game.core.config import Settings
    from game.engine.game import Game
    from game.fronts.gate import LoginGate

log = structlog.get_logger("sshrealm.telnet")
Later = Callable[[float, Callable[[], None]], asyncio.TimerHandle]


def _version() -> str:
    try:
        return version("sshrealm")
    except PackageNotFoundError:
        return "dev"


def tls_context(cert: str, key: str) -> ssl.SSLContext:
    """A server context: TLS 1.2 or newer, the system's default ciphers."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    return context


class TelnetFront:
    def __init__(
        self, game: Game, settings: Settings, gate: LoginGate, source: Source | None = None
    ) -> None:
        self.game = game
        self.settings = settings
        self.gate = gate
        self.source = source or GameSource(game, int(time.time()), _version())
        self.later: Later | None = None  # None: the running loop's call_later
        self.servers: list[asyncio.Server] = []
        self.open: set[MudTelnet] = set()  # connections, logged in or not
        self.plain: asyncio.Server | None = None
        self.tls: asyncio.Server | None = None

    @property
    def port(self) -> int:
        return _port(self.plain)

    @property
    def tls_port(self) -> int:
        return _port(self.tls)

    def call_later(self, delay_s: float, callback: Callable[[], None]) -> asyncio.TimerHandle:
        if self.later is not None:
            return self.later(delay_s, callback)
        return asyncio.get_running_loop().call_later(delay_s, callback)

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        settings = self.settings
        host = settings.telnet_host or None
        if settings.telnet_port >= 0:
            self.plain = await loop.create_server(
                lambda: self._made(tls=False), host, settings.telnet_port
            )
            self.servers.append(self.plain)
        if settings.telnet_tls_port >= 0:
            if not (settings.telnet_tls_cert and settings.telnet_tls_key):
                raise ValueError("telnet_tls_port needs telnet_tls_cert and telnet_tls_key")
            context = tls_context(settings.telnet_tls_cert, settings.telnet_tls_key)
            self.tls = await loop.create_server(
                lambda: self._made(tls=True), host, settings.telnet_tls_port, ssl=context
            )
            self.servers.append(self.tls)
        if self.servers:
            log.info("telnet_started", port=_port(self.plain), tls_port=_port(self.tls))

    def _made(self, *, tls: bool) -> MudTelnet:
        protocol = MudTelnet(self, tls=tls)
        self.open.add(protocol)
        protocol.on_gone = self.open.discard
        return protocol

    async def stop(self) -> None:
        for server in self.servers:
            server.close()
        for protocol in list(self.open):
            protocol.abort()
        for server in self.servers:
            await server.wait_closed()
        self.servers.clear()


def _port(server: asyncio.Server | None) -> int:
    if server is None or not server.sockets:
        return -1
    return int(server.sockets[0].getsockname()[1])
