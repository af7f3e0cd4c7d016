"""Your own growth insights from Cal: play style, milestones, suggestions, unlocks."""

from __future__ import annotations

from game.commands.base import Context, Result, command
from game.core.reply import Kind, Reply
from game.services.tuning import load_rules
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
    insight = ctx.reports.insight(ctx.player.key)
    titles = {m.id: m.text for m in load_rules(ctx.settings.content_dir).milestones}
    sheet = build(
        insight[1] if insight else None,
        insight[0] if insight else "",
        ctx.unlocks.with_reasons(ctx.player.name),
        titles,
    )
    return Reply(Kind.INFO, "\n".join(sheet.lines()), sheet)
