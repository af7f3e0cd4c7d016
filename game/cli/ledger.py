"""``sshrealm ledger``: check the books and export them, on the server's database file.

Both commands open the data folder's database read-mostly through :class:`economy.Ledger`;
they are safe to run beside a live server (WAL: readers never block the writer). A missing
database is an error, not a reason to create an empty one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from economy import Ledger, system_clock
from game.cli.common import config_option, data_dir_option, settings_for


def _open(config: Path | None, data_dir: Path | None) -> Ledger:
    path = settings_for(config, data_dir=data_dir).db_path
    if not path.is_file():
        raise click.ClickException(
            f"No database at {path}. Start the server once, or pass --data-dir."
        )
    return Ledger.open(path, system_clock)


@click.group()
def ledger() -> None:
    """Check and export the token ledger."""


@ledger.command()
@config_option
@data_dir_option
@click.option("--quick", is_flag=True, help="Skip the full reconciliation against the log.")
def verify(config: Path | None, data_dir: Path | None, quick: bool) -> None:
    """Check the ledger's invariants; print one line per check; exit 1 if any fails.

    Example: sshrealm ledger verify --quick
    """
    books = _open(config, data_dir)
    try:
        report = books.verify(full=not quick)
    finally:
        books.close()
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        click.echo("The ledger FAILED verification.", err=True)
        sys.exit(1)
    click.echo("The ledger is consistent.")


@ledger.command()
@config_option
@data_dir_option
@click.option("--csv", "as_csv", is_flag=True, required=True, help="Write CSV (the only format).")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False), required=False)
def export(config: Path | None, data_dir: Path | None, as_csv: bool, file: Path | None) -> None:
    """Write every transfer, in commit order, as CSV to FILE (or standard output).

    Example: sshrealm ledger export --csv transfers.csv
    """
    if not as_csv:
        raise click.UsageError("Choose a format: --csv.")
    books = _open(config, data_dir)
    try:
        if file is None or str(file) == "-":
            count = books.export_csv(sys.stdout)
        else:
            with file.open("w", newline="", encoding="utf-8") as out:
                count = books.export_csv(out)
            click.echo(f"Wrote {count} transfers to {file}.", err=True)
    finally:
        books.close()
