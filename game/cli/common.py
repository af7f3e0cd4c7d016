"""What every ``sshrealm`` subcommand shares: the settings options and reading settings.

Kept apart from ``game/cli/main.py`` (which imports every subcommand module) so the subcommands
can use it without importing the group that registers them.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click
import structlog

from game.core.config import ConfigError, Settings, load_settings

config_option = click.option(
    "--config", type=click.Path(path_type=Path, exists=True), help="Settings file (TOML)."
)
data_dir_option = click.option(
    "--data-dir", type=click.Path(path_type=Path), help="Data folder (SSHREALM_DATA_DIR)."
)
content_dir_option = click.option(
    "--content-dir", type=click.Path(path_type=Path), help="World folder (SSHREALM_CONTENT_DIR)."
)


def settings_for(config: Path | None, **overrides: object) -> Settings:
    """Settings from ``--config`` and the options given; a bad setting is a usage error.

    Options left out (None) fall back to the file, the environment and the defaults.
    """
    try:
        return load_settings(config, None, **overrides)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc


def setup_logging(json_logs: bool) -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("asyncssh").setLevel(logging.WARNING)  # one line per packet otherwise
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # job bookkeeping at startup
    renderer = (
        structlog.processors.JSONRenderer()
        if json_logs
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso"),
            structlog.processors.format_exc_info,
            renderer,
        ],
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )
