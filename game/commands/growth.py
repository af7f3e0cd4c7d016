"""Your own growth insights from Cal: play style, milestones, suggestions, unlocks."""

from __future__ import annotations

import json

from game.commands.base import Context, Result, command
from game.core.reply import Kind, Reply
from game.engine.reflecting import load_rules
from reflection.sheet import build


@command("growth", "insights", category="info")
def growth(ctx: Context, args: str) -> Result:
    """See how you play and what could come next, from the last reflection cycle.

    Usage:
      growth

    Shows your play style (the mix of achieving, exploring, socializing and trading in
    your actions), the milestones you reached and the next one, suggestions that each say
    why, a question to think about, and what you have unlocked. In the full-screen view
    it opens a panel (F2 opens it too; Escape closes it).
    """
    if args.strip():
        return Reply.error("growth takes no arguments. Usage: growth")
    game = ctx.game
    row = game.conn.execute(
        "SELECT cycle_id, body FROM refl_insights WHERE player = ?", (ctx.player.key,)
    ).fetchone()
    unlocks = game.conn.execute(
        "SELECT unlock, reason FROM player_unlocks WHERE player = ? ORDER BY granted_ms",
        (ctx.player.name,),
    ).fetchall()
    titles = {m.id: m.text for m in load_rules(game.settings.content_dir).milestones}
    sheet = build(
        json.loads(row[1]) if row else None,
        row[0] if row else "",
        [(str(u), str(r)) for u, r in unlocks],
        titles,
    )
    return Reply(Kind.INFO, "\n".join(sheet.lines()), sheet)
