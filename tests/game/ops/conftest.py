"""A real server with the operations HTTP server on a free port and a hand-cranked clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from game.app import Server
from game.core.config import Settings, load_settings
from tests.conftest import FakeClock
from tests.e2e.conftest import ROOT, keys  # noqa: F401  (the keys fixture)


def ops_settings(data_dir: Path, **overrides: object) -> Settings:
    """Real settings with tight limits, so tests trip them in a few steps."""
    values: dict[str, object] = {
        "content_dir": ROOT / "content",
        "ssh_host": "127.0.0.1",
        "ssh_port": 0,
        "http_host": "127.0.0.1",
        "http_port": 0,
        "conn_per_minute": 3,
        "login_failures": 2,
        "login_lockout_s": 60,
        "commands_per_second": 2,
        "command_burst": 3,
        "max_sessions": 4,
        "shutdown_grace_s": 0,
    }
    values.update(overrides)
    return load_settings(environ={}, data_dir=data_dir, **values)


@pytest.fixture
async def ops_server(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Server]:
    srv = Server(ops_settings(tmp_path / "var"), clock=clock)
    await srv.start()
    yield srv
    if not srv._stopped.is_set():  # a test may have shut it down itself
        await srv.stop()
