"""The ``sshrealm`` command."""

from __future__ import annotations

import asyncio
import os
import warnings
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

# asyncssh imports cryptography's DSA classes, which warn on import on every start; the
# server offers no DSA at all (docs/operations.md, Security), so the warning says nothing.
warnings.filterwarnings("ignore", message="DSA is deprecated", module="asyncssh")


@click.group()
@click.version_option(package_name="sshrealm")
def main() -> None:
    """sshrealm: a multiplayer text game you play over ssh."""


@main.command("config")
@config_option
def config_cmd(config: Path | None) -> None:
    """Print every setting as a Markdown table: name, environment variable, default, and the
    value in effect here (after sshrealm.toml and SSHREALM_* variables)."""
    from game.core.config import describe

    current = settings_for(config)
    click.echo("| setting | environment variable | default | in effect | meaning |")
    click.echo("|---|---|---|---|---|")
    for name, env, default, doc in describe():
        value = getattr(current, name)
        shown = ",".join(value) if isinstance(value, tuple) else str(value)
        click.echo(f"| `{name}` | `{env}` | `{default}` | `{shown or '(empty)'}` | {doc} |")


@main.command()
@config_option
@click.option("--port", type=int, help="SSH port (SSHREALM_SSH_PORT).")
@click.option(
    "--telnet-port", type=int, help="Telnet port for MUD clients (SSHREALM_TELNET_PORT); off."
)
@data_dir_option
@content_dir_option
@click.option("--json-logs", is_flag=True, help="Structured JSON logs on stderr.")
def serve(
    config: Path | None,
    port: int | None,
    telnet_port: int | None,
    data_dir: Path | None,
    content_dir: Path | None,
    json_logs: bool,
) -> None:
    """Run the game server until Ctrl-C or SIGTERM.

    Example: sshrealm serve --port 2222 --telnet-port 4000
    """
    from game.app import Server
    from game.world.problems import ContentError

    settings = settings_for(
        config,
        ssh_port=port,
        telnet_port=telnet_port,
        data_dir=data_dir,
        content_dir=content_dir,
    )
    setup_logging(json_logs)
    os.environ.setdefault("COLORTERM", "truecolor")

    def ready(server: Server) -> None:
        user = os.environ.get("USER", "yourname")
        click.echo(
            f"\nsshrealm is up. Connect with:\n\n"
            f"    ssh -p {server.ssh_port} {user}@localhost\n\n"
            f"(any name works: the first key you log in with claims it).\n"
            f"Screen reader or MUD client?  ssh -p {server.ssh_port} {user}+plain@localhost\n"
            f"One command:                  ssh -p {server.ssh_port} {user}@localhost look\n"
            + (
                f"MUD client over telnet:       HOST localhost, port {server.telnet_port}\n"
                if server.telnet_port > 0
                else ""
            )
            + "Stop with Ctrl-C.\n",
            err=True,
        )

    try:
        server = Server(settings)
    except (ContentError, ConfigError) as exc:
        raise click.ClickException(str(exc)) from exc
    asyncio.run(server.serve_forever(ready))


from game.cli import admin as cli_admin  # noqa: E402

main.add_command(cli_admin.admin)
main.add_command(cli_admin.backup)

from game.cli import ledger as cli_ledger  # noqa: E402

main.add_command(cli_ledger.ledger)

from game.cli.reflect import reflect  # noqa: E402

main.add_command(reflect)

from game.cli.content import content  # noqa: E402

main.add_command(content)

from game.cli.bridge import bridge  # noqa: E402

main.add_command(bridge)

from game.cli.db import db  # noqa: E402

main.add_command(db)

from game.cli import cluster as cli_cluster  # noqa: E402

main.add_command(cli_cluster.world)
main.add_command(cli_cluster.gateway)
main.add_command(cli_cluster.cluster)

if __name__ == "__main__":  # python -m game.cli.main, as well as the sshrealm script
    main()
