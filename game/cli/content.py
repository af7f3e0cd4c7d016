"""``sshrealm content``: tools for authors (check, schema, map)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from game.world.loader import check_content, load_content
from game.world.mapping import dot_map, text_map
from game.world.problems import ContentError, report_order
from game.world.schema import schema_text

DEFAULT_DIR = Path("content")
SCHEMA_PATH = Path("content/sshrealm.schema.json")


@click.group()
def content() -> None:
    """Check, describe and map the YAML world."""


@content.command()
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="Print errors only, not warnings.")
def check(directory: Path | None, quiet: bool) -> None:
    """Validate every content file and report ALL problems as path:line:col.

    Exit code 0 when there are no errors (warnings allowed), 1 otherwise.
    Example: sshrealm content check content/
    """
    root = directory or DEFAULT_DIR
    try:
        world, problems = check_content(root)
    except Exception as exc:  # a bug in the checker: say so plainly, exit 2
        click.echo(f"{root}: the content check itself failed: {exc!r}; please report it", err=True)
        sys.exit(2)
    shown = [p for p in problems if not quiet or p.severity != "warning"]
    for problem in sorted(shown, key=report_order):
        click.echo(str(problem))
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = sum(1 for p in problems if p.severity == "warning")
    if world is None:
        click.echo(f"{errors} error(s), {warnings} warning(s) in {root}.", err=True)
        sys.exit(1)
    click.echo(
        f"{root}: {len(world.areas)} areas, {len(world.rooms)} rooms, {len(world.items)} items, "
        f"{len(world.npcs)} npcs, {len(world.quests)} quests, {len(world.shops)} shops; "
        f"0 errors, {warnings} warning(s).",
        err=True,
    )


@content.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help=f"Write here instead of standard output (the repo ships {SCHEMA_PATH}).",
)
def schema(output: Path | None) -> None:
    """Write the JSON Schema of content files, for editor completion and validation."""
    text = schema_text()
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


@content.command("map")
@click.argument("area")
@click.option("--dir", "directory", type=click.Path(path_type=Path), help="Content folder.")
@click.option("--dot", is_flag=True, help="Graphviz DOT instead of text.")
def map_(area: str, directory: Path | None, dot: bool) -> None:
    """Print a map of AREA from room coordinates (or --dot for Graphviz).

    Example: sshrealm content map town --dot | dot -Tsvg > town.svg
    """
    try:
        world = load_content(directory or DEFAULT_DIR)
    except ContentError as exc:
        raise click.ClickException(f"{exc}\nRun: sshrealm content check") from exc
    if area not in world.areas:
        known = ", ".join(sorted(world.areas))
        raise click.ClickException(f"unknown area {area!r}; areas: {known}")
    click.echo(dot_map(world, area) if dot else text_map(world, area), nl=False)
