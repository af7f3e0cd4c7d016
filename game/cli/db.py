"""Shell commands for the database schema: ``sshrealm db status`` and ``sshrealm db migrate``.

The server migrates by itself when it starts; these let an operator see what an upgrade
will do, and do it (with the same backup first) before starting the new release.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from game.cli.common import config_option, data_dir_option, settings_for
from game.migrations import migrate, status


def _open(config: Path | None, data_dir: Path | None) -> tuple[sqlite3.Connection, Path]:
    path = settings_for(config, data_dir=data_dir).db_path
    if not path.exists():
        raise click.ClickException(f"No database at {path}: the server makes it when it starts.")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA busy_timeout=5000")
    return conn, path


@click.group()
def db() -> None:
    """See and apply the database's schema migrations."""


@db.command("status")
@config_option
@data_dir_option
def db_status(config: Path | None, data_dir: Path | None) -> None:
    """List the migrations this database has and the ones it still needs."""
    conn, path = _open(config, data_dir)
    try:
        found = status(conn)
    finally:
        conn.close()
    click.echo(f"Database {path}:")
    for name, when in found.applied:
        click.echo(f"  applied  {name}  ({when})")
    for name in found.pending:
        click.echo(f"  pending  {name}")
    click.echo(
        f"{len(found.pending)} pending: run sshrealm db migrate (the server also does it when"
        " it starts)."
        if found.pending
        else "Up to date."
    )


@db.command("migrate")
@config_option
@data_dir_option
def db_migrate(config: Path | None, data_dir: Path | None) -> None:
    """Back the database up, then apply every pending migration (each one whole or not at
    all). Safe to run again: nothing pending means nothing is done."""
    conn, path = _open(config, data_dir)
    try:
        applied, saved = migrate(conn, path.parent / "backups")
    except Exception as exc:  # the migration rolled back; say so without a traceback
        raise click.ClickException(f"Migration failed and was rolled back: {exc}") from None
    finally:
        conn.close()
    if not applied:
        click.echo("Up to date: nothing to do.")
        return
    if saved is not None:
        click.echo(f"Backed up to {saved}.")
    for name in applied:
        click.echo(f"Applied {name}.")
