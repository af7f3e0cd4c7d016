"""Settings: built-in defaults < ``sshrealm.toml`` < ``SSHREALM_*`` environment variables.

Every setting is one field of :class:`Settings`; its environment variable is the field name
upper-cased with the ``SSHREALM_`` prefix (``ssh_port`` -> ``SSHREALM_SSH_PORT``). The TOML
file uses the same names, optionally grouped in tables (``[ssh] port = 2222`` is the same as
``ssh_port = 2222``). The README's configuration table is checked against this class.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

ENV_PREFIX = "SSHREALM_"


class ConfigError(ValueError):
    """A setting has a value of the wrong type or an unknown name."""


@dataclass(frozen=True)
class Settings:
    """Server settings. Field docs are the configuration reference."""

    ssh_host: str = "0.0.0.0"
    """Address the SSH server listens on."""
    ssh_port: int = 2222
    """SSH port; 0 picks a free port (tests)."""
    telnet_host: str = "0.0.0.0"
    """Address the telnet listeners (plain and TLS) listen on."""
    telnet_port: int = -1
    """Telnet port for MUD clients (4000 is usual); -1 (the default) disables it: plain telnet
    sends passwords in the clear, so an operator turns it on knowingly. 0 picks a free port."""
    telnet_tls_port: int = -1
    """Telnet-over-TLS port (4443 is usual; needs telnet_tls_cert and telnet_tls_key); -1
    disables it."""
    telnet_tls_cert: str = ""
    """PEM certificate (chain) file for telnet over TLS."""
    telnet_tls_key: str = ""
    """PEM private key file for telnet over TLS."""
    data_dir: Path = Path("var")
    """Where the SQLite database, host key and reports live."""
    content_dir: Path = Path("content")
    """The YAML world to load."""
    http_host: str = "127.0.0.1"
    """Address of the operations HTTP server (health, metrics)."""
    http_port: int = 8888
    """Operations HTTP port; -1 disables it."""
    web_host: str = "0.0.0.0"
    """Address the public web front (landing page, browser play, accounts, admin) listens on."""
    web_port: int = -1
    """Web front port (8080 is usual); -1 (the default) turns it off; 0 picks a free port.
    Public, unlike the operations port: put it behind a TLS proxy on the internet."""
    web_secure_cookies: int = 0
    """1 when browsers reach the web front over HTTPS (a TLS proxy in front): cookies get the
    Secure flag. A web front serving HTTPS itself sets it anyway."""
    web_title: str = "sshrealm"
    """The server's name on the web pages."""
    web_about: str = "A text world you play over plain ssh, in a browser, or with a MUD client."
    """The one-paragraph description on the landing page."""
    bridge_port: int = 7777
    """Port of the HTTP/WebSocket bridge plugin when it is enabled."""
    plugins: tuple[str, ...] = ()
    """Allow-list of plugin names (entry points in group sshrealm.plugins) to load."""
    plugin_settings: Mapping[str, Any] = field(default_factory=dict)
    """Per-plugin settings tables ([plugin_settings.NAME] in TOML; a JSON object in the
    environment)."""
    bridge: Mapping[str, Any] = field(default_factory=dict)
    """The [bridge] table: allow-list, grants, limits (docs/plugins.md); port = bridge_port.
    In the environment, a JSON object."""
    max_line: int = 1000
    """Longest command line accepted, in characters."""
    tick_ms: int = 40
    """Base TUI repaint tick in ms: output is coalesced to one repaint per player per tick;
    the tick stretches (up to 75 ms) while the server is busy and shrinks back after."""
    reflection_interval_s: int = 300
    """Seconds between reflection cycles (Cal and Domingo)."""
    reflection_tuning: int = 0
    """1 lets Domingo adjust reward multipliers within the band each cycle (logged, reversible)."""
    reflection_tuning_band_pct: int = 20
    """Most Domingo's tuning may move a reward multiplier away from 1.0, in percent."""
    idle_timeout_s: int = 3600
    """Disconnect players idle this long (warned idle_warning_s before); 0 disables."""
    max_sessions: int = 500
    """Most concurrent logged-in connections, SSH, telnet and browser play together (one still
    logging in is not one)."""
    max_startups: int = 100
    """Most connections (SSH and telnet) still logging in at once; more are refused at once
    (SSH: before key exchange)."""
    max_startups_per_address: int = 10
    """Most connections (SSH and telnet) from one address (an IPv6 /64) still logging in at once."""
    login_timeout_s: int = 30
    """Seconds a new SSH or telnet connection has to finish logging in before it is dropped."""
    max_channels: int = 10
    """Most SSH channels (shell or exec) one connection may have open at once."""
    max_term_cols: int = 500
    """Widest terminal the server draws for; a wider PTY or resize is clamped to this."""
    max_term_rows: int = 200
    """Tallest terminal the server draws for; a taller PTY or resize is clamped to this."""
    resize_window_ms: int = 100
    """Terminal resizes are coalesced: only the last one in this many ms is applied."""
    max_output_kb: int = 1024
    """Unsent output one connection may queue (a client not reading) before it is dropped."""
    idle_warning_s: int = 60
    """How long before the idle disconnect a player is warned."""
    conn_per_minute: int = 30
    """New connections (SSH and telnet) one address may open per minute (bursts up to this); 0
    disables."""
    proxy_from: tuple[str, ...] = ()
    """Addresses or networks (10.0.0.0/8, fd00::/8) of trusted TCP proxies (HAProxy with
    send-proxy-v2): an SSH connection from one must begin with a PROXY header (v1 or v2), whose
    client address then counts for limits, bans and logins. Comma-separated in the environment."""
    login_failures: int = 5
    """Failed passwords or link codes from one address before it may try no more (keys still
    log in); 0 disables."""
    login_lockout_s: int = 300
    """How long an address may not try passwords after too many failed logins."""
    commands_per_second: int = 5
    """Commands one account may run per second on average, over all its sessions; 0 disables."""
    command_burst: int = 20
    """Commands one account may run at once before the per-second limit applies."""
    shutdown_grace_s: int = 3
    """On SIGTERM, seconds between warning players and closing their sessions (< 10)."""
    redis_url: str = "redis://127.0.0.1:6379/0"
    """Redis for the scaled-out roles (``sshrealm world`` and ``sshrealm gateway``); the
    all-in-one ``sshrealm serve`` never uses it."""
    cluster_name: str = "sshrealm"
    """Prefix of the cluster's Redis keys: several clusters may share one Redis."""
    gateway_id: str = ""
    """This gateway's name on the bus; empty picks a fresh one at every start."""
    max_waiting: int = 32
    """Commands one session may have waiting for the world (a gateway holds them while the
    world restarts); past it a command is refused with a sentence."""

    @property
    def db_path(self) -> Path:
        return self.data_dir / "sshrealm.db"

    @property
    def host_key_path(self) -> Path:
        return self.data_dir / "ssh_host_ed25519_key"


def _coerce(name: str, kind: Any, value: Any) -> Any:
    """Turn a TOML or environment value into the field's type, or say clearly why not."""
    try:
        if kind in ("int", int):
            if isinstance(value, bool):
                raise TypeError
            return int(value)
        if kind in ("Path", Path):
            return Path(value)
        if kind in ("str", str):
            if not isinstance(value, str):
                raise TypeError
            return value
        if "tuple" in str(kind):
            if isinstance(value, str):
                return tuple(v.strip() for v in value.split(",") if v.strip())
            return tuple(str(v) for v in value)
        if "Mapping" in str(kind):
            if isinstance(value, str):  # an environment variable holds the table as JSON
                value = json.loads(value)
            if not isinstance(value, Mapping):
                raise TypeError("a table, or a JSON object in the environment")
            return dict(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"setting {name!r}: cannot use {value!r} ({exc or 'wrong type'})"
        ) from exc
    return value


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    names = {f.name for f in fields(Settings)}
    out: dict[str, Any] = {}
    for key, value in table.items():
        flat = f"{prefix}{key}"
        if isinstance(value, Mapping) and flat not in names:
            out.update(_flatten(value, f"{flat}_"))
        else:
            out[flat] = value
    return out


def _lift_bridge_port(values: dict[str, Any]) -> None:
    """``[bridge] port = N`` is ``bridge_port = N``: one port setting, which the env var
    ``SSHREALM_BRIDGE_PORT`` overrides like any other."""
    table = values.get("bridge")
    if table is not None and "port" in table:
        table = dict(table)
        values["bridge_port"] = _coerce("bridge_port", int, table.pop("port"))
        values["bridge"] = table


def load_settings(
    toml_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Build settings from defaults, then the TOML file, then the environment, then overrides.

    ``toml_path`` defaults to ``./sshrealm.toml`` when that file exists.
    """
    environ = os.environ if environ is None else environ
    types = {f.name: f.type for f in fields(Settings)}
    values: dict[str, Any] = {}
    path = toml_path or (Path("sshrealm.toml") if Path("sshrealm.toml").exists() else None)
    if path is not None:
        with path.open("rb") as fh:
            for name, value in _flatten(tomllib.load(fh)).items():
                if name not in types:
                    raise ConfigError(f"{path}: unknown setting {name!r}")
                values[name] = _coerce(name, types[name], value)
        _lift_bridge_port(values)
    from_env = {
        name: _coerce(name, kind, environ[ENV_PREFIX + name.upper()])
        for name, kind in types.items()
        if ENV_PREFIX + name.upper() in environ
    }
    if "bridge" in from_env:  # SSHREALM_BRIDGE='{"enabled": ["http"]}' replaces the table
        values["bridge"] = from_env.pop("bridge")
        _lift_bridge_port(values)
    values.update(from_env)
    for name, value in overrides.items():
        if value is not None:
            values[name] = _coerce(name, types[name], value)
    return dataclasses.replace(Settings(), **values)


def describe() -> list[tuple[str, str, str, str]]:
    """(name, env var, default, doc) for every setting: the README table and docs use it."""
    import ast
    import inspect

    source = inspect.getsource(Settings)
    docs: dict[str, str] = {}
    body = ast.parse(source).body[0]
    assert isinstance(body, ast.ClassDef)
    last: str | None = None
    for node in body.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            last = node.target.id
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and last:
            docs[last] = " ".join(str(node.value.value).split())
            last = None
    rows = []
    for f in fields(Settings):
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[operator]
        shown = ",".join(default) if isinstance(default, tuple) else str(default)
        rows.append((f.name, ENV_PREFIX + f.name.upper(), shown or "(empty)", docs.get(f.name, "")))
    return rows
