"""@report and the console's report tabs read what the reflection cycle stored."""

from __future__ import annotations

import json

from click.testing import CliRunner

from economy import Reason
from game.cli.main import main
from game.engine.game import Game
from game.services import reports
from reflection import schema
from tests.conftest import run
from tests.game.commands.admin.test_commands import admin_of


def store_report(game: Game, cycle: str, ms: int, analyst: str, body: dict[str, object]) -> None:
    schema.ensure(game.conn)
    game.conn.execute(
        "INSERT INTO refl_reports(cycle_id, analyst, created_ms, body) VALUES (?,?,?,?)",
        (cycle, analyst, ms, json.dumps(body)),
    )


def test_economy_series_span_the_last_reports(game: Game) -> None:
    for n, supply in enumerate((100, 140, 120)):
        body = {"supply": {"supply": supply, "faucet_24h": 10 * n, "sink_24h": 5, "net_24h": 1}}
        store_report(game, f"c{n}", 1000 + n, "domingo", body)
    latest = reports.latest(game.conn, "domingo", game.settings.data_dir)
    assert latest is not None
    assert latest.cycle_id == "c2"
    assert latest.series["supply"] == [100.0, 140.0, 120.0]
    assert latest.series["faucet_24h"] == [0.0, 10.0, 20.0]
    assert reports.sparkline(latest.series["supply"]) == "▁█▄"
    root, _ = admin_of(game)
    text = run(root, "@report economy").text
    assert text.startswith("Domingo's economy report, cycle c2:")
    assert "supply: 3 points, from 100 to 120 (up), low 100, high 140" in text
    assert "No growth report yet" in run(root, "@report growth").text


def test_report_reads_the_json_not_the_markdown(game: Game) -> None:
    store_report(game, "c9", 5, "cal", {"dau": 3, "mau": 9})
    folder = game.settings.data_dir / "reports" / "c9"
    folder.mkdir(parents=True)
    (folder / "cal.md").write_text("# Cal\n\n| step | reached |\n|---|---|\n")
    root, _ = admin_of(game)
    text = run(root, "@report growth").text
    assert "dau: 1 point, from 3 to 3 (flat), low 3, high 3" in text
    assert "|" not in text
    assert "#" not in text


def test_sparkline_flat_and_empty() -> None:
    assert reports.sparkline([]) == ""
    assert reports.sparkline([5, 5, 5]) == "▁▁▁"


def test_report_after_a_real_reflection_cycle(game: Game) -> None:
    game.ensure_account("bob")
    game.wallet.credit("bob", 30, Reason.ADMIN_GRANT, "seed1", "seed")
    root, _ = admin_of(game)
    result = CliRunner().invoke(
        main,
        [
            "reflect",
            "--now",
            "--data-dir",
            str(game.settings.data_dir),
            "--content-dir",
            str(game.settings.content_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    text = run(root, "@report economy").text
    assert text.startswith("Domingo's economy report, cycle ")
    supply = game.ledger.supply()  # the grant plus any login bonus
    assert f"supply: 1 point, from {supply} to {supply} (flat)" in text
    assert "Ledger checks:" in text
    assert "|" not in text
