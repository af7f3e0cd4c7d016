"""Chat channels: talk to everyone listening, wherever they are, behind a stable prefix.

Every channel line reads ``[name] speaker: text`` so clients and screen readers can filter
on the prefix. Channels come from content (``community.yaml``); who may read and write is
the channel's role, checked here for every line.
"""

from __future__ import annotations

from bridge.events import ChannelSaid, ChannelSaidRestricted
from game.commands.admin import account_name, until_and_reason
from game.commands.base import Context, Result, command, may_use
from game.core.reply import Kind, Reply, Spoken
from game.world.community import ChannelDef

STATE_WORDS = {"joined": "listening", "muted": "muted", "left": "not joined"}


def _find(ctx: Context, name: str) -> ChannelDef | Reply:
    """The channel called ``name`` that this player may read, or an error saying why not."""
    channel = ctx.channels.get(name) if name else None
    if channel is None or not may_use(ctx.player.role, channel.read):
        known = ", ".join(c.id for c in _readable(ctx))
        return Reply.error(f"There is no channel {name!r}. Channels: {known}.")
    return channel


def _readable(ctx: Context) -> list[ChannelDef]:
    return [c for c in ctx.channels.all() if may_use(ctx.player.role, c.read)]


@command("channels", category="speech")
def channels(ctx: Context, args: str) -> Result:
    """List the chat channels, what each is for, and whether you are listening.

    Usage:
      channels
    """
    lines = ["Channels (talk on one by typing its name and your message, e.g. chat hello):"]
    for channel in _readable(ctx):
        state = STATE_WORDS[ctx.channels.state(ctx.player.name, channel)]
        about = f": {channel.about}" if channel.about else ""
        lines.append(f"{channel.id} ({channel.title}), {state}{about}")
    return Reply.info("\n".join(lines))


@command("channel", "ch", category="speech")
def channel(ctx: Context, args: str) -> Result:
    """Say something on a chat channel everyone listening hears, wherever they are.

    Usage:
      channel <name> <message>
      <name> <message>          (chat hello, newbie how do I fish?)
      <name>                    (the channel's last lines)
    """
    name, _, message = args.partition(" ")
    found = _find(ctx, name.lower())
    if isinstance(found, Reply):
        return found
    message = message.strip()
    if not message:
        return recent(ctx, found)
    player = ctx.player
    if not may_use(player.role, found.write):
        return Reply.error(f"Only {found.write}s may write on {found.id}.")
    silence = ctx.channels.silenced(found, player.name)
    if silence is not None:
        return Reply.error(f"You are silenced on {found.id} by an admin. Nothing was said.")
    if ctx.channels.state(player.name, found) != "joined":
        return Reply.error(f"You are not listening to {found.id}. Type: join {found.id}")
    line = f"[{found.id}] {player.name}: {message}"
    heard = Reply(Kind.CHANNEL, line, Spoken(player.name, found.id))
    for seat in ctx.online:
        other = seat.player
        if (
            other is not player
            and may_use(other.role, found.read)
            and ctx.channels.hears(other.name, found)
        ):
            ctx.to_player(other.name, heard)
    ctx.channels.remember(found, line)
    event = ChannelSaid if found.public else ChannelSaidRestricted
    ctx.publish(event(ts=ctx.now(), player=player.name, channel=found.id, text=message))
    return heard


def recent(ctx: Context, found: ChannelDef) -> Reply:
    lines = ctx.channels.recent(found)
    if not lines:
        return Reply.info(f"Nothing has been said on {found.id} lately.")
    return Reply(Kind.CHANNEL, "\n".join([f"Lately on {found.id}:", *lines]))


@command("join", category="speech")
def join(ctx: Context, args: str) -> Result:
    """Start listening to a chat channel; you see its last lines.

    Usage:
      join <channel>
    """
    found = _find(ctx, args.strip().lower())
    if isinstance(found, Reply):
        return found
    ctx.channels.set_state(ctx.player.name, found, "joined")
    return [
        Reply.info(f"You are listening to {found.id}. Talk with: {found.id} <message>"),
        recent(ctx, found),
    ]


@command("leave", category="speech")
def leave(ctx: Context, args: str) -> Result:
    """Stop listening to a chat channel (join it again any time).

    Usage:
      leave <channel>
    """
    found = _find(ctx, args.strip().lower())
    if isinstance(found, Reply):
        return found
    ctx.channels.set_state(ctx.player.name, found, "left")
    return Reply.info(f"You left {found.id}.")


@command("mute", category="speech")
def mute(ctx: Context, args: str) -> Result:
    """Stay on a chat channel but hear nothing from it until you unmute it.

    Usage:
      mute <channel>
    """
    found = _find(ctx, args.strip().lower())
    if isinstance(found, Reply):
        return found
    if ctx.channels.state(ctx.player.name, found) == "left":
        return Reply.error(f"You are not on {found.id}; nothing to mute.")
    ctx.channels.set_state(ctx.player.name, found, "muted")
    return Reply.info(f"{found.id} is muted. Type unmute {found.id} to hear it again.")


@command("unmute", category="speech")
def unmute(ctx: Context, args: str) -> Result:
    """Hear a channel you muted again.

    Usage:
      unmute <channel>
    """
    found = _find(ctx, args.strip().lower())
    if isinstance(found, Reply):
        return found
    if ctx.channels.state(ctx.player.name, found) != "muted":
        return Reply.error(f"{found.id} is not muted.")
    ctx.channels.set_state(ctx.player.name, found, "joined")
    return Reply.info(f"You hear {found.id} again.")


@command("@silence", role="admin", category="admin")
def silence(ctx: Context, args: str) -> Result:
    """Stop a player writing on one channel, for a while or until @unsilence.

    Usage:
      @silence <name> <channel> [duration] <reason>
    Durations: 30m, 2h, 7d, 1w. Without one the silence lasts until @unsilence.
    """
    words = args.split()
    if len(words) < 3:
        return Reply.error("Usage: @silence <name> <channel> [duration] <reason>")
    target = account_name(ctx, words[0])
    if target is None:
        return Reply.error(f"There is no account named {words[0]!r}. Nothing was done.")
    found = _find(ctx, words[1].lower())
    if isinstance(found, Reply):
        return found
    parsed = until_and_reason(ctx, words[2:], "@silence <name> <channel> [duration] <reason>")
    if isinstance(parsed, Reply):
        return parsed
    until, reason = parsed
    ctx.channels.silence(found, target, ctx.player.name, reason, until)
    ctx.audit.record(ctx.player.name, "silence", target, reason, found.id)
    ctx.to_player(target, Reply.error(f"An admin silenced you on {found.id}. Reason: {reason}"))
    how_long = f"for {words[2]}" if until is not None else "until @unsilence"
    return Reply.info(f"Silenced {target} on {found.id} {how_long}.")


@command("@unsilence", role="admin", category="admin")
def unsilence(ctx: Context, args: str) -> Result:
    """Let a silenced player write on a channel again.

    Usage:
      @unsilence <player> <channel>
    """
    words = args.split()
    if len(words) != 2:
        return Reply.error("Usage: @unsilence <player> <channel>")
    found = _find(ctx, words[1].lower())
    if isinstance(found, Reply):
        return found
    if not ctx.channels.unsilence(found, words[0]):
        return Reply.error(f"{words[0]} is not silenced on {found.id}. Nothing was done.")
    ctx.audit.record(ctx.player.name, "unsilence", words[0], "", found.id)
    return Reply.info(f"{words[0]} may write on {found.id} again.")
