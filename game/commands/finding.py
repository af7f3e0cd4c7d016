"""Finding your way and your standing: exits, and the character sheet."""

from __future__ import annotations

from game.commands.base import Context, Result, command
from game.commands.economy import tokens
from game.core.reply import Kind, Reply
from game.core.text import join_words
from game.world.mapping import text_map


@command("exits", category="info")
def exits(ctx: Context, args: str) -> Result:
    """List the ways out of this room, one per line, with where each leads.

    Usage:
      exits
    """
    world, player = ctx.world, ctx.player
    room = world.room(player.room)
    if not room.exits:
        return Reply.info("There is no way out of here.")
    lines = [f"Ways out of {room.title}:"]
    for ex in room.exits:
        there = world.content.rooms.get(ex.to)
        name = there.title if there is not None else "somewhere"
        door = ""
        if ex.door is not None:
            door = " (a closed door)" if not world.is_open(player.room, ex) else " (an open door)"
        lines.append(f"{ex.direction.capitalize()}: {name}{door}")
    return Reply.info("\n".join(lines))


@command("score", "sheet", category="info")
def score(ctx: Context, args: str) -> Result:
    """Your character sheet: tokens, tier, skills, quests and unlocks on one page.

    Usage:
      score
    """
    name = ctx.player.name
    left = ctx.wallet.quota_left(name)
    tier = "premium" if left is None else f"free, {left} priced actions left today"
    lines = [f"{name}", f"Tokens: {tokens(ctx.wallet.balance(name))}. Tier: {tier}."]
    rules = ctx.world.content.economy
    skills = [
        f"{rules.skills[sid].label} {level}"
        for sid, (_, level) in ctx.skills.all(name).items()
        if sid in rules.skills
    ]
    lines.append(f"Skills: {join_words(skills)}." if skills else "Skills: none yet.")
    done = [q.title for q in ctx.quests.finished(name)]
    active = [q.title for q, _ in ctx.quests.active(name)]
    lines.append(f"Quests done: {join_words(done)}." if done else "Quests done: none yet.")
    if active:
        lines.append(f"Quests under way: {join_words(active)}.")
    unlocks = ctx.unlocks.all(name)
    lines.append(f"Unlocked: {join_words(unlocks)}." if unlocks else "Unlocked: nothing yet.")
    return Reply(Kind.INFO, "\n".join(lines))


@command("map", category="info")
def map_(ctx: Context, args: str) -> Result:
    """What you have explored of this area: the ways out of here, and where you have been.
    The full-screen view adds a small map of the rooms you have seen.

    Usage:
      map
    """
    world, player = ctx.world, ctx.player
    room = world.room(player.room)
    seen = ctx.explored.rooms(player.name) | {room.id}
    area = world.content.areas.get(room.area)
    in_area = [r for r in world.content.rooms.values() if r.area == room.area]
    known = [r.title for r in in_area if r.id in seen]
    title = area.title if area is not None else room.area
    lines = [
        f"You are in {room.title}, in {title}. You have explored {len(known)} of"
        f" {len(in_area)} rooms here."
    ]
    for ex in room.exits:
        there = world.content.rooms.get(ex.to)
        name = there.title if there is not None else "somewhere"
        lines.append(
            f"{ex.direction.capitalize()}: {name} ({'visited' if ex.to in seen else 'not yet'})"
        )
    lines.append(f"Explored here: {join_words(known)}.")
    replies = [Reply.info("\n".join(lines))]
    if ctx.session.kind == "tui" and area is not None:
        replies.append(Reply.info(text_map(world.content, room.area, seen).rstrip("\n")))
    return replies
