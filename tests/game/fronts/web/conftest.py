"""One real server with the web front per test module (sign-in throttle at 3 failures), and a
fresh browser-like client per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from game.app import Server
from tests.game.fronts.web.harness import WebClient, web_server


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Server]:
    data = tmp_path_factory.mktemp("web") / "var"
    async with web_server(Path(data), login_failures=3) as srv:
        yield srv


@pytest_asyncio.fixture(loop_scope="module")
async def client(server: Server) -> AsyncIterator[WebClient]:
    web = WebClient(server)
    yield web
    await web.close()
