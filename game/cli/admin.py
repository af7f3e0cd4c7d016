"""Shell commands for operators: ``sshrealm admin ...`` and ``sshrealm backup PATH``.

These work on the database file directly, beside a running server (SQLite WAL lets a
second connection read and write while the server does), so the first admin can be made
before anyone has an admin role in game, and backups need no downtime.
"""

from __future__ import annotations

import getpass
import sqlite3
from pathlib import Path

import click

from economy import system_clock, verify
from game.cli.common import config_option, data_dir_option, settings_for
from game.commands.base import ROLES
from game.services.audit import Audit
from game.world.store import Store, connect


@click.group()
def admin() -> None:
    """Operator commands that work on the database directly."""


@admin.command("grant-role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@config_option
@data_dir_option
def grant_role(name: str, role: str, config: Path | None, data_dir: Path | None) -> None:
    """Give account NAME the role ROLE (player, builder or admin); written to the audit log.

    Example: sshrealm admin grant-role ana admin
    """
    settings = settings_for(config, data_dir=data_dir)
    if not settings.db_path.exists():
        raise click.ClickException(f"No database at {settings.db_path}: start the server once.")
    conn = connect(settings.db_path)
    try:
        store = Store(conn)
        account = store.account(name)
        if account is None:
            raise click.ClickException(
                f"No account named {name!r}. The player must log in once to create it."
            )
        audit = Audit(conn, system_clock)
        conn.execute("BEGIN IMMEDIATE")
        store.set_role(account.name, role)
        audit.record(f"shell:{getpass.getuser()}", "role", account.name, "", role)
        conn.execute("COMMIT")
    finally:
        conn.close()
    article = "an" if role == "admin" else "a"
    click.echo(
        f"{account.name} is now {article} {role}. "
        "If they are online, it applies at their next login."
    )


@admin.command("check-db")
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
def check_db(path: Path) -> None:
    """Check a database file (a backup before restoring it): SQLite integrity and the
    ledger's invariants. Exits 1 if anything fails.

    Example: sshrealm admin check-db backups/sshrealm-2026-01-01.db
    """
    ok = True
    for line, good in verify_file(path):
        ok = ok and good
        click.echo(line)
    if not ok:
        raise SystemExit(1)


def verify_file(path: Path) -> list[tuple[str, bool]]:
    """(line, ok) results of ``PRAGMA integrity_check`` and a full ledger verify."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        try:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            return [(f"FAIL sqlite: {exc}", False)]
        out = [
            (
                f"{'ok  ' if integrity == 'ok' else 'FAIL'} sqlite integrity: {integrity}",
                integrity == "ok",
            )
        ]
        try:
            report = verify.run(conn, full=True)  # read-only: no schema set-up, unlike Ledger()
        except sqlite3.Error as exc:
            return [*out, (f"FAIL ledger: {exc}", False)]
        out.extend((line, not line.startswith("FAIL")) for line in report.lines())
        return out
    finally:
        conn.close()


@click.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@config_option
@data_dir_option
def backup(path: Path, config: Path | None, data_dir: Path | None) -> None:
    """Copy the live database to PATH with SQLite's online backup (safe while the server
    runs), then check the copy.

    Example: sshrealm backup backups/sshrealm-$(date +%F).db
    """
    settings = settings_for(config, data_dir=data_dir)
    if not settings.db_path.exists():
        raise click.ClickException(f"No database at {settings.db_path}.")
    if path.exists():
        raise click.ClickException(f"{path} already exists; choose a new file name.")
    path.parent.mkdir(parents=True, exist_ok=True)
    pages = take_backup(settings.db_path, path)
    click.echo(f"Backed up {settings.db_path} to {path} ({pages} pages).")
    results = verify_file(path)
    for line, _ in results:
        click.echo(line)
    if not all(good for _, good in results):
        raise click.ClickException(f"The copy at {path} failed its checks; do not rely on it.")


def take_backup(source: Path, target: Path) -> int:
    """Online backup in one step: a single read transaction on the live file.

    In WAL mode a reader never blocks the server's writers, so copying everything at once
    is both safe and consistent (one snapshot). A stepwise copy would restart each time the
    server commits and might never finish under load. Returns the page count copied.
    """
    src = sqlite3.connect(source, isolation_level=None)
    dst = sqlite3.connect(target, isolation_level=None)
    try:
        src.execute("PRAGMA busy_timeout=5000")
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        return int(dst.execute("PRAGMA page_count").fetchone()[0])
    finally:
        dst.close()
        src.close()
