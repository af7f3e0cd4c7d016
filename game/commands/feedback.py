"""Feedback: players tell the builders about bugs, ideas and typos, from where they stand.

Each report is stored with the player, the room and the time in the feedback queue that
admins list, answer and close with ``@feedback`` (below; the admin console's Feedback tab
runs the same command). An answer reaches the player as a line when they are online and
as mail when they are not, so it is never lost.
"""

from __future__ import annotations

from game.commands.base import Context, Result, command
from game.core.numbers import BadNumber, whole_number
from game.core.reply import Kind, Reply
from game.core.text import utc
from game.services.feedback import ANSWER_MAX, Item

THANKS = {
    "bug": "Thank you: bug report #{id} is filed with where you are. An admin will look at it.",
    "idea": "Thank you: idea #{id} is filed. Admins read every one.",
    "typo": "Thank you: typo #{id} is filed with where you are.",
}


def file(ctx: Context, kind: str, text: str) -> Reply:
    """File ``text`` as ``kind``; with no text, the usage and the player's own last few."""
    player = ctx.player
    if not text.strip():
        lines = [f"Usage: {kind} <what you want to tell us>"]
        mine = ctx.feedback.by_player(player.name)
        if mine:
            lines.append("Your latest reports:")
        for item in mine:
            answer = f" Answer from {item.answered_by}: {item.answer}" if item.answer else ""
            lines.append(f"#{item.id} {item.kind}, {item.status}: {item.text}{answer}")
        return Reply.error("\n".join(lines))
    refusal = ctx.feedback.refusal(player.name, text)
    if refusal:
        return Reply.error(refusal)
    item_id = ctx.feedback.file(player.name, kind, player.room, text.strip())
    return Reply.info(THANKS[kind].format(id=item_id))


@command("bug", category="feedback")
def bug(ctx: Context, args: str) -> Result:
    """Report something that went wrong. The room you are in and the time are stored with
    it; an admin may answer you (by a line if you are online, by mail if not).

    Usage:
      bug <what happened>
      bug              (your latest reports and their answers)

    Example: bug the ferry took my tokens but I stayed on the dock
    """
    return file(ctx, "bug", args)


@command("idea", category="feedback")
def idea(ctx: Context, args: str) -> Result:
    """Suggest something for the game: a feature, a place, a change. The builders read every
    idea, and Cal's report counts what players ask for most.

    Usage:
      idea <your idea>
      idea             (your latest reports and their answers)
    """
    return file(ctx, "idea", args)


@command("typo", category="feedback")
def typo(ctx: Context, args: str) -> Result:
    """Report a spelling or wording mistake in the room you are in (or say where it is).

    Usage:
      typo <the mistake and the fix>
      typo             (your latest reports and their answers)

    Example: typo the sign says "welcom" instead of "welcome"
    """
    return file(ctx, "typo", args)


ADMIN_USAGE = (
    "Usage: @feedback [all] | @feedback show <number> | @feedback answer <number> <text> | "
    "@feedback close <number> [note]"
)


@command("@feedback", role="admin", category="admin")
def at_feedback(ctx: Context, args: str) -> Result:
    """The players' feedback queue (bug, idea, typo): list it, answer a report, close it.
    An answer reaches the player as a line if they are online, else as mail from you.

    Usage:
      @feedback                         open reports, newest first
      @feedback all                     the latest reports, closed ones too
      @feedback show <number>
      @feedback answer <number> <text>
      @feedback close <number> [note]
    """
    word, _, rest = args.strip().partition(" ")
    word = word.lower()
    if word in ("", "all"):
        return queue(ctx, everything=word == "all")
    if word not in ("show", "answer", "close"):
        return Reply.error(ADMIN_USAGE)
    number, _, text = rest.strip().partition(" ")
    try:
        item_id = whole_number(number.lstrip("#"), what="report number")
    except BadNumber as exc:
        return Reply.error(f"{exc} {ADMIN_USAGE}")
    item = ctx.feedback.item(item_id)
    if item is None:
        return Reply.error(f"There is no report #{item_id}. Nothing was done.")
    text = text.strip()
    if word == "show":
        return Reply.info(describe(ctx, item, full=True))
    if word == "answer":
        return answer(ctx, item, text)
    if not ctx.feedback.close(item.id):
        return Reply.error(f"Report #{item.id} is closed already.")
    ctx.audit.record(ctx.player.name, "feedback-close", item.player, text, f"#{item.id}")
    return Reply.info(f"Closed report #{item.id} ({item.kind} from {item.player}).")


def queue(ctx: Context, *, everything: bool) -> Reply:
    items = ctx.feedback.queue(everything=everything)
    if not items:
        return Reply.info("No reports." if everything else "No open reports.")
    head = "Latest reports:" if everything else f"Open reports ({ctx.feedback.open_count()}):"
    lines = [head, *(describe(ctx, item) for item in items)]
    lines.append("Answer with @feedback answer <number> <text>; close with @feedback close.")
    return Reply.info("\n".join(lines))


def where(ctx: Context, room: str) -> str:
    """A room's title, or its id when the content no longer has it."""
    found = ctx.world.content.rooms.get(room)
    return found.title if found is not None else room or "nowhere"


def describe(ctx: Context, item: Item, *, full: bool = False) -> str:
    status = "" if item.status == "open" and not full else f" [{item.status}]"
    line = (
        f"#{item.id} {item.kind}{status} from {item.player} in {where(ctx, item.room)}, "
        f"{utc(item.ts_ms)}: {item.text}"
    )
    if full and item.answer:
        line += f"\nAnswered by {item.answered_by}: {item.answer}"
    return line


def answer(ctx: Context, item: Item, text: str) -> Reply:
    if not text:
        return Reply.error(ADMIN_USAGE)
    if len(text) > ANSWER_MAX:
        return Reply.error(f"The answer is {len(text)} characters; at most {ANSWER_MAX}.")
    admin = ctx.player.name
    ctx.feedback.answer(item.id, admin, text)
    ctx.audit.record(admin, "feedback-answer", item.player, text, f"#{item.id}")
    said = f'{admin} answered your {item.kind} report #{item.id}: "{text}"'
    if ctx.to_player(item.player, Reply(Kind.TELL, said)):
        how = "told them now (they are online)"
    else:
        subject = f"Re: your {item.kind} report #{item.id}"
        ctx.mail.notify(admin, item.player, subject, f"{text} (You wrote: {item.text})")
        how = "sent it as mail (they are offline)"
    return Reply.info(f"Answered report #{item.id} from {item.player}: {how}.")
