"""docs/operations.md stays true: every setting, admin command and metric is documented,
and the deployment files agree with the server's behaviour."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import yaml

from game.commands import admin, admin_ops, bridge_clients
from game.commands.base import Registry
from game.core.config import describe
from game.services.metrics import Metrics

ROOT = Path(__file__).resolve().parents[3]
DOC = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")


def config_rows() -> dict[str, tuple[str, str]]:
    rows = {}
    for match in re.finditer(r"^\| `(\w+)` \| `(SSHREALM_\w+)` \| `([^`]*)` \|", DOC, re.M):
        rows[match.group(1)] = (match.group(2), match.group(3))
    return rows


def test_every_setting_is_documented_with_env_var_and_default() -> None:
    rows = config_rows()
    for name, env, default, _ in describe():
        assert name in rows, f"setting {name} missing from docs/operations.md"
        assert rows[name] == (env, default), name
    assert set(rows) == {name for name, *_ in describe()}, "documented settings that do not exist"


def test_every_admin_command_is_documented() -> None:
    for spec in Registry.from_modules([admin, admin_ops, bridge_clients]).specs:
        assert f"`{spec.name}" in DOC, spec.name


def test_every_metric_family_is_documented() -> None:
    text = Metrics().render([])
    for name in re.findall(r"^# TYPE (\w+) ", text, re.M):
        assert f"`{name}" in DOC, name


def test_deploy_files_agree_with_the_server() -> None:
    unit = configparser.ConfigParser(strict=False)
    unit.read(ROOT / "deploy" / "sshrealm.service")
    assert unit["Service"]["ExecStart"].endswith("sshrealm serve --json-logs")
    assert int(unit["Service"]["TimeoutStopSec"]) > 10  # the shutdown takes at most 10 s
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    service = compose["services"]["sshrealm"]
    assert service["build"]["dockerfile"] == "deploy/Dockerfile"
    assert "127.0.0.1:8888:8888" in service["ports"]
    assert service["stop_grace_period"] == "15s"
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert 'CMD ["sshrealm", "serve", "--json-logs"]' in dockerfile
    assert "/healthz" in dockerfile
    for copied in re.findall(r"^COPY (\w+) ", dockerfile, re.M):
        assert (ROOT / copied).exists(), copied
