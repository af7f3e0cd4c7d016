"""Talking: say, emote, tell. What a player types here reaches other screens, so it has
already been cleaned of control characters by the engine and is never parsed as markup."""

from __future__ import annotations

from bridge.events import PlayerEmoted, PlayerSaid, PlayerTold
from game.commands.base import Context, Result, command
from game.core.reply import Kind, Reply, Spoken


@command("say", category="speech")
def say(ctx: Context, args: str) -> Result:
    """Say something to everyone in the room.

    Usage:
      say <message>
      '<message>
    """
    if not args:
        return Reply.error("Say what?")
    player = ctx.player
    said = Spoken(player.name)
    ctx.to_room(
        player.room, Reply(Kind.SAY, f'{player.name} says, "{args}"', said), exclude=[player]
    )
    ctx.publish(PlayerSaid(ts=ctx.now(), player=player.name, room=player.room, text=args))
    return Reply(Kind.SAY, f'You say, "{args}"', said)


@command("emote", "me", "pose", category="speech")
def emote(ctx: Context, args: str) -> Result:
    """Act something out for everyone in the room to see.

    Usage:
      emote <action>
      :<action>

    Example: :waves cheerfully   shows   Ana waves cheerfully.
    """
    if not args:
        return Reply.error("Emote what? Try: emote waves")
    player = ctx.player
    text = f"{player.name} {args}"
    if text[-1] not in ".!?":
        text += "."
    ctx.to_room(player.room, Reply(Kind.EMOTE, text, Spoken(player.name)), exclude=[player])
    ctx.publish(PlayerEmoted(ts=ctx.now(), player=player.name, room=player.room, text=args))
    return Reply(Kind.EMOTE, text, Spoken(player.name))


@command("tell", "whisper", "page", category="speech")
def tell(ctx: Context, args: str) -> Result:
    """Send a private message to a player anywhere in the realm.

    Usage:
      tell <name> <message>
    """
    name, _, message = args.partition(" ")
    message = message.strip()
    if not name or not message:
        return Reply.error("Usage: tell <name> <message>")
    target = ctx.online.get(name)
    if target is None:
        return Reply.error(f"{name} is not online.")
    if target.player is ctx.player:
        return Reply.error("You mutter to yourself.")
    if ctx.people.ignores(target.player.name, ctx.player.name):
        return Reply.error(f"{target.player.name} is not listening to you.")
    told = Spoken(ctx.player.name)
    ctx.to_player(
        target.player.name, Reply(Kind.TELL, f'{ctx.player.name} tells you, "{message}"', told)
    )
    ctx.publish(
        PlayerTold(ts=ctx.now(), player=ctx.player.name, target=target.player.name, text=message)
    )
    sent = Reply(Kind.TELL, f'You tell {target.player.name}, "{message}"', told)
    away = ctx.people.away(target.player.name)
    if away is not None:
        return [sent, Reply.info(f"{target.player.name} is away: {away}")]
    return sent
