"""Being with people: socials, ignoring, being away, friends, following and groups."""

from __future__ import annotations

from game.commands.base import Context, Result, command
from game.core.reply import Kind, Reply, Spoken
from game.core.text import join_words
from game.services.groups import MAX_GROUP
from game.services.people import AWAY_MAX
from game.world.community import SocialDef
from game.world.state import Player


@command("socials", category="speech")
def socials(ctx: Context, args: str) -> Result:
    """List the socials: short emotes you can aim at someone (smile, wave ana).

    Usage:
      socials
    """
    found = sorted(ctx.world.content.community.socials.values(), key=lambda s: s.name)
    if not found:
        return Reply.info("This world has no socials.")
    aimed = [s.name for s in found if s.aimed]
    alone = [s.name for s in found if not s.aimed]
    lines = ["Socials (type one, or one and a name: wave ana):"]
    if aimed:
        lines.append(f"Alone or at someone: {join_words(aimed)}.")
    if alone:
        lines.append(f"Alone only: {join_words(alone)}.")
    return Reply.info("\n".join(lines))


@command("social", category="speech")
def social(ctx: Context, args: str) -> Result:
    """Perform a social, alone or aimed at someone in the room.

    Usage:
      social <name> [someone]
      <name> [someone]          (smile, wave ana, bow)
    """
    name, _, target_name = args.partition(" ")
    found = ctx.world.content.community.socials.get(name.lower())
    if found is None:
        return Reply.error(f"There is no social {name!r}. Type socials for the list.")
    player = ctx.player
    spoken = Spoken(player.name)
    target_name = target_name.strip()
    if not target_name:
        ctx.to_room(player.room, _view(found.room, player.name, "", spoken), exclude=[player])
        return _view(found.you, player.name, "", spoken)
    if not found.aimed:
        return Reply.error(f"You cannot {found.name} at someone; just type {found.name}.")
    target = _someone_here(ctx, target_name)
    if target is None:
        return Reply.error(f"There is nobody called {target_name!r} here.")
    if target is player:
        return Reply.error(f"You cannot {found.name} at yourself.")
    _aimed(ctx, found, target.name, spoken)
    return _view(found.you_target, player.name, target.name, spoken)


def _aimed(ctx: Context, found: SocialDef, target: str, spoken: Spoken) -> None:
    player = ctx.player
    seat = ctx.online.get(target)
    ctx.to_player(target, _view(found.target, player.name, target, spoken))
    others = [player] if seat is None else [player, seat.player]
    ctx.to_room(player.room, _view(found.room_target, player.name, target, spoken), exclude=others)


def _view(template: str, actor: str, target: str, spoken: Spoken) -> Reply:
    return Reply(Kind.EMOTE, template.format(actor=actor, target=target), spoken)


def _someone_here(ctx: Context, name: str) -> Player | None:
    seat = ctx.online.get(name)
    if seat is None or seat.player.room != ctx.player.room:
        return None
    return seat.player


@command("ignore", category="people")
def ignore(ctx: Context, args: str) -> Result:
    """Hear nothing from a player: their says, emotes, socials, tells and channel lines.

    Usage:
      ignore              (your list)
      ignore <name>
    """
    name = args.strip()
    player = ctx.player
    if not name:
        names = ctx.people.ignored_by(player.name)
        if not names:
            return Reply.info("You ignore nobody.")
        return Reply.info(f"You ignore {join_words(names)}. Type unignore <name> to hear them.")
    account = ctx.store.account(name)
    if account is None:
        return Reply.error(f"There is no player called {name!r}.")
    if account.name.lower() == player.key:
        return Reply.error("You cannot ignore yourself.")
    if not ctx.people.ignore(player.name, account.name):
        return Reply.error("Your ignore list is full. Unignore someone first.")
    return Reply.info(f"You ignore {account.name}: nothing they say reaches you.")


@command("unignore", category="people")
def unignore(ctx: Context, args: str) -> Result:
    """Hear a player you ignored again.

    Usage:
      unignore <name>
    """
    name = args.strip()
    if not name:
        return Reply.error("Usage: unignore <name>")
    if not ctx.people.unignore(ctx.player.name, name):
        return Reply.error(f"You are not ignoring {name!r}.")
    return Reply.info(f"You hear {name} again.")


@command("afk", "away", category="people")
def afk(ctx: Context, args: str) -> Result:
    """Say you are away from the keyboard; who shows it and tells get it as an answer.
    Any command you type next says you are back.

    Usage:
      afk [message]
    """
    message = args.strip()[:AWAY_MAX] or "away from the keyboard"
    ctx.people.set_away(ctx.player.name, message)
    return Reply.info(f"You are away: {message}. Type anything to come back.")


@command("friends", "friend", category="people")
def friends(ctx: Context, args: str) -> Result:
    """Keep a list of friends; you hear when they come online and leave.

    Usage:
      friends                (who is on your list, and who is online)
      friends add <name>
      friends remove <name>
    """
    action, _, name = args.strip().partition(" ")
    name, player = name.strip(), ctx.player
    if not action:
        names = ctx.people.friends(player.name)
        if not names:
            return Reply.info("Your friends list is empty. Add someone: friends add <name>")
        on = [n for n in names if ctx.online.get(n) is not None]
        off = [n for n in names if n not in on]
        lines = [f"Online: {join_words(on)}." if on else "No friend is online."]
        if off:
            lines.append(f"Offline: {join_words(off)}.")
        return Reply.info("\n".join(lines))
    if action not in ("add", "remove") or not name:
        return Reply.error("Usage: friends add <name> or friends remove <name>")
    account = ctx.store.account(name)
    if account is None:
        return Reply.error(f"There is no player called {name!r}.")
    if action == "remove":
        if not ctx.people.unfriend(player.name, account.name):
            return Reply.error(f"{account.name} is not on your friends list.")
        return Reply.info(f"{account.name} is off your friends list.")
    if account.name.lower() == player.key:
        return Reply.error("You are already your own friend.")
    if not ctx.people.befriend(player.name, account.name):
        return Reply.error("Your friends list is full.")
    return Reply.info(f"{account.name} is on your friends list.")


@command("follow", category="people")
def follow(ctx: Context, args: str) -> Result:
    """Walk after someone whenever they leave the room you share.

    Usage:
      follow <name>
      follow             (stop following)
    """
    player, name = ctx.player, args.strip()
    if not name or name.lower() in ("stop", "nobody", "none"):
        if not ctx.groups.unfollow(player.name):
            return Reply.error("You are not following anyone.")
        return Reply.info("You stop following.")
    leader = _someone_here(ctx, name)
    if leader is None:
        return Reply.error(f"There is nobody called {name!r} here to follow.")
    if leader is player:
        return Reply.error("You cannot follow yourself.")
    if ctx.groups.leads_to(player.name, leader.name):
        return Reply.error(f"{leader.name} is already following you.")
    ctx.groups.follow(player.name, leader.name)
    ctx.to_player(leader.name, Reply.info(f"{player.name} starts following you."))
    return Reply.info(f"You follow {leader.name}.")


@command("group", category="people")
def group(ctx: Context, args: str) -> Result:
    """Travel together: a group follows its leader and has its own chat (gsay).

    Usage:
      group                  (who is in your group)
      group invite <name>
      group accept
      group leave
    """
    action, _, name = args.strip().partition(" ")
    player, groups = ctx.player, ctx.groups
    mine = groups.group(player.name)
    if not action:
        if mine is None:
            return Reply.info("You are in no group. Start one: group invite <name>")
        return Reply.info(f"Your group, led by {mine.leader}: {join_words(mine.members)}.")
    if action == "invite":
        if mine is not None and mine.leader.lower() != player.key:
            return Reply.error(f"Only {mine.leader} can invite to your group.")
        if mine is not None and len(mine.members) >= MAX_GROUP:
            return Reply.error(f"A group has at most {MAX_GROUP} members.")
        seat = ctx.online.get(name.strip()) if name.strip() else None
        if seat is None or seat.player is player:
            return Reply.error("Invite whom? They must be online: group invite <name>")
        if groups.group(seat.player.name) is not None:
            return Reply.error(f"{seat.player.name} is already in a group.")
        groups.invite(player.name, seat.player.name)
        ctx.to_player(
            seat.player.name,
            Reply.info(f"{player.name} invites you to their group. Type: group accept"),
        )
        return Reply.info(f"You invited {seat.player.name}.")
    if action == "accept":
        if mine is not None:
            return Reply.error("You are already in a group. Type group leave first.")
        joined = groups.accept(player.name)
        if joined is None:
            return Reply.error("Nobody has invited you, or that group is full.")
        _tell_group(ctx, joined.members, f"{player.name} joined the group.", player.name)
        return Reply.info(f"You joined {joined.leader}'s group; you follow {joined.leader}.")
    if action == "leave":
        left = groups.leave(player.name)
        if left is None:
            return Reply.error("You are in no group.")
        ended = left.leader.lower() == player.key
        text = f"{player.name} ended the group." if ended else f"{player.name} left the group."
        _tell_group(ctx, left.members, text, player.name)
        return Reply.info("You ended your group." if ended else "You left the group.")
    return Reply.error("Usage: group, group invite <name>, group accept or group leave")


@command("gsay", "gtell", category="speech")
def gsay(ctx: Context, args: str) -> Result:
    """Say something to your group, wherever its members are.

    Usage:
      gsay <message>
    """
    message, player = args.strip(), ctx.player
    mine = ctx.groups.group(player.name)
    if mine is None:
        return Reply.error("You are in no group.")
    if not message:
        return Reply.error("Say what to your group?")
    line = Reply(Kind.CHANNEL, f"[group] {player.name}: {message}", Spoken(player.name, "group"))
    for member in mine.members:
        if member.lower() != player.key:
            ctx.to_player(member, line)
    return line


def _tell_group(ctx: Context, members: list[str], text: str, but: str) -> None:
    for member in members:
        if member.lower() != but.lower():
            ctx.to_player(member, Reply(Kind.SYSTEM, text))
