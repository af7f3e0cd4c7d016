"""Leaderboards: quests done, total skill levels, rooms explored; hidden players left out."""

from __future__ import annotations

from game.engine.game import Game
from game.services.leaderboards import Leaderboards


def test_boards_rank_by_count_and_leave_out_hidden_players(game: Game) -> None:
    for name in ("Ana", "Bob", "Cyd"):
        game.ensure_account(name)
    for name, rooms in (("ana", 3), ("bob", 5), ("cyd", 9)):
        for n in range(rooms):
            game.explored.visit(name, f"town:room{n}", 1)
    game.conn.execute(
        "INSERT INTO quest_state (player, quest, status, started_ms) VALUES "
        "('ana', 'q1', 'done', 1), ('ana', 'q2', 'done', 1), ('bob', 'q1', 'active', 1)"
    )
    game.conn.execute("INSERT INTO player_skills (player, skill, xp) VALUES ('bob', 'fishing', 0)")
    game.web.set_listed("Cyd", False)
    boards = Leaderboards(game.conn, lambda xp: 1 + xp // 50, game.web.hidden())
    assert boards.explorers() == [("Bob", 5), ("Ana", 3)]
    assert boards.quests() == [("Ana", 2)]
    assert boards.skills() == [("Bob", 1)]
