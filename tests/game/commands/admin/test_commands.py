"""Admin @-commands on a real Game (real SQLite, real content): each action changes what it
says, writes one audit row, and a player or builder is refused with nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from economy import Reason
from game.engine.game import Game
from game.engine.session import Session
from game.services.wallet import account_of
from tests.conftest import FakeClock, Screen, join, run


def admin_of(game: Game, name: str = "root") -> tuple[Session, Screen]:
    game.ensure_account(name)
    game.store.set_role(name, "admin")
    return join(game, name)


def audit_rows(game: Game) -> list[tuple[str, str, str, str, str]]:
    return game.conn.execute(
        "SELECT actor, action, target, reason, detail FROM audit_log ORDER BY id"
    ).fetchall()


@pytest.mark.parametrize(
    "line",
    ["@kick bob", "@grant bob 5 gift", "@ban account bob spam", "@tier bob free x", "@audit"],
)
@pytest.mark.parametrize("role", ["player", "builder"])
def test_admin_command_permission_denied_changes_nothing(game: Game, role: str, line: str) -> None:
    _bob, bob_screen = join(game, "bob")
    game.ensure_account("eve")
    game.store.set_role("eve", role)
    eve, _ = join(game, "eve")
    before = game.wallet.balance("bob")
    reply = run(eve, line)
    verb = line.split()[0]
    assert reply.text == f"Permission denied: {verb} is for admins."
    assert not reply.ok
    assert bob_screen.closed is None
    assert game.wallet.balance("bob") == before
    assert audit_rows(game) == []
    assert game.moderation.banned("account", "bob") is None


def test_reload_is_for_builders_not_players(game: Game) -> None:
    ana, _ = join(game, "ana")
    assert run(ana, "@reload").text == "Permission denied: @reload is for builders."


def test_unknown_command_still_unknown(game: Game) -> None:
    ana, _ = join(game, "ana")
    assert run(ana, "@frobnicate").text.startswith("Unknown command '@frobnicate'.")


def test_grant_and_revoke_are_ledger_transfers_with_audit(game: Game) -> None:
    root, _ = admin_of(game)
    _bob, bob_screen = join(game, "bob")
    base = game.wallet.balance("bob")  # a login bonus may already have landed
    reply = run(root, "@grant bob 50 found a bug")
    assert reply.text.startswith("Granted 50 tokens to bob")
    assert game.wallet.balance("bob") == base + 50
    assert "An admin granted you 50 tokens: found a bug" in bob_screen.text
    assert run(root, "@revoke bob 20 refund").text.startswith("Revoked 20 tokens from bob")
    assert game.wallet.balance("bob") == base + 30
    reasons = [
        r[0]
        for r in game.conn.execute(
            "SELECT t.code FROM transfers t JOIN accounts a"
            " ON a.id IN (t.debit_account_id, t.credit_account_id) WHERE a.name=?"
            " AND t.code >= 190 ORDER BY t.id",
            (account_of("bob"),),
        )
    ]
    assert reasons == [Reason.ADMIN_GRANT, Reason.ADMIN_REVOKE]
    rows = audit_rows(game)
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("root", "grant", "bob", "found a bug"),
        ("root", "revoke", "bob", "refund"),
    ]
    assert game.ledger.verify().ok


def test_revoke_more_than_balance_changes_nothing(game: Game) -> None:
    root, _ = admin_of(game)
    join(game, "bob")
    have = game.wallet.balance("bob")
    reply = run(root, f"@revoke bob {have + 1} oops")
    assert reply.text == f"bob has only {have} tokens. Nothing was taken."
    assert game.wallet.balance("bob") == have
    assert audit_rows(game) == []


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("@grant bob", "Usage: @grant <name> <amount> <reason>"),
        ("@grant bob 10", "Usage: @grant"),
        ("@grant bob -3 x", "type the amount as a whole number"),
        ("@grant nobody 3 x", "There is no account named 'nobody'"),
        ("@tier bob gold x", "Usage: @tier"),
        ("@tier bob premium x y", "Give the days as a whole number"),
        ("@ban planet bob x", "Usage: @ban"),
        ("@ban account bob", "Usage: @ban"),
        ("@mute bob", "A reason is required"),
        ("@mute bob 2h", "A reason is required"),
        ("@kick", "Kick whom?"),
        ("@kick ghost", "'ghost' is not online"),
        ("@role bob wizard", "Usage: @role"),
        ("@report weather", "Usage: @report"),
        ("@broadcast", "Broadcast what?"),
        ("@ban account root x", "You cannot ban yourself"),
        ("@unban account bob", "No ban on account bob"),
        ("@unmute bob", "'bob' is not muted"),
    ],
)
def test_admin_bad_input_is_explained_and_changes_nothing(game: Game, line: str, says: str) -> None:
    root, _ = admin_of(game)
    join(game, "bob")
    before = game.wallet.balance("bob")
    reply = run(root, line)
    assert not reply.ok
    assert says in reply.text
    assert audit_rows(game) == []
    assert game.wallet.balance("bob") == before


def test_kick_closes_session_with_reason(game: Game) -> None:
    root, _ = admin_of(game)
    _bob, screen = join(game, "bob")
    assert run(root, "@kick BOB spamming the square").text == "Kicked bob."
    assert screen.closed == "You have been disconnected by an admin. Reason: spamming the square"
    assert game.sessions.get("bob") is None
    assert audit_rows(game) == [("root", "kick", "bob", "spamming the square", "")]


def test_mute_blocks_speech_until_it_expires(game: Game, clock: FakeClock) -> None:
    root, _ = admin_of(game)
    bob, _ = join(game, "bob")
    assert run(root, "@mute bob 30m shouting").text == "Muted bob for 30m."
    reply = run(bob, "say hello")
    assert reply.text.startswith("You are muted by an admin")
    assert run(bob, "look").ok  # only speech is stopped
    clock.tick(30 * 60_000)
    assert run(bob, "say hello").text == 'You say, "hello"'
    assert audit_rows(game)[0][:4] == ("root", "mute", "bob", "shouting")


def test_unmute(game: Game) -> None:
    root, _ = admin_of(game)
    bob, _ = join(game, "bob")
    run(root, "@mute bob rude")
    assert run(root, "@unmute bob").text == "Unmuted bob."
    assert run(bob, "say hi").ok
    assert not run(root, "@unmute bob").ok


def test_ban_account_kicks_and_is_listed_then_unbanned(game: Game) -> None:
    root, _ = admin_of(game)
    _bob, screen = join(game, "bob")
    reply = run(root, "@ban account bob 7d griefing")
    assert reply.text == "Banned account bob. Disconnected: bob."
    assert screen.closed == "You have been banned by an admin. Reason: griefing"
    assert game.moderation.banned("account", "BOB") is not None
    assert "account bob: griefing (by root)" in run(root, "@ban").text
    assert run(root, "@unban account bob").text == "Unbanned account bob."
    assert game.moderation.banned("account", "bob") is None
    assert [r[1] for r in audit_rows(game)] == ["ban-account", "unban-account"]


def test_tier_premium_and_back(game: Game) -> None:
    root, _ = admin_of(game)
    _bob, screen = join(game, "bob")
    assert run(root, "@tier bob premium 30 contest winner").text == (
        "bob is now premium for 30 days."
    )
    assert game.wallet.tier("bob") == "premium"
    assert screen.statuses[-1].tier == "premium"
    assert run(root, "@tier bob free contest over").text == "bob is now free."
    assert game.wallet.tier("bob") == "free"
    assert [r[4] for r in audit_rows(game)] == ["premium 30d", "free"]


def test_role_applies_to_online_player(game: Game) -> None:
    root, _ = admin_of(game)
    bob, _ = join(game, "bob")
    assert run(bob, "@who").text.startswith("Permission denied")
    assert run(root, "@role bob builder").text == "bob is now a builder."
    assert run(bob, "@reload").text != "Permission denied: @reload is for builders."
    assert run(root, "@role bob admin").text == "bob is now an admin."
    assert run(bob, "@who").ok
    assert game.store.account("bob").role == "admin"  # type: ignore[union-attr]
    assert not run(root, "@role root player").ok  # never lock yourself out


def test_who_lists_sessions(game: Game, clock: FakeClock) -> None:
    root, _ = admin_of(game)
    join(game, "bob")
    have = game.wallet.balance("bob")
    clock.tick(125_000)
    text = run(root, "@who").text
    assert text.startswith("2 sessions:")
    assert f"bob: Town Square, free, {have} tokens, idle 2m, from unknown, line, player" in text


def test_broadcast_reaches_everyone_and_is_audited(game: Game) -> None:
    root, _ = admin_of(game)
    _, screen = join(game, "bob")
    assert run(root, "@broadcast restart at noon").text == "Broadcast sent to 2 sessions."
    assert "[Admin root] restart at noon" in screen.text
    assert audit_rows(game) == [("root", "broadcast", "", "", "restart at noon")]


def test_audit_lists_newest_first_and_filters(game: Game) -> None:
    root, _ = admin_of(game)
    join(game, "bob")
    join(game, "cyra")
    run(root, "@grant bob 1 a")
    run(root, "@grant cyra 2 b")
    lines = run(root, "@audit").text.split("\n")
    assert "grant cyra (2 tokens" in lines[0]
    assert lines[0].endswith(": b")
    assert "grant bob" in lines[1]
    only = run(root, "@audit bob").text
    assert "bob" in only
    assert "cyra" not in only
    assert run(root, "@audit nobody").text == "No audit entries for nobody."


def test_audit_log_is_append_only(game: Game) -> None:
    game.audit.record("root", "kick", "bob")
    with pytest.raises(Exception, match="append-only"):
        game.conn.execute("DELETE FROM audit_log")
    with pytest.raises(Exception, match="append-only"):
        game.conn.execute("UPDATE audit_log SET actor='x'")


def test_admin_in_line_mode_lists_commands(game: Game) -> None:
    root, _ = admin_of(game)
    text = run(root, "admin").text
    for verb in ("@who", "@kick", "@ban", "@grant", "@tier", "@broadcast", "@reload", "@audit"):
        assert f"\n{verb}: " in text


def test_report_without_reflection_says_no_report_yet(game: Game) -> None:
    root, _ = admin_of(game)
    assert run(root, "@report economy").text.startswith("No economy report yet")
    assert run(root, "@report growth").text.startswith("No growth report yet")


def test_server_shows_health_facts(game: Game) -> None:
    root, _ = admin_of(game)
    run(root, "look")
    text = run(root, "@server").text
    assert text.startswith("Sessions: 1 (0 full-screen, 1 line).")
    assert "Command latency ms: p50" in text
    assert "Plugins: none loaded." in text


def test_reload_by_builder_shows_diff_and_is_audited(game: Game) -> None:
    game.ensure_account("bea")
    game.store.set_role("bea", "builder")
    bea, _ = join(game, "bea")
    reply = run(bea, "@reload")
    assert reply.ok, reply.text
    assert reply.text.startswith("Reloaded in ")
    assert "0 added, 0 changed, 0 removed" in reply.text
    rows = audit_rows(game)
    assert [(r[0], r[1], r[2]) for r in rows] == [("bea", "reload", "content")]
    assert rows[0][4].startswith("Reloaded in ")


def test_reload_with_broken_yaml_changes_nothing(game: Game, tmp_path: Path) -> None:
    import shutil

    broken = tmp_path / "content"
    shutil.copytree(game.settings.content_dir, broken)
    rooms = broken / "town" / "rooms.yaml"
    rooms.write_text(rooms.read_text() + "\n  - this: [is not\n")
    game.content_watcher.content_dir = broken
    root, _ = admin_of(game)
    before = game.world.content
    reply = run(root, "@reload")
    assert not reply.ok
    assert reply.text.startswith("Reload refused:")
    assert game.world.content is before


def test_reload_status_says_watching_and_the_last_reload(game: Game) -> None:
    root, _ = admin_of(game)
    lines = run(root, "reload status").lines()
    assert lines == [
        "Watching content files: off.",
        "A reload is running now: no.",
        "No reload since the start.",
    ]
    run(root, "@reload")
    run(root, "reload watch on")
    lines = run(root, "reload status").lines()
    assert lines[0] == "Watching content files: on."
    assert lines[2].startswith("Last reload: #")
    assert "root reload content" in lines[2]
    assert lines[3].startswith("Reloaded in ")  # the whole outcome: a diff, or every error
    game.content_watcher.disable()


def test_restart_asks_the_world_role_and_the_all_in_one_server_says_why_not(game: Game) -> None:
    root, _ = admin_of(game)
    refused = run(root, "@restart")
    assert not refused.ok
    assert "Only the world of a scaled-out cluster" in refused.text
    asked: list[str] = []
    game.restart = lambda: asked.append("restart")  # what WorldServer.serve_forever sets
    reply = run(root, "@restart new content")
    assert reply.ok
    assert asked == ["restart"]
    assert audit_rows(game)[-1] == ("root", "restart", "", "new content", "")
