"""Shell commands for the HTTP bridge's clients: ``sshrealm bridge ...``.

They work on the client store file directly (SQLite, beside a running server), so an
operator can issue, rotate and revoke client credentials with or without the server up; the
running server sees the change at the client's next request.
"""

from __future__ import annotations

from pathlib import Path

import click

from bridge.builtin.http_clients import CLIENT_CAPABILITIES, ClientRegistry
from game.cli.common import config_option, data_dir_option, settings_for
from game.services.bridge_settings import client_registry, grant_notes


def _registry(config: Path | None, data_dir: Path | None) -> ClientRegistry:
    return client_registry(settings_for(config, data_dir=data_dir))


def _caps(text: str | None) -> list[str] | None:
    if text is None:
        return None
    caps = [c.strip() for c in text.split(",") if c.strip()]
    unknown = sorted(set(caps) - CLIENT_CAPABILITIES)
    if unknown:
        known = ", ".join(sorted(CLIENT_CAPABILITIES))
        raise click.BadParameter(f"unknown {', '.join(unknown)}; known: {known}")
    return caps


def _print_code(name: str, code: str) -> None:
    click.echo(f"Registration code for {name} (shown once, valid 24 hours, one use):")
    click.echo(f"  {code}")
    body = f'{{"name": "{name}", "language": "...", "code": "<code>"}}'
    click.echo(f"The client sends POST /register {body} and keeps the token it gets back.")


capabilities_option = click.option(
    "--capabilities",
    metavar="A,B",
    help="Comma-separated grants: " + ", ".join(sorted(CLIENT_CAPABILITIES)) + ".",
)


@click.group()
def bridge() -> None:
    """Issue, rotate and revoke the HTTP bridge's client credentials."""


@bridge.command("add-client")
@click.argument("name")
@capabilities_option
@config_option
@data_dir_option
def add_client(
    name: str, capabilities: str | None, config: Path | None, data_dir: Path | None
) -> None:
    """Allow client NAME with the given grants and print its one-time registration code.

    Example: sshrealm bridge add-client contest-bot --capabilities tokens.grant,message
    """
    caps = _caps(capabilities)
    settings = settings_for(config, data_dir=data_dir)
    registry = client_registry(settings)
    try:
        code = registry.add(name, caps)
        granted = next(c.capabilities for c in registry.clients() if c.name.lower() == name.lower())
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        registry.close()
    _print_code(name, code)
    for note in grant_notes(settings, granted):
        click.echo(note)


@bridge.command("rotate")
@click.argument("name")
@config_option
@data_dir_option
def rotate(name: str, config: Path | None, data_dir: Path | None) -> None:
    """End NAME's token now and print a new registration code (same grants)."""
    registry = _registry(config, data_dir)
    try:
        if not any(c.name.lower() == name.lower() and c.approved for c in registry.clients()):
            raise click.ClickException(f"No approved client named {name!r}.")
        code = registry.add(name)
    finally:
        registry.close()
    _print_code(name, code)


@bridge.command("revoke")
@click.argument("name")
@config_option
@data_dir_option
def revoke(name: str, config: Path | None, data_dir: Path | None) -> None:
    """Forget client NAME: its token stops working at its next request."""
    registry = _registry(config, data_dir)
    try:
        if not registry.revoke(name):
            raise click.ClickException(f"No client named {name!r}.")
    finally:
        registry.close()
    click.echo(f"{name} is revoked.")


@bridge.command("approve")
@click.argument("name")
@capabilities_option
@config_option
@data_dir_option
def approve(
    name: str, capabilities: str | None, config: Path | None, data_dir: Path | None
) -> None:
    """Approve a pending client NAME (it asked with POST /register); it then registers
    again with its claim and gets a token."""
    caps = _caps(capabilities)
    registry = _registry(config, data_dir)
    try:
        if not registry.approve(name, caps):
            raise click.ClickException(f"No pending client named {name!r}.")
    finally:
        registry.close()
    click.echo(f"{name} is approved; it gets its token at its next POST /register.")


@bridge.command("list")
@config_option
@data_dir_option
def list_clients(config: Path | None, data_dir: Path | None) -> None:
    """List every client: name, state and grants (never a secret)."""
    registry = _registry(config, data_dir)
    try:
        clients = registry.clients()
    finally:
        registry.close()
    if not clients:
        click.echo("No clients. Add one with: sshrealm bridge add-client NAME --capabilities ...")
    for c in clients:
        state = "pending" if not c.approved else ("has a token" if c.has_token else "code issued")
        grants = ", ".join(sorted(c.capabilities)) or "no grants"
        click.echo(f"{c.name}: {state}; {grants}")
