"""The HAProxy configuration and process: what is rendered, that haproxy itself accepts it,
that deploy/haproxy.cfg says the same, and that a broken start says why."""

from __future__ import annotations

import asyncio
import configparser
import socket
import subprocess
from pathlib import Path

import pytest
import yaml

from game.ops.haproxy import HaproxyError, HaproxyProcess, find_haproxy, render_config

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy" / "haproxy.cfg"
HAPROXY = find_haproxy()
needs_haproxy = pytest.mark.skipif(
    HAPROXY is None,
    reason="needs haproxy on PATH (Debian package haproxy; `make system-tools` installs it)",
)


def directives(text: str) -> list[str]:
    """A configuration's lines without comments and blank lines."""
    return [line.rstrip() for line in text.splitlines() if line.strip() and line.strip()[0] != "#"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_config_routes_tcp_by_source_with_proxy_v2_and_ssh_checks() -> None:
    lines = directives(render_config(("", 2222), [("127.0.0.1", 2201), ("10.0.0.3", 2202)]))
    for wanted in (
        "mode tcp",
        "bind :2222",
        "balance source",
        "hash-type consistent",
        "option tcp-check",
        "tcp-check expect string SSH-2.0",
        "default-server check inter 5s fall 2 rise 2 send-proxy-v2",
        "retries 2",
        "option redispatch",
        "server gw1 127.0.0.1:2201",
        "server gw2 10.0.0.3:2202",
        "timeout connect 5s",
        "timeout client 1h",
        "timeout server 1h",
        "timeout tunnel 1h",
    ):
        assert f"    {wanted}" in lines, wanted
    assert not any(line.strip().startswith("log") for line in lines)  # logs only when asked


def test_ipv6_addresses_are_bracketed_and_no_gateway_is_an_error() -> None:
    text = render_config(("::", 2222), [("::1", 2201)])
    assert "bind [::]:2222" in text
    assert "server gw1 [::1]:2201" in text
    with pytest.raises(ValueError, match="at least one gateway"):
        render_config(("", 2222), [])


def test_the_deploy_example_is_the_rendered_topology() -> None:
    rendered = render_config(
        ("", 2222), [("127.0.0.1", 2201), ("127.0.0.1", 2202)], log="/dev/log local0"
    )
    assert directives(DEPLOY.read_text()) == directives(rendered)


@needs_haproxy
@pytest.mark.parametrize("source", ["rendered", "deploy"])
def test_haproxy_accepts_the_config(source: str, tmp_path: Path) -> None:
    cfg = DEPLOY
    if source == "rendered":
        cfg = tmp_path / "haproxy.cfg"
        cfg.write_text(render_config(("127.0.0.1", 2222), [("::1", 2201), ("127.0.0.1", 2202)]))
    assert HAPROXY is not None
    checked = subprocess.run(
        [HAPROXY, "-c", "-f", str(cfg)], capture_output=True, text=True, timeout=10
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


@needs_haproxy
async def test_the_process_listens_forwards_and_stops() -> None:
    """A plain TCP backend sees the PROXY v2 header haproxy sends, then the client's bytes."""
    got: asyncio.Queue[bytes] = asyncio.Queue()

    async def backend(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        data = b""
        while not data.endswith(b"hello") and (chunk := await reader.read(100)):
            data += chunk
        got.put_nowait(data)
        writer.close()

    server = await asyncio.start_server(backend, "127.0.0.1", 0)
    port = free_port()
    config = render_config(("127.0.0.1", port), [("127.0.0.1", server.sockets[0].getsockname()[1])])
    async with server:
        proc = HaproxyProcess(config, port)
        await proc.start()
        try:
            while not got.empty():  # the start-up probe's own connection, if it got through
                got.get_nowait()
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"hello")
            async with asyncio.timeout(2):
                while not (data := await got.get()).endswith(b"hello"):
                    pass  # a probe or health check connection
            assert data.startswith(b"\r\n\r\n\x00\r\nQUIT\n\x21\x11")  # PROXY, TCP over IPv4
            writer.close()
        finally:
            await proc.stop()
        assert proc.process is None
        await proc.stop()  # twice is harmless
        with pytest.raises(ConnectionRefusedError):
            await asyncio.open_connection("127.0.0.1", port)


@needs_haproxy
async def test_a_config_haproxy_refuses_is_an_error_that_quotes_it() -> None:
    proc = HaproxyProcess("frontend ssh\n    bind 127.0.0.1:1\n    nonsense here\n", 1)
    refused = r"(?s)haproxy exited with status 1: .*unknown keyword 'nonsense'"
    with pytest.raises(HaproxyError, match=refused):
        await proc.start(timeout_s=5)
    assert proc.process is None


async def test_a_missing_haproxy_says_how_to_get_it() -> None:
    proc = HaproxyProcess("", 1, binary="no-such-haproxy-binary")
    with pytest.raises(HaproxyError, match="apt install haproxy"):
        await proc.start()


def test_the_compose_cluster_profile_agrees_with_its_haproxy_config() -> None:
    """deploy/compose.yaml's cluster profile: HAProxy at the address the gateways trust,
    sending to the gateways by service name and port, as the renderer writes it."""
    compose = yaml.safe_load((DEPLOY.parent / "compose.yaml").read_text())
    services = compose["services"]
    rendered = render_config(("", 2222), [("gateway1", 2201), ("gateway2", 2202)])
    assert directives((DEPLOY.parent / "haproxy-compose.cfg").read_text()) == directives(rendered)
    proxy_ip = services["haproxy"]["networks"]["realm"]["ipv4_address"]
    for name, port in (("gateway1", "2201"), ("gateway2", "2202")):
        env = services[name]["environment"]
        assert env["SSHREALM_PROXY_FROM"] == proxy_ip
        assert env["SSHREALM_SSH_PORT"] == port
        assert services[name]["command"][:2] == ["sshrealm", "gateway"]
    assert services["world"]["command"][:2] == ["sshrealm", "world"]
    for name in ("redis", "world", "gateway1", "gateway2", "haproxy"):
        assert services[name]["profiles"] == ["cluster"]


def test_the_systemd_units_run_the_roles() -> None:
    world = configparser.ConfigParser(strict=False, interpolation=None)
    world.read(DEPLOY.parent / "sshrealm-world.service")
    assert world["Service"]["ExecStart"].endswith("sshrealm world --json-logs")
    assert world["Service"]["Restart"] == "always"
    gateway = configparser.ConfigParser(strict=False, interpolation=None)
    gateway.read(DEPLOY.parent / "sshrealm-gateway@.service")
    assert gateway["Service"]["ExecStart"].endswith("sshrealm gateway --json-logs")
