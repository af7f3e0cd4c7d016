"""The visual form: choosing it, walking inside a room, and ``where`` for everyone else.

Walking works in every form, so a screen-reader player can follow (and join) what visual
players do: ``where`` says who stands where in words, and each walk is one sentence for
the room ("Ana walks to the fountain."), never one per square.
"""

from __future__ import annotations

from game.commands import movement
from game.commands.base import Context, Result, command
from game.core.numbers import BadNumber
from game.core.reply import Kind, Reply
from game.core.text import plural
from game.services.positions import FORMS, STEPS, Spot
from game.world import matching
from game.world.layout import Layout, Tile
from game.world.loader import normalize_direction
from game.world.matching import Named

ARROWS_HELP = "Arrow keys walk when the command line is empty."


@command("form", category="visual")
def form(ctx: Context, args: str) -> Result:
    """Choose how the game is shown: sentences (text) or a floor plan of the room (visual).

    Usage:
      form            (show your current form)
      form visual
      form text

    The visual form draws the room you stand in, with everyone in it, above the log; the
    arrow keys walk when the command line is empty. It needs the premium tier, or the
    form:visual unlock. Your choice is remembered. Line mode always uses sentences.
    """
    positions, name = ctx.positions, ctx.player.name
    wanted = args.strip().lower()
    current = positions.forms.get(name)
    if not wanted:
        return Reply.info(f"You use the {current} form. Choose with: form visual, form text")
    if wanted not in FORMS:
        return Reply.error(f"There is no {wanted!r} form. Choose: form visual, form text")
    if wanted == "visual" and not positions.may_use_visual(name):
        return Reply.error(
            "The visual form needs the premium tier or the form:visual unlock. Nothing was changed."
        )
    positions.forms.set(name, wanted, ctx.clock())
    if wanted == "text":
        return [Reply.info("You now use the text form."), Reply(Kind.PLAN, "", None)]
    replies = [Reply.info(f"You now use the visual form. {ARROWS_HELP}")]
    if ctx.session.kind == "tui":
        replies.append(positions.plan_reply(ctx.player.room))
    else:
        replies.append(
            Reply.info(
                "This connection shows sentences only; the plan appears in "
                "the full-screen interface."
            )
        )
    return replies


@command("walk", "step", category="visual")
def walk(ctx: Context, args: str) -> Result:
    """Walk inside the room: one square in a direction, or all the way to something.

    Usage:
      walk <direction>          (north, ne, west, ... : one square)
      walk to <thing or person> (the fountain, the north door, Ana, the guard)

    Stepping onto a door square takes that exit, like go <direction>. To leave the room
    from anywhere, use go <exit>.
    """
    words = args.strip()
    if not words:
        return Reply.error("Walk where? Try: walk north, or walk to the fountain")
    if words.lower().startswith("to "):
        return _walk_to(ctx, words[3:].strip())
    direction = normalize_direction(words)
    if direction not in STEPS:
        return Reply.error(f"You can't walk {words!r}. Try a direction, or: walk to <thing>")
    return _step(ctx, direction)


def _step(ctx: Context, direction: str) -> Result:
    positions, player = ctx.positions, ctx.player
    layout = positions.layout(player.room)
    x, y = positions.spot(player)
    dx, dy = STEPS[direction]
    target = (x + dx, y + dy)
    tile = layout.tile(*target)
    if tile is not None and tile.kind == "door":
        return movement.go(ctx, tile.name)  # same checks, sentences and events as go
    if tile is None or not tile.walkable:
        what = "the edge of the room" if tile is None or tile.kind == "void" else _tile_name(tile)
        return Reply.error(f"You can't walk {direction}: {what} is in the way.")
    someone = positions.occupied(player.room, exclude=player.key).get(target)
    if someone is not None:
        return Reply.error(f"You can't walk {direction}: {someone} is in the way.")
    positions.move_to(player, target)
    positions.announce(player, f"{player.name} walks {direction}.")
    return _done(ctx, f"You walk {direction}; you are {landmark(layout, target)}.")


def _walk_to(ctx: Context, words: str) -> Result:
    positions, player = ctx.positions, ctx.player
    found = _target(ctx, words)
    if found is None:
        return Reply.error(f"You see no {words!r} to walk to here. Try: where")
    label, squares = found
    here = positions.spot(player)
    goals = {(sx + dx, sy + dy) for sx, sy in squares for dx, dy in STEPS.values()} - set(squares)
    if here in goals:
        return Reply.error(f"You are already by {label}.")
    route = positions.path(player, goals)
    if not route:
        return Reply.error(f"You can't find a way to {label} from here.")
    positions.move_to(player, route[-1])
    positions.announce(player, f"{player.name} walks to {label}.")
    return _done(ctx, f"You walk to {label} ({plural(len(route), 'step')}).", text_too=True)


def _done(ctx: Context, text: str, *, text_too: bool = False) -> Result:
    """The walker sees the plan move (visual form) or reads where they are now."""
    if ctx.positions.is_visual(ctx.session):
        plan = ctx.positions.plan_reply(ctx.player.room)
        return [Reply.info(text), plan] if text_too else plan
    return Reply.info(text)


def _target(ctx: Context, words: str) -> tuple[str, list[Spot]] | None:
    """What ``walk to`` means: furniture, a door, an NPC or a player; with its squares."""
    wanted = words.lower().removeprefix("the ").strip()
    positions, room_id = ctx.positions, ctx.player.room
    layout = positions.layout(room_id)
    for name, squares in layout.furniture().items():
        if wanted == name.lower() or wanted in name.lower().split():
            return f"the {name}", squares
    door_word = normalize_direction(wanted.replace("door", "").replace("exit", "").strip())
    door = layout.doors().get(door_word)
    if door is not None:
        return f"the {door_word} door", [door]
    keywords = {n.name: n.keywords for n in ctx.world.npcs_in(room_id)}
    pool = [
        Named(a, a.name, keywords.get(a.name, ()), key=a.name.lower())
        for a in positions.snapshot(room_id).avatars
        if a.name.lower() != ctx.player.name.lower()
    ]
    try:
        found = matching.resolve(matching.parse(words, counts=False), pool)
    except BadNumber:  # "99999999999999999999.guard"
        return None
    if isinstance(found, list):  # two fit as well: the nearest (first shown) one
        found = found[0]
    if found is not None:
        return found.thing.name, [(found.thing.x, found.thing.y)]
    return None


@command("where", category="visual")
def where(ctx: Context, args: str) -> Result:
    """Say where you and everyone else stand in this room, in words.

    Usage:
      where

    Example: Ana is by the fountain, 2 steps north-east of you.
    """
    positions, player = ctx.positions, ctx.player
    layout = positions.layout(player.room)
    mine = positions.spot(player)
    lines = [f"You are {landmark(layout, mine)}."]
    for avatar in positions.snapshot(player.room).avatars:
        if avatar.name == player.name:
            continue
        spot = (avatar.x, avatar.y)
        name = avatar.name[0].upper() + avatar.name[1:] if avatar.kind == "npc" else avatar.name
        lines.append(f"{name} is {landmark(layout, spot)}, {relative(mine, spot)}.")
    if len(lines) == 1:
        lines.append("Nobody else is here.")
    return Reply.info("\n".join(lines))


def landmark(layout: Layout, spot: Spot) -> str:
    """``by the fountain``, ``at the north door``, ``near the east door`` or ``in the open``."""
    tile = layout.tile(*spot)
    if tile is not None and tile.kind == "door":
        return f"at the {tile.name} door"
    best: tuple[int, int, str] | None = None  # (distance, rank, name): furniture first
    ranks = {"furniture": 0, "water": 1, "door": 2}
    for x, y, t in layout.cells():
        if t.kind in ranks:
            distance = max(abs(x - spot[0]), abs(y - spot[1]))
            name = {"door": f"the {t.name} door", "water": "the water"}.get(t.kind, f"the {t.name}")
            candidate = (distance, ranks[t.kind], name)
            if distance <= 2 and (best is None or candidate < best):
                best = candidate
    if best is None:
        return "in the open"
    return f"{'by' if best[0] <= 1 else 'near'} {best[2]}"


def relative(origin: Spot, spot: Spot) -> str:
    """``2 steps north-east of you``: distance in squares and the nearest of 8 directions."""
    dx, dy = spot[0] - origin[0], spot[1] - origin[1]
    if dx == dy == 0:
        return "right where you are"
    ns = "north" if dy < 0 else "south"
    ew = "east" if dx > 0 else "west"
    if abs(dy) * 2 < abs(dx):
        direction = ew
    elif abs(dx) * 2 < abs(dy):
        direction = ns
    else:
        direction = f"{ns}-{ew}"
    return f"{plural(max(abs(dx), abs(dy)), 'step')} {direction} of you"


def _tile_name(tile: Tile) -> str:
    names = {"wall": "a wall", "water": "water", "furniture": f"the {tile.name}"}
    return names.get(tile.kind, "something")
