"""Moving between rooms, and doors."""

from __future__ import annotations

from bridge.events import PlayerMoved
from game.commands.base import Context, Result, command
from game.commands.equipment import container_door
from game.core.reply import Kind, Reply
from game.core.text import join_words
from game.world.loader import normalize_direction
from game.world.model import OPPOSITE, Exit
from game.world.state import Player


def _arrival_word(direction: str) -> str:
    back = OPPOSITE.get(direction)
    if back in ("up", "down"):
        return "from above" if back == "up" else "from below"
    return f"from the {back}" if back else "from elsewhere"


def _exit(ctx: Context, word: str) -> Exit | None:
    return ctx.world.room(ctx.player.room).exit(normalize_direction(word))


@command("go", "move", category="movement")  # "walk" steps inside a room: visual.py
def go(ctx: Context, args: str) -> Result:
    """Walk through an exit.

    Usage:
      go <exit>
      <exit>            (north, n, east, e, up, u, and so on)
    """
    if not args:
        return Reply.error("Go where? Try: go north")
    world, player = ctx.world, ctx.player
    if ctx.combat.fighting(player.name):
        return Reply.error("You are fighting! Flee first.")
    ex = _exit(ctx, args)
    if ex is None:
        exits = [e.direction for e in world.room(player.room).exits]
        where = f" Exits here: {join_words(exits)}." if exits else ""
        return Reply.error(f"You can't go {args!r} from here.{where}")
    origin = player.room
    refusal = _walk(ctx, player, ex)
    if refusal is not None:
        return Reply.error(refusal)
    _followers_follow(ctx, player, ex, origin)
    return Reply.room(world.view(ex.to, player))


def _walk(ctx: Context, mover: Player, ex: Exit) -> str | None:
    """Move ``mover`` through ``ex`` with everything a move says; or say why not."""
    world = ctx.world
    if not world.is_open(mover.room, ex):
        return f"The door to the {ex.direction} is closed."
    refusal = ctx.access.exit_refusal(mover.name, mover.room, ex)  # requires: and premium
    if refusal is not None:
        return refusal
    old = mover.room
    ctx.to_room(old, Reply(Kind.MOVE, f"{mover.name} leaves {ex.direction}."), exclude=[mover])
    world.move(mover, ex.to)
    ctx.to_room(
        ex.to,
        Reply(Kind.MOVE, f"{mover.name} arrives {_arrival_word(ex.direction)}."),
        exclude=[mover],
    )
    ctx.refresh_room(old)
    ctx.refresh_room(ex.to)
    ctx.publish(
        PlayerMoved(ts=ctx.now(), player=mover.name, from_room=old, to_room=ex.to, via=ex.direction)
    )
    return None


def _followers_follow(ctx: Context, leader: Player, ex: Exit, origin: str) -> None:
    """Whoever follows ``leader`` and stood with it in ``origin`` walks after it through
    the same exit (and their own followers after them), each through the same doors and
    requirements."""
    ahead, seen = [leader], {leader.key}
    while ahead:
        guide = ahead.pop(0)
        for name in ctx.groups.followers(guide.name):
            seat = ctx.online.get(name)
            if seat is None or name in seen or seat.player.room != origin:
                continue
            seen.add(name)
            follower = seat.player
            refusal = _walk(ctx, follower, ex)
            if refusal is not None:
                ctx.to_player(
                    follower.name, Reply.error(f"You cannot follow {guide.name}: {refusal}")
                )
                continue
            ctx.to_player(
                follower.name, Reply(Kind.MOVE, f"You follow {guide.name} {ex.direction}.")
            )
            ctx.to_player(follower.name, Reply.room(ctx.world.view(ex.to, follower)))
            ctx.outbox.status_changed(follower.name)
            ahead.append(follower)


def _door(ctx: Context, args: str, verb: str) -> Exit | Reply:
    if not args:
        return Reply.error(f"{verb.capitalize()} which door? Try: {verb} north")
    ex = _exit(ctx, args.removesuffix(" door").removeprefix("door "))
    if ex is None or ex.door is None:
        return Reply.error(f"There is no door {args!r} here.")
    return ex


@command("open", category="movement")
def open_(ctx: Context, args: str) -> Result:
    """Open a door, or a chest or bag.

    Usage:
      open <direction>
      open <container>
    """
    boxed = container_door(ctx, args, "open") if args else None
    if boxed is not None:
        return boxed
    ex = _door(ctx, args, "open")
    if isinstance(ex, Reply):
        return ex
    world, room = ctx.world, ctx.player.room
    if world.is_open(room, ex):
        return Reply.error("It is already open.")
    if world.is_locked(room, ex):
        return Reply.error(f"The door to the {ex.direction} is locked.")
    world.open_doors.add(world.door_key(room, ex))
    ctx.outbox.on_rollback(lambda: world.open_doors.discard(world.door_key(room, ex)))
    ctx.to_room(
        room,
        Reply(Kind.MOVE, f"{ctx.player.name} opens the door {ex.direction}."),
        exclude=[ctx.player],
    )
    ctx.refresh_room(room)
    return Reply.info(f"You open the door to the {ex.direction}.")


@command("close", "shut", category="movement")
def close(ctx: Context, args: str) -> Result:
    """Close a door, or a chest or bag.

    Usage:
      close <direction>
      close <container>
    """
    boxed = container_door(ctx, args, "close") if args else None
    if boxed is not None:
        return boxed
    ex = _door(ctx, args, "close")
    if isinstance(ex, Reply):
        return ex
    world, room = ctx.world, ctx.player.room
    if not world.is_open(room, ex):
        return Reply.error("It is already closed.")
    world.open_doors.discard(world.door_key(room, ex))
    ctx.outbox.on_rollback(lambda: world.open_doors.add(world.door_key(room, ex)))
    ctx.refresh_room(room)
    return Reply.info(f"You close the door to the {ex.direction}.")


@command("unlock", category="movement")
def unlock(ctx: Context, args: str) -> Result:
    """Unlock a door or a chest with its key, which you must be carrying.

    Usage:
      unlock <direction>
      unlock <container>
    """
    boxed = container_door(ctx, args, "unlock") if args else None
    if boxed is not None:
        return boxed
    ex = _door(ctx, args, "unlock")
    if isinstance(ex, Reply):
        return ex
    world, room = ctx.world, ctx.player.room
    if not world.is_locked(room, ex):
        return Reply.error("It is not locked.")
    assert ex.door is not None
    if ex.door.key is None or ctx.player.inventory[ex.door.key] <= 0:
        return Reply.error("You don't have the key.")
    world.unlocked_doors.add(world.door_key(room, ex))
    ctx.outbox.on_rollback(lambda: world.unlocked_doors.discard(world.door_key(room, ex)))
    return Reply.info(f"You unlock the door to the {ex.direction}.")
