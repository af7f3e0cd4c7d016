"""Mail between accounts, with tokens that wait in the ledger's escrow.

A mail goes to any account, online or not. Tokens attached to it leave the sender at once
(``MAIL_HOLD``: sender -> ``system:escrow``) and are then resolved exactly once: the
recipient takes them (``MAIL_TAKEN``: escrow -> recipient) or they go back to the sender
(``MAIL_RETURNED``: escrow -> sender) when the recipient returns or deletes the mail, or
when nobody took them within :data:`EXPIRE_DAYS` days. The mail row's ``tokens_state``
changes from ``held`` by a guarded UPDATE in the same transaction as the transfer, so a
token is never in two places and never paid out twice.

Expired holds are swept when any player logs in (:meth:`Mailroom.expire`, called by the
game's login path), so no timer is needed and tests move the clock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from bridge.events import MailReturned, MailSent, MailTokensTaken
from economy import Reason
from economy.clock import DAY_MS
from game.core.outbox import Outbox
from game.core.reply import Kind, Reply
from game.core.text import plural, utc
from game.services.limits import Buckets
from game.services.wallet import Wallet
from game.world.store import Store

SUBJECT_MAX = 60
BODY_MAX = 800
"""Below the engine's line limit (1000), so the command line still fits its words."""
MAILBOX_MAX = 50
"""Mails a player may keep; a full mailbox refuses new mail from players (not notices)."""
SEND_BURST = 5
SEND_PER_S = 1 / 60
"""Each account may send bursts of 5 mails, then one a minute."""
EXPIRE_DAYS = 30
"""Tokens nobody took within this many days go back to the sender."""
POST_OFFICE = "The post office"
"""Sender of the game's own notices: not a valid player name, so nobody can pose as it."""

_COLUMNS = "id, sender, recipient, subject, body, tokens, tokens_state, sent_ms, read_ms"


@dataclass(frozen=True, slots=True)
class Letter:
    id: int
    sender: str
    recipient: str
    subject: str
    body: str
    tokens: int
    tokens_state: str  # none, held, taken, returned
    sent_ms: int
    read_ms: int | None

    @property
    def held(self) -> bool:
        return self.tokens_state == "held"

    def line(self) -> str:
        """One line of the mailbox listing."""
        new = " new" if self.read_ms is None else ""
        waiting = f" ({plural(self.tokens, 'token')} to take)" if self.held else ""
        return f"#{self.id}{new} from {self.sender}, {utc(self.sent_ms)}: {self.subject}{waiting}"


class Mailroom:
    """Sends, lists, reads, settles and deletes mail; each change in the caller's step."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        store: Store,
        wallet: Wallet,
        outbox: Outbox,
        clock: Callable[[], int],
        *,
        ignores: Callable[[str, str], bool] = lambda player, other: False,
    ) -> None:
        self.conn = conn
        self.store = store
        self.wallet = wallet
        self.outbox = outbox
        self.clock = clock
        self.ignores = ignores  # (recipient, sender): the recipient wants nothing from them
        self.sends = Buckets(SEND_BURST, SEND_PER_S, clock)

    # -- sending ---------------------------------------------------------------------------------
    def send(self, sender: str, to: str, subject: str, body: str, tokens: int = 0) -> Reply:
        """Mail ``to`` from player ``sender``; attached tokens go to escrow at once."""
        account = self.store.account(to)
        if account is None:
            return Reply.error(f"There is no account named {to!r}. Nothing was sent.")
        recipient = account.name
        if recipient.lower() == sender.lower():
            return Reply.error("You cannot mail yourself. Nothing was sent.")
        if self.ignores(recipient, sender):
            return Reply.error(f"{recipient} is not accepting mail from you. Nothing was sent.")
        problem = too_long(subject, body)
        if problem:
            return Reply.error(problem)
        if self.count(recipient) >= MAILBOX_MAX:
            return Reply.error(f"{recipient}'s mailbox is full. Nothing was sent.")
        have = self.wallet.balance(sender)
        if tokens > have:
            return Reply.error(
                f"Not enough tokens: attaching {tokens}, you have {have}. Nothing was sent."
            )
        if not self.sends.allow(sender.lower()):  # last: only a mail that would go counts
            wait = max(1, round(self.sends.wait_s(sender.lower()) + 0.49))
            return Reply.error(
                f"You are sending mail too fast. Try again in {plural(wait, 'second')}. "
                "Nothing was sent."
            )
        with self.wallet.ledger.atomic():
            mail_id = self._insert(sender, recipient, subject, body, tokens)
            if tokens:
                key = f"mail:{mail_id}:hold"
                self.wallet.to_escrow(sender, tokens, Reason.MAIL_HOLD, key, f"mail #{mail_id}")
        event = MailSent(
            ts=float(self.clock()),
            sender=sender,
            recipient=recipient,
            mail_id=mail_id,
            tokens=tokens,
        )
        self.outbox.publish(event)
        attached = f" with {plural(tokens, 'token')} attached" if tokens else ""
        self._announce(recipient, mail_id, f"{sender}{attached}", subject)
        held = (
            f" Attached: {plural(tokens, 'token')}, held until {recipient} takes or returns it."
            if tokens
            else ""
        )
        return Reply.info(f"Mail #{mail_id} sent to {recipient}.{held}")

    def notify(self, sender: str, recipient: str, subject: str, body: str) -> int:
        """A notice from a person or the game (an admin's answer, a returned mail): no rate
        limit, no mailbox limit, no tokens. The recipient hears of it if online."""
        mail_id = self._insert(sender, recipient, subject[:SUBJECT_MAX], body[:BODY_MAX], 0)
        self._announce(recipient, mail_id, sender, subject)
        return mail_id

    def _announce(self, recipient: str, mail_id: int, sender: str, subject: str) -> None:
        """Tell the recipient of a new mail, if they are online when the step commits."""
        self.outbox.tell(
            recipient,
            Reply(
                Kind.TELL,
                f"New mail #{mail_id} from {sender}: {subject}. Type mail read {mail_id}.",
            ),
        )

    def _insert(self, sender: str, recipient: str, subject: str, body: str, tokens: int) -> int:
        row = self.conn.execute(
            "INSERT INTO mail(sender, recipient, subject, body, tokens, tokens_state, sent_ms)"
            " VALUES (?,?,?,?,?,?,?) RETURNING id",
            (sender, recipient, subject, body, tokens, "held" if tokens else "none", self.clock()),
        ).fetchone()
        return int(row[0])

    # -- reading ---------------------------------------------------------------------------------
    def count(self, name: str) -> int:
        row = self.conn.execute(
            "SELECT COUNT(*) FROM mail WHERE recipient = ? AND deleted = 0", (name,)
        ).fetchone()
        return int(row[0])

    def inbox(self, name: str) -> list[Letter]:
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM mail WHERE recipient = ? AND deleted = 0 ORDER BY id", (name,)
        )
        return [Letter(*row) for row in rows]

    def letter(self, name: str, mail_id: int) -> Letter | None:
        """``name``'s mail ``mail_id`` (never someone else's, never a deleted one)."""
        row = self.conn.execute(
            f"SELECT {_COLUMNS} FROM mail WHERE id = ? AND recipient = ? AND deleted = 0",
            (mail_id, name),
        ).fetchone()
        return Letter(*row) if row else None

    def mark_read(self, letter: Letter) -> None:
        if letter.read_ms is None:
            self.conn.execute("UPDATE mail SET read_ms = ? WHERE id = ?", (self.clock(), letter.id))

    def login_notice(self, name: str) -> Reply | None:
        """What a player is told at login: unread mail and tokens waiting, or nothing."""
        unread, waiting = self.conn.execute(
            "SELECT coalesce(SUM(read_ms IS NULL), 0),"
            " coalesce(SUM(CASE WHEN tokens_state = 'held' THEN tokens END), 0)"
            " FROM mail WHERE recipient = ? AND deleted = 0",
            (name,),
        ).fetchone()
        if not unread and not waiting:
            return None
        parts = [plural(int(unread), "new mail")] if unread else []
        if waiting:
            parts.append(f"{plural(int(waiting), 'token')} waiting to be taken")
        return Reply(Kind.TELL, f"You have {' and '.join(parts)}. Type mail to see your mailbox.")

    # -- settling held tokens --------------------------------------------------------------------
    def take(self, letter: Letter) -> bool:
        """Pay a mail's held tokens to its recipient; False when they are not held."""
        if not self._settle(letter, "taken", letter.recipient, Reason.MAIL_TAKEN, "take"):
            return False
        self.outbox.publish(
            MailTokensTaken(
                ts=float(self.clock()),
                sender=letter.sender,
                recipient=letter.recipient,
                mail_id=letter.id,
                tokens=letter.tokens,
            )
        )
        return True

    def give_back(self, letter: Letter, why: str) -> bool:
        """Return a mail's held tokens to its sender (``why``: returned, deleted, expired),
        and leave the sender a notice; False when they are not held."""
        if not self._settle(letter, "returned", letter.sender, Reason.MAIL_RETURNED, "return"):
            return False
        self.outbox.publish(
            MailReturned(
                ts=float(self.clock()),
                sender=letter.sender,
                recipient=letter.recipient,
                mail_id=letter.id,
                tokens=letter.tokens,
                why=why,
            )
        )
        said = {"returned": "sent back", "deleted": "deleted", "expired": "did not take"}[why]
        self.notify(
            POST_OFFICE,
            letter.sender,
            f"Returned: {letter.subject}",
            f"{letter.recipient} {said} your mail #{letter.id} of {utc(letter.sent_ms)}; "
            f"its {plural(letter.tokens, 'token')} are back in your wallet.",
        )
        return True

    def _settle(self, letter: Letter, state: str, to: str, reason: Reason, step: str) -> bool:
        with self.wallet.ledger.atomic():
            done = self.conn.execute(
                "UPDATE mail SET tokens_state = ?, settled_ms = ?"
                " WHERE id = ? AND tokens_state = 'held'",
                (state, self.clock(), letter.id),
            ).rowcount
            if done != 1:
                return False
            self.wallet.from_escrow(
                to, letter.tokens, reason, f"mail:{letter.id}:{step}", f"mail #{letter.id}"
            )
        return True

    def delete(self, letter: Letter) -> bool:
        """Remove a mail from its recipient's box; held tokens go back to the sender first.
        Returns whether tokens went back."""
        returned = letter.held and self.give_back(letter, "deleted")
        self.conn.execute("UPDATE mail SET deleted = 1 WHERE id = ?", (letter.id,))
        return returned

    def expire(self, limit: int = 100) -> int:
        """Return the tokens of mail sent :data:`EXPIRE_DAYS` or more days ago and never
        taken (at most ``limit`` a call); the number returned."""
        cutoff = self.clock() - EXPIRE_DAYS * DAY_MS
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM mail WHERE tokens_state = 'held' AND sent_ms <= ?"
            " ORDER BY sent_ms LIMIT ?",
            (cutoff, limit),
        ).fetchall()
        return sum(self.give_back(Letter(*row), "expired") for row in rows)


def too_long(subject: str, body: str) -> str:
    """Why a mail cannot be sent as written, or ""."""
    if len(subject) > SUBJECT_MAX:
        return f"The subject is {len(subject)} characters; at most {SUBJECT_MAX}. Nothing was sent."
    if len(body) > BODY_MAX:
        return f"The mail is {len(body)} characters; at most {BODY_MAX}. Nothing was sent."
    if not body.strip():
        return "The mail is empty. Nothing was sent."
    return ""
