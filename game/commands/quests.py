"""The quest log."""

from __future__ import annotations

from game.commands.base import Context, Result, command
from game.core.reply import Reply
from game.services.quests import describe_goal, describe_reward


@command("quests", "quest", "journal", category="people")
def quests(ctx: Context, args: str) -> Result:
    """List your quests: what each asks, which goals are done, and what it pays.

    Usage:
      quests
      quests done       (only the quests you have finished)
    """
    book, name = ctx.quests, ctx.player.name
    finished = book.finished(name)
    lines: list[str] = []
    if args.strip().lower() != "done":
        active = book.active(name)
        if not active:
            lines.append("You have no active quests. Talk to people and ask them about things.")
        for quest, progress in active:
            met = [book.goal_met(name, g, progress, i) for i, g in enumerate(quest.goals)]
            lines.append(f"{quest.title}: {sum(met)} of {len(met)} goals done.")
            lines.append(quest.description)
            for goal, ok in zip(quest.goals, met, strict=True):
                lines.append(f"{describe_goal(ctx.world, goal)}: {'done' if ok else 'not yet'}.")
            lines.append(f"Reward: {describe_reward(ctx.world, quest)}.")
    if finished:
        titles = ", ".join(q.title for q in finished)
        lines.append(f"Finished ({len(finished)}): {titles}.")
    elif args.strip().lower() == "done":
        lines.append("You have not finished any quests yet.")
    return Reply.info("\n".join(lines))
