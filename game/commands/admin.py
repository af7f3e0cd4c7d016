"""Admin commands for players and tokens: who, kick, mute, ban, grant, revoke.

Each is a plain line-mode command, so a screen-reader admin can do everything the admin
screen does (the screen itself runs these same commands). The engine checks the role before
any of them runs; each writes one audit row in the same transaction as its change.
"""

from __future__ import annotations

import re

from economy import InsufficientFunds, Reason
from economy.clock import DAY_MS
from game.commands.base import Context, Result, command
from game.core.numbers import BadNumber, numeric, whole_number
from game.core.reply import Reply
from game.services.moderation import BAN_KINDS

_UNITS = {"s": 1000, "m": 60_000, "h": 3_600_000, "d": DAY_MS, "w": 7 * DAY_MS}
_DURATION = re.compile(r"^([0-9]{1,6})([smhdw])$")  # \d would match every Unicode digit


def parse_duration(word: str) -> int | None:
    """``30m``, ``2h``, ``7d`` -> milliseconds; a word that is no duration -> None (it
    starts the reason). A duration in other digits (``٣h``) raises :class:`BadNumber`
    rather than quietly becoming a mute or ban without end."""
    match = _DURATION.match(word.lower())
    if match:
        return int(match.group(1)) * _UNITS[match.group(2)]
    if len(word) > 1 and word[-1].lower() in _UNITS and numeric(word[:-1]):
        raise BadNumber(f"{word!r} is not a duration here: type it with the digits 0-9, like 30m.")
    return None


def until_and_reason(ctx: Context, words: list[str], usage: str) -> tuple[int | None, str] | Reply:
    """``[duration] <reason>`` from ``words`` (what follows the command's own arguments):
    when it ends (clock ms; None for no end) and the reason, or the error to reply."""
    try:
        span = parse_duration(words[0]) if words else None
    except BadNumber as exc:
        return Reply.error(f"{exc} Nothing was done.")
    reason = " ".join(words[1:] if span is not None else words)
    if not reason:
        return Reply.error(f"A reason is required. Usage: {usage}")
    return (ctx.clock() + span if span is not None else None), reason


def account_name(ctx: Context, name: str) -> str | None:
    """The account's stored spelling, or None when there is no such account."""
    account = ctx.store.account(name)
    return account.name if account is not None else None


def idle_text(ms: int) -> str:
    seconds = max(0, ms // 1000)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


@command("@who", role="admin", category="admin")
def at_who(ctx: Context, args: str) -> Result:
    """List every session (an open full-screen or line connection; one-shot exec commands
    are not sessions) with room, tier, balance, idle time, address and front end.

    Usage:
      @who
    """
    now = ctx.clock()
    sessions = sorted(ctx.online, key=lambda s: s.player.name.lower())
    # A session is one open interactive connection (full-screen or line); a one-shot exec
    # command never is. The count is the number of rows below, by construction.
    n = len(sessions)
    lines = [f"{n} session{'s' if n != 1 else ''}:"]
    for s in sessions:
        name = s.player.name
        lines.append(
            f"{name}: {ctx.world.room(s.player.room).title}, {ctx.wallet.tier(name)}, "
            f"{ctx.wallet.balance(name)} tokens, idle {idle_text(now - s.last_input_ms)}, "
            f"from {s.address or 'unknown'}, {s.kind}, {s.player.role}"
            + (", muted" if ctx.moderation.muted(name) else "")
        )
    return Reply.info("\n".join(lines))


@command("@kick", role="admin", category="admin")
def at_kick(ctx: Context, args: str) -> Result:
    """Disconnect a player now. They may log in again (use @ban to stop that).

    Usage:
      @kick <name> [reason]
    """
    name, _, reason = args.partition(" ")
    if not name:
        return Reply.error("Kick whom? Usage: @kick <name> [reason]")
    session = ctx.online.get(name)
    if session is None:
        return Reply.error(f"{name!r} is not online. Nothing was done.")
    target = session.player.name
    reason = reason.strip()
    ctx.audit.record(ctx.player.name, "kick", target, reason)
    why = f" Reason: {reason}" if reason else ""
    session.close(f"You have been disconnected by an admin.{why}")
    return Reply.info(f"Kicked {target}.")


@command("@mute", role="admin", category="admin")
def at_mute(ctx: Context, args: str) -> Result:
    """Stop a player's say, emote and tell, for a while or until @unmute.

    Usage:
      @mute <name> [duration] <reason>
    Durations: 30m, 2h, 7d, 1w. Without one the mute lasts until @unmute.
    """
    words = args.split()
    if len(words) < 2:
        return Reply.error("Usage: @mute <name> [duration] <reason>. A reason is required.")
    target = account_name(ctx, words[0])
    if target is None:
        return Reply.error(f"There is no account named {words[0]!r}. Nothing was done.")
    parsed = until_and_reason(ctx, words[1:], "@mute <name> [duration] <reason>")
    if isinstance(parsed, Reply):
        return parsed
    until, reason = parsed
    with ctx.ledger.atomic():
        ctx.moderation.mute(target, reason, ctx.player.name, until)
        ctx.audit.record(
            ctx.player.name, "mute", target, reason, words[1] if until is not None else ""
        )
    ctx.to_player(target, Reply.error(f"An admin has muted you. Reason: {reason}"))
    return Reply.info(
        f"Muted {target}" + (f" for {words[1]}." if until is not None else " until @unmute.")
    )


@command("@unmute", role="admin", category="admin")
def at_unmute(ctx: Context, args: str) -> Result:
    """Let a muted player speak again.

    Usage:
      @unmute <name>
    """
    target = account_name(ctx, args.strip()) if args.strip() else None
    if target is None or not ctx.moderation.muted(target):
        return Reply.error(f"{args.strip()!r} is not muted. Nothing was done.")
    with ctx.ledger.atomic():
        ctx.moderation.unmute(target)
        ctx.audit.record(ctx.player.name, "unmute", target)
    ctx.to_player(target, Reply.info("An admin has unmuted you."))
    return Reply.info(f"Unmuted {target}.")


@command("@ban", role="admin", category="admin")
def at_ban(ctx: Context, args: str) -> Result:
    """Refuse logins by account, SSH key fingerprint or address; online matches are kicked.

    Usage:
      @ban account <name> [duration] <reason>
      @ban key <fingerprint> [duration] <reason>
      @ban address <ip> [duration] <reason>
      @ban
    Durations: 30m, 2h, 7d, 1w; without one the ban lasts until @unban. @ban alone lists
    the bans in force.
    """
    words = args.split()
    if not words:
        bans = ctx.moderation.bans()
        if not bans:
            return Reply.info("No bans in force.")
        return Reply.info("\n".join(f"{b.kind} {b.value}: {b.reason} (by {b.by})" for b in bans))
    if words[0].lower() not in BAN_KINDS or len(words) < 3:
        return Reply.error(
            "Usage: @ban account|key|address <value> [duration] <reason>. A reason is required."
        )
    kind, value = words[0].lower(), words[1]
    if kind == "account":
        found = account_name(ctx, value)
        if found is None:
            return Reply.error(f"There is no account named {value!r}. Nothing was done.")
        value = found
        if value.lower() == ctx.player.key:
            return Reply.error("You cannot ban yourself. Nothing was done.")
    parsed = until_and_reason(ctx, words[2:], "@ban <kind> <value> [duration] <reason>")
    if isinstance(parsed, Reply):
        return parsed
    until, reason = parsed
    with ctx.ledger.atomic():
        ctx.moderation.ban(kind, value, reason, ctx.player.name, until)
        ctx.audit.record(
            ctx.player.name, f"ban-{kind}", value, reason, words[2] if until is not None else ""
        )
    kicked = []
    for session in ctx.online:
        hit = (
            (kind == "account" and session.player.key == value.lower())
            or (kind == "address" and session.address == value)
            or (kind == "key" and value in ctx.store.keys(session.player.name))
        )
        if hit and session is not ctx.session:
            kicked.append(session.player.name)
            session.close(f"You have been banned by an admin. Reason: {reason}")
    extra = f" Disconnected: {', '.join(kicked)}." if kicked else ""
    return Reply.info(f"Banned {kind} {value}.{extra}")


@command("@unban", role="admin", category="admin")
def at_unban(ctx: Context, args: str) -> Result:
    """Lift a ban.

    Usage:
      @unban account|key|address <value>
    """
    words = args.split()
    if len(words) != 2 or words[0].lower() not in BAN_KINDS:
        return Reply.error("Usage: @unban account|key|address <value>")
    kind, value = words[0].lower(), words[1]
    with ctx.ledger.atomic():
        if not ctx.moderation.unban(kind, value):
            return Reply.error(f"No ban on {kind} {value}. Nothing was done.")
        ctx.audit.record(ctx.player.name, f"unban-{kind}", value)
    return Reply.info(f"Unbanned {kind} {value}.")


def _tokens(ctx: Context, args: str, verb: str) -> tuple[str, int, str] | Reply:
    words = args.split()
    usage = f"Usage: {verb} <name> <amount> <reason>. A reason is required."
    if len(words) < 3:
        return Reply.error(usage)
    target = account_name(ctx, words[0])
    if target is None:
        return Reply.error(f"There is no account named {words[0]!r}. Nothing was done.")
    try:
        amount = whole_number(words[1], what="amount")
    except BadNumber as exc:
        return Reply.error(f"{exc} {usage}")
    return target, amount, " ".join(words[2:])


@command("@grant", role="admin", category="admin")
def at_grant(ctx: Context, args: str) -> Result:
    """Give tokens to a player: a ledger transfer from the mint with the admin-grant reason.

    Usage:
      @grant <name> <amount> <reason>
    """
    parsed = _tokens(ctx, args, "@grant")
    if isinstance(parsed, Reply):
        return parsed
    target, amount, reason = parsed
    with ctx.ledger.atomic():
        done = ctx.wallet.credit(
            target, amount, Reason.ADMIN_GRANT, ctx.wallet.new_key("ag"), reason
        )
        ctx.audit.record(ctx.player.name, "grant", target, reason, f"{amount} tokens #{done.id}")
    ctx.to_player(target, Reply.info(f"An admin granted you {amount} tokens: {reason}"))
    return Reply.info(f"Granted {amount} tokens to {target} (transfer {done.id}).")


@command("@revoke", role="admin", category="admin")
def at_revoke(ctx: Context, args: str) -> Result:
    """Take tokens from a player: a ledger transfer to the sink with the admin-revoke reason.

    Usage:
      @revoke <name> <amount> <reason>
    """
    parsed = _tokens(ctx, args, "@revoke")
    if isinstance(parsed, Reply):
        return parsed
    target, amount, reason = parsed
    try:
        with ctx.ledger.atomic():
            done = ctx.wallet.charge(
                target, amount, Reason.ADMIN_REVOKE, ctx.wallet.new_key("ar"), reason
            )
            ctx.audit.record(
                ctx.player.name, "revoke", target, reason, f"{amount} tokens #{done.id}"
            )
    except InsufficientFunds:
        have = ctx.wallet.balance(target)
        return Reply.error(f"{target} has only {have} tokens. Nothing was taken.")
    ctx.to_player(target, Reply.info(f"An admin removed {amount} of your tokens: {reason}"))
    return Reply.info(f"Revoked {amount} tokens from {target} (transfer {done.id}).")
