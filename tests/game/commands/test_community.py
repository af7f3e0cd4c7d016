"""Community commands on the real engine and SQLite: channels, socials, ignore, away, friends,
following and groups, aliases, exits and the character sheet."""

from __future__ import annotations

import pytest

from bridge.events import ChannelSaid, ChannelSaidRestricted, Event
from game.core.reply import Kind, Reply
from game.engine.game import Game
from game.engine.session import Session
from tests.conftest import FakeClock, join, run


def lines(session: Session, line: str) -> list[Reply]:
    return Game.of(session).engine.execute(session, line)


def events(game: Game) -> list[Event]:
    seen: list[Event] = []
    game.listeners.append(seen.append)
    return seen


# -- channels ---------------------------------------------------------------------------------


def test_channel_line_has_a_stable_prefix_and_reaches_listeners_anywhere(game: Game) -> None:
    ana, _ = join(game, "ana")
    bo, bo_screen = join(game, "bo")
    run(bo, "north")
    seen = events(game)
    said = run(ana, "chat hello [bold]all")
    assert said.kind is Kind.CHANNEL
    assert said.text == "[chat] ana: hello [bold]all"
    assert "[chat] ana: hello [bold]all" in bo_screen.text
    assert run(ana, "channel newbie how do I fish?").text == "[newbie] ana: how do I fish?"
    assert [type(e) for e in seen if isinstance(e, ChannelSaid)] == [ChannelSaid, ChannelSaid]


def test_mute_leave_and_join_with_recent_lines(game: Game) -> None:
    ana, _ = join(game, "ana")
    bo, bo_screen = join(game, "bo")
    run(bo, "mute chat")
    run(ana, "chat one")
    assert "[chat] ana: one" not in bo_screen.text
    assert run(bo, "unmute chat").text == "You hear chat again."
    run(ana, "chat two")
    assert "[chat] ana: two" in bo_screen.text
    assert run(ana, "trade selling herring").kind is Kind.ERROR  # trade is join: open
    joined = lines(ana, "join trade")
    assert joined[1].text.startswith("Nothing has been said on trade")
    run(ana, "trade selling herring")
    history = lines(bo, "join trade")[1].text.split("\n")
    assert history == ["Lately on trade:", "[trade] ana: selling herring"]
    run(bo, "leave chat")
    run(ana, "chat three")
    assert "[chat] ana: three" not in bo_screen.text
    listed = run(bo, "channels").text
    assert "chat (Chat), not joined" in listed
    assert "trade (Trade), listening" in listed
    # the choice is kept in the database: a fresh service reads the same
    assert game.channels.state("bo", game.channels.get("chat")) == "left"  # type: ignore[arg-type]


def test_staff_channel_is_hidden_from_players_and_private_to_plugins(game: Game) -> None:
    ana, _ = join(game, "ana")
    root, _ = join(game, "root")
    _bo, bo_screen = join(game, "bo")
    game.store.set_role("root", "admin")
    root.player.role = "admin"
    assert run(ana, "staff hi").kind is Kind.ERROR
    assert "staff" not in run(ana, "channels").text
    seen = events(game)
    assert run(root, "staff reload at noon").text == "[staff] root: reload at noon"
    assert "reload at noon" not in bo_screen.text
    assert [type(e) for e in seen if "Channel" in type(e).__name__] == [ChannelSaidRestricted]
    assert ChannelSaidRestricted.private
    assert not ChannelSaid.private


def test_admin_silence_on_one_channel_for_a_while(game: Game, clock: FakeClock) -> None:
    ana, ana_screen = join(game, "ana")
    root, _ = join(game, "root")
    game.store.set_role("root", "admin")
    root.player.role = "admin"
    assert run(root, "@silence ana chat 30m spamming").text == "Silenced ana on chat for 30m."
    assert "silenced you on chat" in ana_screen.text
    assert run(ana, "chat hi").kind is Kind.ERROR
    assert run(ana, "newbie hi").kind is Kind.CHANNEL  # only that channel
    clock.tick(31 * 60_000)
    assert run(ana, "chat hi again").kind is Kind.CHANNEL
    assert run(root, "@silence ana chat").kind is Kind.ERROR  # a reason is required


# -- socials ------------------------------------------------------------------------------------


def test_socials_have_three_views(game: Game) -> None:
    ana, _ = join(game, "ana")
    _bo, bo_screen = join(game, "bo")
    _cy, cy_screen = join(game, "cy")
    assert run(ana, "wave bo").text == "You wave to bo."
    assert "ana waves to you." in bo_screen.text
    assert "ana waves to bo." in cy_screen.text
    assert "ana waves to bo." not in bo_screen.text
    assert run(ana, "smile").text == "You smile."
    assert "ana smiles." in cy_screen.text
    assert run(ana, "shrug bo").kind is Kind.ERROR  # shrug is alone only
    assert run(ana, "wave nobody").kind is Kind.ERROR
    assert "wave" in run(ana, "socials").text


# -- people ---------------------------------------------------------------------------------


def test_ignore_stops_every_path(game: Game) -> None:
    ana, _ = join(game, "ana")
    bo, bo_screen = join(game, "bo")
    _cy, cy_screen = join(game, "cy")
    assert run(bo, "ignore ana").ok
    run(ana, "say hello")
    run(ana, ":waves")
    run(ana, "chat hi all")
    run(ana, "smile bo")
    assert "ana" not in bo_screen.text
    assert 'ana says, "hello"' in cy_screen.text  # others still hear
    refused = run(ana, "tell bo psst")
    assert refused.kind is Kind.ERROR
    assert refused.text == "bo is not listening to you."
    assert run(bo, "ignore").text.startswith("You ignore ana.")
    assert run(bo, "unignore ana").ok
    run(ana, "say again")
    assert 'ana says, "again"' in bo_screen.text
    assert run(bo, "ignore bo").kind is Kind.ERROR


def test_away_shows_in_who_answers_tells_and_ends_with_any_command(game: Game) -> None:
    ana, _ = join(game, "ana")
    bo, _ = join(game, "bo")
    run(bo, "afk lunch")
    assert "bo, in Town Square (away: lunch)" in run(ana, "who").text
    told = lines(ana, "tell bo are you there")
    assert [r.text for r in told][1] == "bo is away: lunch"
    back = lines(bo, "look")
    assert back[0].text == "Welcome back: you are no longer away."
    assert "(away" not in run(ana, "who").text


def test_friends_hear_comings_and_goings(game: Game) -> None:
    ana, ana_screen = join(game, "ana")
    game.ensure_account("bo")
    assert run(ana, "friends add bo").text == "bo is on your friends list."
    bo, _ = join(game, "bo")
    assert "Your friend bo is online." in ana_screen.text
    assert run(ana, "friends").text == "Online: bo."
    game.disconnect(bo)
    assert "Your friend bo has gone offline." in ana_screen.text
    assert run(ana, "friends").text == "No friend is online.\nOffline: bo."
    assert run(ana, "friends remove bo").ok


def test_followers_walk_after_their_leader_through_the_same_exit(game: Game) -> None:
    ana, _ = join(game, "ana")
    bo, bo_screen = join(game, "bo")
    cy, _ = join(game, "cy")
    assert run(bo, "follow ana").text == "You follow ana."
    assert run(cy, "follow bo").text == "You follow bo."
    assert run(ana, "follow cy").kind is Kind.ERROR  # a loop
    run(ana, "north")
    assert bo.player.room == cy.player.room == ana.player.room == "town:hall"
    assert "You follow ana north." in bo_screen.text
    run(bo, "follow")
    run(ana, "south")
    assert ana.player.room == "town:square"
    assert bo.player.room == "town:hall"


def test_group_invite_accept_chat_and_leave(game: Game) -> None:
    ana, _ = join(game, "ana")
    bo, bo_screen = join(game, "bo")
    _cy, cy_screen = join(game, "cy")
    assert run(bo, "group accept").kind is Kind.ERROR
    run(ana, "group invite bo")
    assert "ana invites you to their group." in bo_screen.text
    assert run(bo, "group accept").text.startswith("You joined ana's group")
    assert run(bo, "group").text == "Your group, led by ana: ana and bo."
    assert run(ana, "gsay onward").text == "[group] ana: onward"
    assert "[group] ana: onward" in bo_screen.text
    assert "onward" not in cy_screen.text
    run(ana, "north")
    assert bo.player.room == "town:hall"  # members follow the leader
    assert run(ana, "group leave").text == "You ended your group."
    assert "ana ended the group." in bo_screen.text
    assert run(bo, "gsay hello?").kind is Kind.ERROR


# -- shortcuts ------------------------------------------------------------------------------


def test_alias_runs_its_commands_in_order_with_arguments(game: Game) -> None:
    ana, _ = join(game, "ana")
    _bo, bo_screen = join(game, "bo")
    assert run(ana, "alias gg say one;say two $1 and $*").ok
    said = lines(ana, "gg three four")
    assert [r.text for r in said] == [
        'You say, "one"',
        'You say, "two three and three four"',
    ]
    assert bo_screen.text.index('"one"') < bo_screen.text.index('"two three')
    assert run(ana, "alias").text == "Your aliases:\ngg: say one;say two $1 and $*"
    assert run(ana, "alias alias look").kind is Kind.ERROR
    assert run(ana, "alias x " + ";".join(["look"] * 11)).kind is Kind.ERROR
    run(ana, "alias loop loop;loop")  # an alias never runs another alias: no loop
    assert [r.kind for r in lines(ana, "loop")] == [Kind.ERROR, Kind.ERROR]
    assert run(ana, "unalias gg").ok
    assert run(ana, "gg").kind is Kind.ERROR


# -- finding your way -------------------------------------------------------------------------


def test_exits_and_score(game: Game) -> None:
    ana, _ = join(game, "ana")
    out = run(ana, "exits").text.split("\n")
    assert out[0] == "Ways out of Town Square:"
    assert out[1].startswith("North: The Old Hall")
    sheet = run(ana, "score").text.split("\n")
    assert sheet[0] == "ana"
    assert sheet[1].startswith("Tokens: ")
    assert any(line.startswith("Skills: ") for line in sheet)
    assert run(ana, "sheet").text.split("\n") == sheet


def test_map_says_where_you_have_been_and_the_tui_draws_it(game: Game) -> None:
    ana, _ = join(game, "ana")
    first = run(ana, "map").text.split("\n")
    assert first[0].startswith("You are in Town Square, in ")
    assert "North: The Old Hall (not yet)" in first
    run(ana, "north")
    run(ana, "south")
    again = run(ana, "map").text.split("\n")
    assert "North: The Old Hall (visited)" in again
    assert again[-1] == "Explored here: Town Square and The Old Hall."
    ana.kind = "tui"
    drawn = lines(ana, "map")[1].text
    assert "the 2 rooms you have explored" in drawn
    assert "1. Town Square" in drawn or "1. The Old Hall" in drawn


def test_prompt_is_shown_after_each_command_in_line_mode(game: Game) -> None:
    ana, _ = join(game, "ana")
    assert game.prompt(ana.player) is None
    assert run(ana, "prompt [%t tokens, %q left] %r>").ok
    shown = game.prompt(ana.player)
    assert shown is not None
    assert shown.endswith("left] Town Square>")
    assert shown.startswith("[0 tokens, ")
    assert run(ana, "prompt off").ok
    assert game.prompt(ana.player) is None
    assert run(ana, "prompt " + "x" * 81).kind is Kind.ERROR


def test_ignore_also_refuses_mail_from_the_ignored(game: Game) -> None:
    ana, _ = join(game, "ana")
    bo, _ = join(game, "bo")
    run(bo, "ignore ana")
    refused = run(ana, "mail send bo hello = are you there?")
    assert refused.kind is Kind.ERROR
    assert refused.text == "bo is not accepting mail from you. Nothing was sent."
    run(bo, "unignore ana")
    assert run(ana, "mail send bo hello = are you there?").ok


def test_aliases_are_read_once_and_a_failed_step_leaves_none_behind(game: Game) -> None:
    ana, _ = join(game, "ana")
    run(ana, "alias gg look")
    queries: list[str] = []
    game.conn.set_trace_callback(queries.append)
    try:
        for _ in range(3):
            run(ana, "look")
    finally:
        game.conn.set_trace_callback(None)
    assert not [q for q in queries if "player_aliases" in q]  # not a query per typed line

    def failing_step() -> None:
        with game.outbox.step(), game.ledger.atomic():
            game.shortcuts.set_alias("ana", "zz", "say hi")
            raise RuntimeError("the step fails")

    with pytest.raises(RuntimeError):
        failing_step()
    assert game.shortcuts.alias("ana", "zz") is None
    stored = game.conn.execute("SELECT count(*) FROM player_aliases WHERE name = 'zz'")
    assert stored.fetchone() == (0,)
