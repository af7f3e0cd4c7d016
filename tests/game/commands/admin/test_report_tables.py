"""@report through the real front ends: one fact per line in line mode over SSH, real tables
in the full-screen UI (read with pyte) and in the admin console, never Markdown pipes."""

from __future__ import annotations

import sqlite3

import asyncssh
from rich.console import Console

from game.app import Server
from game.engine.game import Game
from game.fronts.tui.admin import report_text
from reflection import report, schema
from reflection.cal import CalReport, FunnelStep, Insight, Suggestion, Unlock
from reflection.domingo import Change, DomingoReport
from tests.e2e.conftest import Reader, connect
from tests.e2e.pty import PtyScreen
from tests.game.commands.admin.test_commands import admin_of

FAUCET = (
    "Faucet exploration (code 102): 6 transfers, 6 tokens, 100% of issuance, "
    "+6 on the previous 24 h."
)
BOX = set("│┃─━┌┐└┘├┤┬┴┼╭╮╰╯")


def domingo() -> DomingoReport:
    flows = {"count_24h": 6, "tokens_24h": 6, "share_24h": 1.0, "delta_24h": 6, "tokens_all": 6}
    return DomingoReport(
        cycle_id="c7",
        now_ms=1,
        supply={
            "supply": 36.0,
            "minted": 36.0,
            "burned": 0.0,
            "escrow": 0.0,
            "faucet_24h": 6.0,
            "sink_24h": 2.0,
            "net_24h": 4.0,
            "inflation_24h": None,
            "sink_faucet_ratio": 0.3333,
        },
        faucets=[{"code": 102, "label": "exploration", **flows}],
        sinks=[
            {
                "code": 201,
                "label": "[red]shop[/red]",  # shown as typed, never as markup
                "count_24h": 1,
                "tokens_24h": 2,
                "share_24h": 1.0,
                "delta_24h": -3,
                "tokens_all": 2,
            }
        ],
        velocity={"velocity_24h": 0.05, "p2p_share": 0.0},
        distribution={"gini": 0.2, "top1_share": 0.5, "top10_share": 1.0, "p50": 18},
        runway={"under_one_day": 0, "spenders_7d": 1, "demand_next_24h": 2},
        checks=[{"name": "sum_zero", "ok": True, "detail": "sum of 3 balances is 0"}],
        anomalies=[],
        recommendations=["Add a sink."],
        tuning=[Change(102, 1.0, 0.95, "faucets outpace sinks")],
        capacity={"advice": "one process is enough"},
    )


def cal() -> CalReport:
    tip = Suggestion("explore-more", "Try the harbour.", {})
    return CalReport(
        cycle_id="c7",
        now_ms=1,
        players_total=2,
        active_players=2,
        dau=1,
        wau=2,
        mau=2,
        stickiness=0.5,
        retention={"d1": {"retained": 1, "cohort": 2, "rate": 0.5}},
        funnel=[
            FunnelStep("look", "Took a first look around", 2, 1.0, 0.0),
            FunnelStep("rooms", "Walked through five rooms", 1, 0.5, 0.5),
        ],
        styles={"explore": 2},
        churn={"low": 2},
        new_milestones=[],
        unlocks=[Unlock("ana", "form:visual", "r", "uses the full-screen UI")],
        insights=[
            Insight("ana", {"explore": 1.0}, "explore", [], "ten rooms", [tip], "", "low", 0, 1.0)
        ],
    )


def store(conn: sqlite3.Connection) -> None:
    schema.ensure(conn)
    for analyst, body in (("domingo", domingo()), ("cal", cal())):
        conn.execute(
            "INSERT INTO refl_reports(cycle_id, analyst, created_ms, body) VALUES (?,?,?,?)",
            ("c7", analyst, 1, report.to_json(body)),
        )


def assert_plain(text: str) -> None:
    assert "|" not in text
    assert "---" not in text
    assert "#" not in text
    assert "\x1b" not in text
    assert not BOX & set(text)


async def test_report_in_line_mode_is_one_fact_per_line(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(server.ssh_port, "ana", keys["ana"]) as conn:
        await conn.run("look")  # the account exists now
        server.game.store.set_role("ana", "admin")
        store(server.game.conn)
        reader = Reader(await conn.create_process(encoding=None))  # no PTY: line mode
        await reader.until("You see a notice board.")
        start = len(reader.seen)
        reader.send("@report economy")
        await reader.until("Reward tuning:\r\nCode 102: 1 to 0.95, faucets outpace sinks.\r\n")
        reader.send("@report growth")
        await reader.until("Suggestions:\r\nana: Try the harbour. (explore-more)\r\n")
    text = reader.seen[start:].decode()
    assert_plain(text)
    lines = text.split("\r\n")
    assert "Faucets in the last 24 hours:" in lines
    assert FAUCET in lines
    assert (
        "Sink [red]shop[/red] (code 201): 1 transfer, 2 tokens, 100% of sinks, "
        "-3 on the previous 24 h." in lines
    )
    assert "Anomalies: none." in lines
    assert "Funnel:" in lines
    assert "Walked through five rooms: 1 player reached it, conversion 50%, drop-off 50%." in lines
    assert "Churn risk low: 2 players." in lines


async def test_report_in_the_full_screen_ui_is_a_table(
    server: Server, keys: dict[str, asyncssh.SSHKey]
) -> None:
    async with await connect(server.ssh_port, "ana", keys["ana"]) as conn:
        await conn.run("look")
        server.game.store.set_role("ana", "admin")
        store(server.game.conn)
        screen = await PtyScreen.open(conn, (100, 40))
        screen.process.stdin.write(b"@report economy\r")
        await screen.wait_for(lambda s: "Reward tuning:" in s, "the report")
    rows = screen.rows()
    head = next(r for r in rows if "Code" in r and "Reason" in r and "Tokens" in r)
    faucet = next(r for r in rows if "exploration" in r)
    sink = next(r for r in rows if "[red]shop[/red]" in r)  # markup shown literally
    assert faucet.index("exploration") == head.index("Reason") == sink.index("[red]shop")
    assert faucet.index("102") == head.index("Code")
    assert "Faucets in the last 24 hours:" in screen.text()
    assert "| code |" not in screen.text()
    assert "---|" not in screen.text()


def test_admin_console_tabs_draw_the_same_tables(game: Game) -> None:
    store(game.conn)
    session, _ = admin_of(game)
    console = Console(width=100, record=True, color_system=None)
    console.print(report_text("growth", session))
    text = console.export_text()
    rows = text.splitlines()
    head = next(r for r in rows if "Step" in r and "Reached" in r and "Conversion" in r)
    step = next(r for r in rows if "Walked through five rooms" in r)
    assert step.index("1 ") == head.index("Reached")
    assert "|" not in text
    assert "players_total" in text
    assert "Funnel:" in text
