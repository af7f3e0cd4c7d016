"""Fixtures for the scaled-out roles: a real redis-server, a world and gateways on port 0.

One ``redis-server`` serves the whole test run; each cluster gets its own key prefix
(``cluster_name``), so tests never see each other's streams.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from game.cluster.processes import RedisProcess, find_redis
from game.cluster.roles import GatewayServer, WorldServer
from game.core.config import Settings
from tests.e2e.conftest import e2e_settings

needs_redis = pytest.mark.skipif(
    find_redis() is None,
    reason="needs redis-server (Debian package redis-server; `make system-tools` installs it)",
)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    proc = RedisProcess().start()
    yield proc.url
    proc.stop()


@dataclass
class Cluster:
    """A world and its gateways sharing one data folder (one host key) and one Redis."""

    settings: Settings
    world: WorldServer
    gateways: list[GatewayServer] = field(default_factory=list)

    async def add_gateway(self, **overrides: object) -> GatewayServer:
        gateway = GatewayServer(dataclasses.replace(self.settings, **overrides))  # type: ignore[arg-type]
        await gateway.start()
        self.gateways.append(gateway)
        return gateway

    async def restart_world(self) -> WorldServer:
        await self.world.stop()
        self.world = WorldServer(self.settings)
        await self.world.start()
        return self.world

    async def stop(self) -> None:
        for gateway in self.gateways:
            await gateway.stop()
        await self.world.stop()


@pytest.fixture
async def cluster(tmp_path: Path, redis_url: str) -> AsyncIterator[Cluster]:
    settings = e2e_settings(
        tmp_path / "var", redis_url=redis_url, cluster_name=f"t{secrets.token_hex(4)}"
    )
    world = WorldServer(settings)
    await world.start()
    made = Cluster(settings, world)
    await made.add_gateway()
    await made.add_gateway()
    yield made
    await made.stop()
