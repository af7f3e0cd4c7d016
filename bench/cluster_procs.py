"""The scaled-out topology in child processes, for the cluster benchmarks.

``redis-server`` (game/cluster/processes.py), ``sshrealm world`` and N ``sshrealm gateway``
processes on free ports, sharing one temporary data folder (one host key) and the code the
bench was started from. CPU and memory are read per process with psutil, so a figure can
say which role spent it. ``pin`` puts a role on given cores (``taskset`` semantics via
``os.sched_setaffinity``): the world ceiling runs the world alone on one core.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil

from game.cluster.processes import RedisProcess, free_port, wait_ready

ROOT = Path(__file__).resolve().parents[1]


class Role:
    """One ``sshrealm world`` or ``sshrealm gateway`` child."""

    def __init__(self, role: str, env: dict[str, str], log: Path, cwd: Path) -> None:
        self.role = role
        self.env = env
        self.log_path = log
        self.cwd = cwd
        self.http_port = int(env["SSHREALM_HTTP_PORT"])
        self.ssh_port = int(env["SSHREALM_SSH_PORT"])
        self.popen: subprocess.Popen[bytes] | None = None
        self.ps: psutil.Process | None = None
        self.cpu_before = 0.0  # CPU of earlier runs of this role (a restarted world)

    def start(self, cores: set[int] | None = None) -> None:
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(
                [sys.executable, "-c", "from game.cli.main import main; main()", self.role],
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.ps = psutil.Process(self.popen.pid)
        if cores:
            os.sched_setaffinity(self.popen.pid, cores)

    async def ready(self, within: float = 60.0) -> None:
        try:
            await wait_ready(
                self.http_port, lambda: self.popen is not None and self.popen.poll() is None, within
            )
        except RuntimeError as exc:
            raise RuntimeError(f"{self.role} exited: {self.log_path.read_text()[-2000:]}") from exc

    def cpu_s(self) -> float:
        if self.ps is None:
            return self.cpu_before
        try:
            times = self.ps.cpu_times()
        except psutil.NoSuchProcess:
            return self.cpu_before
        return self.cpu_before + float(times.user + times.system)

    def rss(self) -> int:
        try:
            return int(self.ps.memory_info().rss) if self.ps is not None else 0
        except psutil.NoSuchProcess:
            return 0

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.popen is None:
            return
        self.cpu_before = self.cpu_s()
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
            try:
                self.popen.wait(15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self.popen = self.ps = None


class ClusterProcesses:
    """Redis, a world and ``gateways`` gateways; bots connect to :attr:`gateway_ports`."""

    def __init__(self, data: Path, content: Path, gateways: int = 2, **env: str) -> None:
        self.data = data
        self.redis = RedisProcess()
        base = dict(os.environ)
        base.update(
            SSHREALM_SSH_HOST="127.0.0.1",
            SSHREALM_DATA_DIR=str(data),
            SSHREALM_CONTENT_DIR=str(content),
            SSHREALM_REDIS_URL=self.redis.url,
            SSHREALM_CLUSTER_NAME=f"bench{self.redis.port}",
            COLORTERM="truecolor",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            **env,
        )
        world_env = dict(
            base, SSHREALM_SSH_PORT=str(free_port()), SSHREALM_HTTP_PORT=str(free_port())
        )
        self.world = Role("world", world_env, data / "world.log", data)
        self.gateways = [
            Role(
                "gateway",
                dict(
                    base,
                    SSHREALM_SSH_PORT=str(free_port()),
                    SSHREALM_HTTP_PORT=str(free_port()),
                    SSHREALM_GATEWAY_ID=f"gw{n + 1}",
                ),
                data / f"gw{n + 1}.log",
                data,
            )
            for n in range(gateways)
        ]

    @property
    def gateway_ports(self) -> list[int]:
        return [g.ssh_port for g in self.gateways]

    async def start(self, world_cores: set[int] | None = None) -> None:
        self.redis.start()
        self.world.start(world_cores)
        await self.world.ready()
        for gateway in self.gateways:
            gateway.start()
        await asyncio.gather(*(g.ready() for g in self.gateways))

    async def restart_world(self, sig: int = signal.SIGTERM, cores: set[int] | None = None) -> None:
        self.world.stop(sig)
        self.world.start(cores)
        await self.world.ready()

    def cpu_s(self) -> dict[str, float]:
        out = {"world": self.world.cpu_s()}
        for n, gateway in enumerate(self.gateways, 1):
            out[f"gw{n}"] = gateway.cpu_s()
        return out

    def rss(self) -> int:
        return self.world.rss() + sum(g.rss() for g in self.gateways)

    def stop(self) -> None:
        for gateway in self.gateways:
            gateway.stop()
        self.world.stop()
        self.redis.stop()
