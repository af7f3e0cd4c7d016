"""``sshrealm world``, ``sshrealm gateway`` and ``sshrealm cluster`` (docs/operations.md,
"Scaling out")."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from game.cli.common import (
    config_option,
    content_dir_option,
    data_dir_option,
    settings_for,
    setup_logging,
)
from game.core.config import ConfigError

redis_option = click.option("--redis-url", help="Redis of the cluster (SSHREALM_REDIS_URL).")
json_option = click.option("--json-logs", is_flag=True, help="Structured JSON logs on stderr.")


@click.command()
@config_option
@click.option("--port", type=int, help="The world's own SSH port, for admins (SSHREALM_SSH_PORT).")
@redis_option
@data_dir_option
@content_dir_option
@json_option
def world(
    config: Path | None,
    port: int | None,
    redis_url: str | None,
    data_dir: Path | None,
    content_dir: Path | None,
    json_logs: bool,
) -> None:
    """Run the world: the single writer of the game, its ledger, reflection and bridge.

    Players connect to gateways; the world's own SSH port is for admins. Stopping it
    (Ctrl-C, SIGTERM) leaves the gateways' players connected until the next world starts.

    Example: sshrealm world --redis-url redis://10.0.0.5:6379/0 --port 2299
    """
    from game.cluster.roles import WorldServer
    from game.world.problems import ContentError

    settings = settings_for(
        config, ssh_port=port, redis_url=redis_url, data_dir=data_dir, content_dir=content_dir
    )
    setup_logging(json_logs)
    try:
        server = WorldServer(settings)
    except (ContentError, ConfigError) as exc:
        raise click.ClickException(str(exc)) from exc
    asyncio.run(server.serve_forever())


@click.command()
@config_option
@click.option("--port", type=int, help="SSH port players reach (SSHREALM_SSH_PORT).")
@click.option("--http-port", type=int, help="/healthz, /readyz, /metrics (SSHREALM_HTTP_PORT).")
@click.option("--gateway-id", help="This gateway's name on the bus (SSHREALM_GATEWAY_ID).")
@redis_option
@data_dir_option
@json_option
def gateway(
    config: Path | None,
    port: int | None,
    http_port: int | None,
    gateway_id: str | None,
    redis_url: str | None,
    data_dir: Path | None,
    json_logs: bool,
) -> None:
    """Run a gateway: SSH for players (full-screen, line and exec), sessions in the world.

    Any number may run, on any hosts, behind HAProxy (proxy_from). All of them must present
    the same host key: give them the same data folder's key file.

    Example: sshrealm gateway --port 2201 --redis-url redis://10.0.0.5:6379/0
    """
    from game.cluster.roles import GatewayServer

    settings = settings_for(
        config,
        ssh_port=port,
        http_port=http_port,
        gateway_id=gateway_id,
        redis_url=redis_url,
        data_dir=data_dir,
    )
    setup_logging(json_logs)
    os.environ.setdefault("COLORTERM", "truecolor")
    try:
        server = GatewayServer(settings)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    asyncio.run(server.serve_forever())


@click.command()
@click.option("--port", type=int, default=2222, show_default=True, help="Where players connect.")
@click.option("--gateways", type=int, default=2, show_default=True, help="Gateway processes.")
@data_dir_option
@content_dir_option
def cluster(port: int, gateways: int, data_dir: Path | None, content_dir: Path | None) -> None:
    """Try the scaled-out topology on this machine: redis-server, a world, gateways and
    haproxy in front, on free ports; Ctrl-C stops them all.

    Example: sshrealm cluster --port 2222
    """
    asyncio.run(run_cluster(port, gateways, data_dir or Path("var"), content_dir))


async def run_cluster(port: int, gateways: int, data_dir: Path, content_dir: Path | None) -> None:
    from game.cluster.processes import RedisProcess, free_port
    from game.ops.haproxy import HaproxyError, HaproxyProcess, render_config

    try:
        redis = RedisProcess().start()
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc
    base = {
        **os.environ,
        "SSHREALM_REDIS_URL": redis.url,
        "SSHREALM_DATA_DIR": str(data_dir),
        "SSHREALM_CLUSTER_NAME": "sshrealm",
    }
    if content_dir is not None:
        base["SSHREALM_CONTENT_DIR"] = str(content_dir)
    procs: list[subprocess.Popen[bytes]] = []
    logs = tempfile.mkdtemp(prefix="sshrealm-cluster-")
    world_port, world_http = free_port(), free_port()
    gateway_ports = [free_port() for _ in range(gateways)]
    proxy: HaproxyProcess | None = None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        world_env = {
            **base,
            "SSHREALM_SSH_PORT": str(world_port),
            "SSHREALM_HTTP_PORT": str(world_http),
        }
        procs.append(_spawn("world", world_env, logs))
        await _ready(world_http, procs[-1])
        for n, gw_port in enumerate(gateway_ports, 1):
            env = {
                **base,
                "SSHREALM_SSH_PORT": str(gw_port),
                "SSHREALM_HTTP_PORT": str(free_port()),
                "SSHREALM_GATEWAY_ID": f"gw{n}",
                "SSHREALM_PROXY_FROM": "127.0.0.1",
            }
            procs.append(_spawn("gateway", env, logs, name=f"gw{n}"))
            await _ready(int(env["SSHREALM_HTTP_PORT"]), procs[-1])
        config = render_config(("127.0.0.1", port), [("127.0.0.1", p) for p in gateway_ports])
        proxy = HaproxyProcess(config, port)
        try:
            await proxy.start()
        except HaproxyError as exc:
            raise click.ClickException(str(exc)) from exc
        user = os.environ.get("USER", "yourname")
        click.echo(
            f"\nsshrealm cluster is up: redis {redis.url}, a world (admin SSH on "
            f"{world_port}), {gateways} gateways ({', '.join(map(str, gateway_ports))}) "
            f"behind haproxy.\nConnect with:\n\n    ssh -p {port} {user}@localhost\n\n"
            f"Logs: {logs}\nStop with Ctrl-C.\n",
            err=True,
        )
        while not stop.is_set():  # a world that exits (@restart, a crash) starts again
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.5)
            if not stop.is_set() and procs[0].poll() is not None:
                click.echo("The world exited; starting it again.", err=True)
                procs[0] = _spawn("world", world_env, logs)
    finally:
        if proxy is not None:
            await proxy.stop()
        for proc in reversed(procs):  # gateways first, then the world
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.to_thread(proc.wait, 15)
            except subprocess.TimeoutExpired:
                proc.kill()
        redis.stop()
        click.echo("sshrealm cluster stopped.", err=True)


def _spawn(
    role: str, env: dict[str, str], logs: str, name: str | None = None
) -> subprocess.Popen[bytes]:
    log = Path(logs) / f"{name or role}.log"
    out = log.open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "game.cli.main", role], env=env, stdout=out, stderr=out
    )


async def _ready(http_port: int, proc: subprocess.Popen[bytes]) -> None:
    """Wait until a role's /readyz says 200; a usage error if it exits or hangs."""
    from game.cluster.processes import wait_ready

    try:
        await wait_ready(http_port, lambda: proc.poll() is None, 30.0)
    except (RuntimeError, TimeoutError) as exc:
        raise click.ClickException(f"a cluster process ({proc.args!r}): {exc}") from exc
