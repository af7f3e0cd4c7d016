"""bridge_config: sshrealm.toml's [bridge] table, the flat plugin settings and the bridge
port become one BridgeConfig, and every mistake is a clear startup error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from game.cli.main import main
from game.core.config import ConfigError, Settings, load_settings
from game.services.bridge_settings import bridge_config

ROOT = Path(__file__).resolve().parents[4]


def settings_from(tmp_path: Path, toml: str, **env: str) -> Settings:
    path = tmp_path / "sshrealm.toml"
    path.write_text(toml)
    return load_settings(path, environ=env)


def test_config_bridge_table_is_the_plugin_config(tmp_path: Path) -> None:
    settings = settings_from(
        tmp_path,
        '[bridge]\nenabled = ["greeter"]\nrequest_timeout = 2.0\n'
        '[bridge.plugin.greeter]\ncapabilities = ["message"]\nrate = 2.0\n'
        '[bridge.plugin.greeter.settings]\ngreeting = "Hi {player}"\n',
    )
    config = bridge_config(settings)
    assert config.enabled == ("greeter",)
    assert config.request_timeout == 2.0
    greeter = config.plugin("greeter")
    assert greeter.capabilities == frozenset({"message"})
    assert greeter.limit.rate == 2.0
    assert greeter.settings == {"greeting": "Hi {player}"}


def test_config_flat_plugins_and_settings_fold_in(tmp_path: Path) -> None:
    settings = settings_from(
        tmp_path,
        'plugins = ["webhook"]\n[plugin_settings.webhook]\nurl = "http://a"\ntimeout = 1\n'
        "[bridge.plugin.webhook.settings]\ntimeout = 3\n",
        SSHREALM_PLUGINS="webhook,http",
    )
    config = bridge_config(settings)
    assert config.enabled == ("webhook", "http")
    assert config.plugin("webhook").settings == {"url": "http://a", "timeout": 3}
    assert config.plugin("http").settings == {"port": 7777, "store": "var/bridge_clients.sqlite"}
    assert config.plugin("http").capabilities == frozenset()


def test_config_http_is_off_by_default(tmp_path: Path) -> None:
    config = bridge_config(load_settings(environ={}, data_dir=tmp_path))
    assert config.enabled == ()
    assert "http" not in config.plugins


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[bridge]\nenabled = ["http"]\n[bridge.plugin.http.settings]\nport = 1\n', "one"),
        ("[bridge]\nenabeld = []\n", "unknown keys ['enabeld']"),
        ('[bridge.plugin.x]\ncapabilities = ["tokens.steal"]\n', "unknown ['tokens.steal']"),
        ('[bridge]\nenabled = "http"\n', "must be a list"),
    ],
)
def test_config_mistakes_are_clear_errors(tmp_path: Path, toml: str, message: str) -> None:
    settings = settings_from(tmp_path, toml)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        bridge_config(settings)


def test_config_serve_refuses_a_bad_bridge_table(tmp_path: Path) -> None:
    path = tmp_path / "sshrealm.toml"
    path.write_text('[bridge.plugin.x]\ncapabilities = ["tokens.steal"]\n')
    args = ["serve", "--config", str(path), "--data-dir", str(tmp_path / "var")]
    args += ["--content-dir", str(ROOT / "content"), "--port", "0"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "unknown ['tokens.steal']" in result.output
    assert "Traceback" not in result.output


def test_config_bridge_table_from_the_environment(tmp_path: Path) -> None:
    """SSHREALM_BRIDGE was documented and ignored; it holds the [bridge] table as JSON."""
    settings = settings_from(
        tmp_path,
        '[bridge]\nenabled = ["greeter"]\nport = 7001\n',
        SSHREALM_BRIDGE='{"enabled": ["http"], "port": 7002, "request_timeout": 2}',
    )
    assert bridge_config(settings).enabled == ("http",)
    assert bridge_config(settings).request_timeout == 2.0
    assert settings.bridge_port == 7002
    explicit = settings_from(
        tmp_path, "", SSHREALM_BRIDGE='{"port": 7003}', SSHREALM_BRIDGE_PORT="7004"
    )
    assert explicit.bridge_port == 7004  # the port's own variable wins, as documented
    with pytest.raises(ConfigError, match="setting 'bridge'"):
        settings_from(tmp_path, "", SSHREALM_BRIDGE="[1, 2]")
    with pytest.raises(ConfigError, match="setting 'bridge'"):
        settings_from(tmp_path, "", SSHREALM_BRIDGE="{not json")
