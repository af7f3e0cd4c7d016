"""A real server with the web front on port 0, and an HTTP client that signs in like a browser."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

from game.app import Server
from tests.e2e.conftest import e2e_settings

WITHIN = 15.0
"""Seconds a socket may take to show what a test waits for."""
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def web_settings(data_dir: Path, **overrides: object) -> Any:
    return e2e_settings(data_dir, web_host="127.0.0.1", web_port=0, **overrides)


@asynccontextmanager
async def web_server(data_dir: Path, **overrides: object) -> AsyncIterator[Server]:
    server = Server(web_settings(data_dir, **overrides))
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def base(server: Server) -> str:
    return f"http://127.0.0.1:{server.web.port}"


class WebClient:
    """One browser's cookies (the jar accepts cookies from 127.0.0.1)."""

    def __init__(self, server: Server) -> None:
        self.base = base(server)
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))

    async def close(self) -> None:
        await self.http.close()

    async def get(self, path: str) -> tuple[int, str]:
        async with self.http.get(self.base + path, allow_redirects=False) as resp:
            return resp.status, await resp.text()

    async def csrf(self, path: str = "/signin") -> str:
        _, text = await self.get(path)
        found = CSRF.search(text)
        assert found, text[:500]
        return found.group(1)

    async def post(
        self, path: str, form: dict[str, str], *, csrf: str | None = None, origin: str | None = None
    ) -> tuple[int, str, str]:
        """(status, Location, body); the form's CSRF token is fetched unless given."""
        data = {"csrf": csrf if csrf is not None else await self.csrf(), **form}
        headers = {"Origin": origin if origin is not None else self.base}
        async with self.http.post(
            self.base + path, data=data, headers=headers, allow_redirects=False
        ) as resp:
            return resp.status, resp.headers.get("Location", ""), await resp.text()

    async def signup(self, name: str, password: str = "correct horse") -> int:
        status, _, _ = await self.post(
            "/signup", {"name": name, "password": password, "repeat": password}
        )
        return status

    async def signin(self, name: str, secret: str, how: str = "password") -> tuple[int, str]:
        status, location, body = await self.post(
            "/signin", {"name": name, "secret": secret, "how": how}
        )
        return status, location or body

    def socket(self, path: str, origin: str | None = None) -> Any:
        url = self.base.replace("http", "ws", 1) + path
        return self.http.ws_connect(url, headers={"Origin": origin or self.base})


async def lines_until(ws: aiohttp.ClientWebSocketResponse, wanted: str) -> list[str]:
    """Lines from the accessible page's socket up to the one containing ``wanted``."""
    seen: list[str] = []
    async with asyncio.timeout(WITHIN):
        async for msg in ws:
            if msg.type is not aiohttp.WSMsgType.TEXT:
                break
            seen += json.loads(msg.data).get("lines", [])
            if any(wanted in line for line in seen):
                return seen
    raise AssertionError(f"socket closed before {wanted!r}: {seen[-5:]}")


async def bytes_until(ws: aiohttp.ClientWebSocketResponse, wanted: bytes) -> bytes:
    """Terminal bytes from the full-screen socket up to ``wanted``."""
    seen = b""
    async with asyncio.timeout(WITHIN):
        async for msg in ws:
            if msg.type is aiohttp.WSMsgType.BINARY:
                seen += msg.data
                if wanted in seen:
                    return seen
            elif msg.type is not aiohttp.WSMsgType.TEXT:
                break
    raise AssertionError(f"socket closed before {wanted!r}: {seen[-300:]!r}")


async def settled(server: Server) -> None:
    """Wait until every game socket's handler on the server has finished (its session
    ended, its slot given back): they run on this same loop."""
    from game.fronts.web.play import PLAYING

    assert server.web.app is not None
    await asyncio.gather(*list(server.web.app[PLAYING]), return_exceptions=True)
