"""Fighting: attack, flee, consider, and the brief option for one line per round.

Rounds after the first run on the game clock (game/services/combat.py); these commands
start and end fights and say how one would go.
"""

from __future__ import annotations

from game.commands import movement
from game.commands.base import Context, Result, command
from game.commands.naming import people_here, phrase, pick
from game.core.reply import Kind, Reply
from game.services.combat import cap, hit_chance
from game.world.model import NpcDef
from game.world.state import Player


def _target(ctx: Context, args: str) -> NpcDef | Player | Reply:
    said = phrase(args, high=1, counts=False)
    if isinstance(said, Reply):
        return said
    found = pick(said, people_here(ctx), "There is nobody called {what} here.")
    return found if isinstance(found, Reply) else found.thing


@command("attack", "kill", "hit", "fight", category="combat")
def attack(ctx: Context, args: str) -> Result:
    """Attack a creature (or, where the area allows it, a player) in the same room.

    The first blow lands at once; the fight goes on one round every few seconds until one
    side falls or you flee. Each round costs stamina; with none left your blows are weak.
    Players can fight each other only in areas marked for it.

    Usage:
      attack <name>
      kill <name>
    """
    player, combat = ctx.player, ctx.combat
    if not args:
        return Reply.error("Attack whom? Try: consider <name> first.")
    target = _target(ctx, args)
    if isinstance(target, Reply):
        return target
    if combat.fighting(player.name):
        return Reply.error("You are already fighting!")
    if isinstance(target, Player):
        area = ctx.world.content.areas.get(ctx.world.room(player.room).area)
        if area is None or not area.pvp:
            return Reply.error("You can't attack other players here: this is a peaceful area.")
        verb = f"{player.name} attacks {target.name}!"
    else:
        if target.combat is None:
            return Reply.error(f"{cap(target.name)} is not someone you can fight.")
        verb = f"{player.name} attacks {target.name}!"
    ctx.to_room(player.room, Reply(Kind.MOVE, verb), exclude=[player])
    return combat.begin(player, target)


@command("flee", "escape", category="combat")
def flee(ctx: Context, args: str) -> Result:
    """Run from a fight through a random open exit; it costs stamina.

    Usage:
      flee
    """
    player, combat, world = ctx.player, ctx.combat, ctx.world
    if not combat.fighting(player.name):
        return Reply.error("You are not fighting anyone.")
    cost = world.content.combat.flee_cost
    vit = combat.vitals(player.name)
    if vit.stamina < cost:
        return Reply.error(f"You are too tired to flee (stamina {vit.stamina}, need {cost}).")
    exits = [
        ex
        for ex in world.room(player.room).exits
        if ex.to in world.content.rooms
        and world.is_open(player.room, ex)
        and ctx.access.exit_refusal(player.name, player.room, ex) is None
    ]
    if not exits:
        return Reply.error("There is nowhere to run!")
    ex = ctx.rng.choice(exits)
    combat.end(player.key)
    for key, fight in list(combat.fights.items()):
        if fight.target == player.key:  # a player fighting you stays behind
            combat.end(key)
    combat.spend(player.name, cost)
    ctx.to_room(player.room, Reply(Kind.MOVE, f"{player.name} flees!"), exclude=[player])
    moved = movement.go(ctx, ex.direction)
    first = Reply.info(f"You flee {ex.direction}!")
    return [first, *(moved if isinstance(moved, list) else [moved])]


def _rounds_to_fell(health: int, attack: int, defence: int, damage: int) -> float:
    """Rounds an attacker needs, on average, to bring ``health`` to 0."""
    per_round = hit_chance(attack, defence) * (1 + max(1, damage)) / 2
    return health / per_round


@command("consider", "con", category="combat")
def consider(ctx: Context, args: str) -> Result:
    """Size up a creature before you fight it: how the fight would likely go.

    Usage:
      consider <name>
    """
    if not args:
        return Reply.error("Consider whom?")
    target = _target(ctx, args)
    if isinstance(target, Reply):
        return target
    player = ctx.player
    rules, gear = ctx.world.content.combat, ctx.equipment.stats(player.name)
    vit = ctx.combat.vitals(player.name)
    mine = (rules.attack + gear["attack"], rules.defence + gear["defence"])
    damage = rules.damage + gear["damage"]
    if isinstance(target, Player):
        return Reply.info(f"{target.name} is a player. Sizing up friends is rude.")
    foe = target.combat
    name = cap(target.name)
    if foe is None:
        return Reply.info(f"{name} is not someone you can fight.")
    you_need = _rounds_to_fell(ctx.combat.npc_health_of(target), mine[0], foe.defence, damage)
    it_needs = _rounds_to_fell(vit.health, foe.attack, mine[1], foe.damage)
    ratio = it_needs / you_need
    if ratio >= 3:
        verdict = "an easy fight"
    elif ratio >= 1.5:
        verdict = "a fair fight you should win"
    elif ratio >= 0.8:
        verdict = "a close fight"
    else:
        verdict = "likely to kill you"
    reward = f" Defeating it pays {foe.tokens} tokens once a day." if foe.tokens else ""
    return Reply.info(
        f"{name} looks {verdict}: about {you_need:.0f} rounds to defeat it,"
        f" about {it_needs:.0f} for it to defeat you.{reward}"
    )


@command("brief", category="account")
def brief(ctx: Context, args: str) -> Result:
    """Keep combat to one line per round (for line mode and screen readers).

    Usage:
      brief          say whether it is on
      brief on       one line per combat round
      brief off      a line per blow and a line for health
    """
    word = args.strip().lower()
    if word not in ("", "on", "off"):
        return Reply.error("Usage: brief on, or brief off.")
    if not word:
        state = "on" if ctx.combat.brief(ctx.player.name) else "off"
        return Reply.info(f"Brief combat is {state}.")
    ctx.combat.set_brief(ctx.player.name, word == "on")
    if word == "on":
        return Reply.info("Brief combat is on: one line per round.")
    return Reply.info("Brief combat is off: a line per blow.")
