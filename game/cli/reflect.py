"""``sshrealm reflect``: run one reflection cycle against the data folder, check growth.yaml,
or undo Domingo's reward tuning."""

from __future__ import annotations

from pathlib import Path

import click

from economy import Ledger
from game.cli.common import config_option, content_dir_option, data_dir_option, settings_for
from game.core.config import Settings
from game.engine.game import wall_clock_ms
from game.world.store import connect
from reflection import cycle, domingo, schema
from reflection.rules import GrowthRules, RulesError
from reflection.rules import load as load_rules_file


@click.command()
@config_option
@data_dir_option
@content_dir_option
@click.option(
    "--now", "now_flag", is_flag=True, help="Run one cycle now and print where the reports are."
)
@click.option("--check", is_flag=True, help="Only check content/growth.yaml and report problems.")
@click.option(
    "--reset-tuning", is_flag=True, help="Put every reward multiplier back to 1.0 (logged)."
)
def reflect(
    config: Path | None,
    data_dir: Path | None,
    content_dir: Path | None,
    now_flag: bool,
    check: bool,
    reset_tuning: bool,
) -> None:
    """Run Cal and Domingo once, check growth rules, or reset reward tuning.

    Examples: sshrealm reflect --now --data-dir var; sshrealm reflect --check
    """
    settings = settings_for(config, data_dir=data_dir, content_dir=content_dir)
    if sum((now_flag, check, reset_tuning)) != 1:
        raise click.UsageError("choose one of --now, --check or --reset-tuning")
    rules_path = settings.content_dir / "growth.yaml"
    try:
        rules = load_rules_file(rules_path)
    except RulesError as exc:
        raise click.ClickException("problems in growth rules:\n" + "\n".join(exc.problems)) from exc
    if check:
        click.echo(
            f"{rules_path}: ok ({len(rules.milestones)} milestones, {len(rules.unlocks)} unlocks,"
            f" {len(rules.suggestions)} suggestions)"
        )
        return
    if not settings.db_path.exists():
        raise click.ClickException(f"no database at {settings.db_path}: nothing to reflect on")
    if reset_tuning:
        from game.services.tuning import RewardMultipliers

        conn = connect(settings.db_path)
        try:
            changed = RewardMultipliers(conn).reset(
                "reset by an admin (reflect --reset-tuning)", wall_clock_ms()
            )
        finally:
            conn.close()
        click.echo(
            f"{changed} reward multiplier(s) put back to 1.0; the change is in refl_tuning_log."
        )
        return
    outcome = _one_cycle(settings, rules)
    if outcome.replay:
        click.echo(f"cycle {outcome.cycle_id} was already reported; nothing changed.")
    for analyst, path in outcome.reports.items():
        click.echo(f"{analyst}: {path}")
    for analyst, error in outcome.errors.items():
        click.echo(f"{analyst} failed: {error}", err=True)
    if outcome.planned:
        click.echo(
            f"{outcome.planned} action(s) planned; the running server applies them"
            " (or does at its next start)."
        )
    if outcome.errors:
        raise SystemExit(1)


def _one_cycle(settings: Settings, rules: GrowthRules) -> cycle.Outcome:
    now = wall_clock_ms()
    policy = domingo.Policy(
        tuning=bool(settings.reflection_tuning), band=settings.reflection_tuning_band_pct / 100
    )
    conn = connect(settings.db_path)  # the game and ledger tables a fresh folder lacks
    try:
        Ledger(conn, wall_clock_ms)
        schema.ensure(conn)
    finally:
        conn.close()
    return cycle.run(
        settings.db_path,
        settings.data_dir / "reports",
        now,
        cycle.cycle_id_for(now, settings.reflection_interval_s),
        cycle.analysts(rules, policy, now),
    )
