"""Mail: letters to any account, read when its owner comes back, with tokens attached.

The text is the player's own, already cleaned of control characters by the engine and
never parsed as markup; game/services/mail.py keeps the mailboxes and the held tokens.
"""

from __future__ import annotations

from game.commands.base import Context, Result, command
from game.core.numbers import BadNumber, whole_number
from game.core.reply import Kind, Reply
from game.core.text import plural, utc
from game.services.mail import EXPIRE_DAYS, Letter

MAX_ATTACHED = 1_000_000
USAGE = (
    "Usage: mail | mail read <number> | mail send <name> [<n> tokens] <subject> = <text> | "
    "mail take <number> | mail return <number> | mail delete <number>"
)


@command("mail", "post", category="mail")
def mail(ctx: Context, args: str) -> Result:
    """Send letters to any player, online or not, and read yours. A letter can carry
    tokens: they leave your wallet at once and wait until the recipient takes them; if they
    send the letter back, delete it, or leave the tokens for 30 days, the tokens come back
    to you.

    Usage:
      mail                                   list your mailbox
      mail read <number>                     read a letter (also: mail <number>)
      mail send <name> <subject> = <text>    send a letter
      mail send <name> <n> tokens <subject> = <text>
      mail take <number>                     take the tokens a letter carries
      mail return <number>                   send a letter's tokens back
      mail delete <number>                   delete a letter (its tokens go back)

    Example: mail send ana 20 tokens Rent = For the boat, thanks!
    A subject is at most 60 characters, the text at most 800; a mailbox holds 50 letters.
    """
    word, _, rest = args.strip().partition(" ")
    word = word.lower()
    rest = rest.strip()
    if word in ("", "list"):
        return listing(ctx)
    if word == "send":
        return send(ctx, rest)
    if word.isdigit():
        word, rest = "read", word
    if word not in ("read", "take", "return", "delete"):
        return Reply.error(USAGE)
    try:
        number = whole_number(rest.lstrip("#"), what="mail number")
    except BadNumber as exc:
        return Reply.error(f"{exc} {USAGE}")
    letter = ctx.mail.letter(ctx.player.name, number)
    if letter is None:
        return Reply.error(f"You have no mail #{number}. Type mail to list yours.")
    if word == "read":
        return read(ctx, letter)
    if word == "take":
        return take(ctx, letter)
    if word == "return":
        return give_back(ctx, letter)
    returned = ctx.mail.delete(letter)
    back = (
        f" Its {plural(letter.tokens, 'token')} went back to {letter.sender}." if returned else ""
    )
    return Reply.info(f"Mail #{letter.id} deleted.{back}")


def listing(ctx: Context) -> Reply:
    letters = ctx.mail.inbox(ctx.player.name)
    if not letters:
        return Reply.info(
            "Your mailbox is empty. Send a letter with: mail send <name> <subject> = <text>"
        )
    lines = [f"Your mailbox ({plural(len(letters), 'letter')}):"]
    lines += [letter.line() for letter in letters]
    lines.append("Type mail read <number> to read one.")
    return Reply.info("\n".join(lines))


def read(ctx: Context, letter: Letter) -> Reply:
    ctx.mail.mark_read(letter)
    lines = [
        f"Mail #{letter.id} from {letter.sender}, sent {utc(letter.sent_ms)}",
        f"Subject: {letter.subject}",
        letter.body,
    ]
    tokens = plural(letter.tokens, "token")
    if letter.held:
        lines.append(
            f"{tokens} attached: type mail take {letter.id} to take them, or mail return "
            f"{letter.id} to send them back (they go back by themselves after {EXPIRE_DAYS} days)."
        )
    elif letter.tokens_state == "taken":
        lines.append(f"{tokens} attached: you took them.")
    elif letter.tokens_state == "returned":
        lines.append(f"{tokens} attached: they went back to {letter.sender}.")
    return Reply(Kind.TELL, "\n".join(lines))


def take(ctx: Context, letter: Letter) -> Reply:
    if not ctx.mail.take(letter):
        return Reply.error(f"Mail #{letter.id} has no tokens waiting for you.")
    have = ctx.wallet.balance(ctx.player.name)
    return Reply(
        Kind.ECONOMY,
        f"You took {plural(letter.tokens, 'token')} from mail #{letter.id}. You have {have}.",
    )


def give_back(ctx: Context, letter: Letter) -> Reply:
    if not ctx.mail.give_back(letter, "returned"):
        return Reply.error(f"Mail #{letter.id} has no tokens waiting for you to return.")
    return Reply(
        Kind.ECONOMY,
        f"The {plural(letter.tokens, 'token')} of mail #{letter.id} went back to {letter.sender}.",
    )


def send(ctx: Context, args: str) -> Reply:
    """Sending is speech: a muted player may still read, take and return, but not send."""
    if ctx.moderation.muted(ctx.player.name):
        return Reply.error("You are muted by an admin; nobody hears you. Nothing was sent.")
    name, _, rest = args.partition(" ")
    rest = rest.strip()
    if not name or not rest:
        return Reply.error(USAGE)
    tokens = 0
    first, _, after = rest.partition(" ")
    count_word, _, after_count = after.strip().partition(" ")
    if count_word.lower() in ("token", "tokens") and first[:1].isnumeric():
        try:
            tokens = whole_number(first, high=MAX_ATTACHED, what="number of tokens")
        except BadNumber as exc:
            return Reply.error(f"{exc} Nothing was sent.")
        rest = after_count.strip()
    subject, sep, body = rest.partition("=")
    if not sep:
        subject, body = "(no subject)", rest
    subject = subject.strip() or "(no subject)"
    return ctx.mail.send(ctx.player.name, name, subject, body.strip(), tokens)
