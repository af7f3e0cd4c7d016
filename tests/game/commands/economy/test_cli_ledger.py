"""``sshrealm ledger verify`` and ``sshrealm ledger export --csv`` on a real database file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from economy import MINT, Ledger, Reason
from game.cli.ledger import ledger
from game.world.store import connect


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder whose database holds three transfers, one with a formula-like memo."""
    folder = tmp_path / "var"
    conn = connect(folder / "sshrealm.db")
    books = Ledger(conn, lambda: 1_764_000_000_000)
    books.account("player:ana")
    books.account("player:bob")
    books.transfer(MINT, "player:ana", 30, Reason.DAILY_BONUS, "d:ana:1")
    books.transfer("player:ana", "player:bob", 5, Reason.PAYMENT, "y1", memo="=1+1")
    books.transfer("player:bob", "system:sink", 2, Reason.COMMAND_PRICE, "c1", memo="travel")
    conn.close()
    return folder


def test_verify_prints_each_check_and_exits_0(data_dir: Path) -> None:
    result = CliRunner().invoke(ledger, ["verify", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("ok   sum_zero:") for line in lines)
    assert any(line.startswith("ok   log_matches:") for line in lines)
    assert lines[-1] == "The ledger is consistent."


def test_verify_quick_skips_the_reconciliation(data_dir: Path) -> None:
    result = CliRunner().invoke(ledger, ["verify", "--quick", "--data-dir", str(data_dir)])
    assert result.exit_code == 0
    assert "log_matches" not in result.output
    assert "sum_zero" in result.output


def test_verify_fails_with_exit_1_on_tampered_books(data_dir: Path) -> None:
    conn = connect(data_dir / "sshrealm.db")
    conn.execute("DROP TRIGGER transfers_no_delete")
    conn.execute("DELETE FROM transfers WHERE idem_key = 'c1'")  # history rewritten
    conn.close()
    result = CliRunner().invoke(ledger, ["verify", "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert "FAIL guards_present" in result.output
    assert "FAIL log_matches" in result.output
    assert "The ledger FAILED verification." in result.output


def test_export_csv_to_stdout_and_file(data_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(ledger, ["export", "--csv", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["idem_key"] for r in rows] == ["d:ana:1", "y1", "c1"]
    assert rows[1]["memo"] == "'=1+1"  # never a live spreadsheet formula
    assert rows[2]["reason"] == "command price"
    out = tmp_path / "books.csv"
    result = runner.invoke(ledger, ["export", "--csv", str(out), "--data-dir", str(data_dir)])
    assert result.exit_code == 0
    assert out.read_text().splitlines()[0].startswith("id,ts,idem_key,debit,credit,amount")
    assert len(out.read_text().splitlines()) == 4


def test_export_needs_csv_flag_and_missing_db_is_an_error(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(ledger, ["export", "--data-dir", str(tmp_path)]).exit_code == 2
    result = runner.invoke(ledger, ["verify", "--data-dir", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "No database at" in result.output
    assert not (tmp_path / "nowhere").exists()  # never creates an empty database


def test_sshrealm_command_has_the_ledger_group(data_dir: Path) -> None:
    from game.cli.main import main  # here: the whole CLI imports every command group

    result = CliRunner().invoke(main, ["ledger", "verify", "--quick", "--data-dir", str(data_dir)])
    assert result.exit_code == 0
    assert "The ledger is consistent." in result.output
