"""Gathering and crafting skills, RuneScape style: actions yield items and XP, XP gives levels,
levels open better spots and recipes.

Everything comes from content: which rooms have which spots (``Room.gather``), the chance
of a catch, the XP, the recipes and the feature they need (``fire``). Chance rolls use the
game's injected RNG, so tests are deterministic. The item, the XP and (for recipes) the
used inputs are written in one transaction.
"""

from __future__ import annotations

from game.commands.base import Context, Result, command
from game.commands.naming import phrase, pick_item
from game.core.reply import Kind, Reply
from game.core.text import join_words
from game.services.progress import Skills
from game.world.model import ItemDef, Recipe, SkillDef
from game.world.state import Player, World


def skill_by_verb(world: World, verb: str) -> SkillDef | None:
    for skill in world.content.economy.skills.values():
        if skill.verb == verb:
            return skill
    return None


def _xp_line(skills: Skills, player: Player, skill: SkillDef, xp: int) -> list[Reply]:
    gain = skills.add_xp(player.name, skill.id, xp)
    out = [Reply(Kind.INFO, f"+{xp} {skill.label} XP ({gain.xp} in total).")]
    if gain.leveled_up:
        out.append(Reply(Kind.SYSTEM, f"Your {skill.label} level is now {gain.level}!"))
    return out


# -- gathering -----------------------------------------------------------------------------------
def gather(ctx: Context, args: str, verb: str) -> Result:
    """Try the gathering spot for ``verb``'s skill in this room (shared by forage, fish)."""
    player = ctx.player
    skill = skill_by_verb(ctx.world, verb)
    spots = [s for s in ctx.world.room(player.room).gather if skill and s.skill == skill.id]
    if skill is None or not spots:
        return Reply.error(f"There is nothing to {verb} here.")
    level = ctx.skills.level(player.name, skill.id)
    if args:
        wanted = _named(ctx, args, [s.item for s in spots], f"You can't {verb} {{what}} here.")
        if isinstance(wanted, Reply):
            return wanted
        spots = [s for s in spots if s.item == wanted.id]
    usable = [s for s in spots if s.level <= level]
    if not usable:
        need = min(s.level for s in spots)
        return Reply.error(
            f"You need {skill.label} level {need} to {verb} here; you are level {level}."
        )
    wait = ctx.cooldowns.wait_s(player.name, skill.id)
    if wait:
        return Reply.error(
            f"You need a moment before you can {verb} again: try in {wait} "
            f"second{'s' if wait != 1 else ''}. Nothing was done."
        )
    ctx.cooldowns.start(player.name, skill.id, ctx.world.content.economy.gather_cooldown)
    spot = max(usable, key=lambda s: s.level)  # the best spot the player can work
    item = ctx.world.content.items.get(spot.item)
    if item is None:  # pragma: no cover - the loader checks item references
        return Reply.error(f"There is nothing to {verb} here.")
    if ctx.rng.random() >= spot.chance:
        return Reply.info(f"You try to {verb}, but get nothing this time.")
    with ctx.ledger.atomic():
        replies = [Reply.info(f"You {verb} and get {item.name}.")]
        replies += _xp_line(ctx.skills, player, skill, spot.xp)
        ctx.world.change_pack(player, {item.id: 1})
    ctx.to_room(player.room, Reply(Kind.MOVE, f"{player.name} gets {item.name}."), exclude=[player])
    return replies


def _named(ctx: Context, args: str, pool: list[str], nothing: str) -> ItemDef | Reply:
    """The item of ``pool`` the player's words name (no count: one at a time)."""
    said = phrase(args, high=1, counts=False)
    if isinstance(said, Reply):
        return said
    found = pick_item(ctx, said, dict.fromkeys(pool, 1), nothing)
    return found if isinstance(found, Reply) else found.thing


@command("forage", category="skills")
def forage(ctx: Context, args: str) -> Result:
    """Search the undergrowth for something useful (the Foraging skill).

    Usage:
      forage
      forage <item>

    Works where the room has something to forage. Success gives the item and XP; higher
    levels open better spots. After each try you need a few seconds' rest before the next.
    """
    return gather(ctx, args, "forage")


@command("fish", category="skills")
def fish(ctx: Context, args: str) -> Result:
    """Cast a line where there is water with fish in it (the Fishing skill).

    Usage:
      fish
      fish <kind of fish>

    A catch is not certain; each one gives the fish and XP. Some fish need a higher level.
    After each cast, caught or not, you need a few seconds' rest before the next.
    """
    return gather(ctx, args, "fish")


# -- crafting ------------------------------------------------------------------------------------
def craft(ctx: Context, args: str, verb: str) -> Result:
    """Make one item from a recipe of ``verb``'s skill (shared by cook and future crafts)."""
    player, content = ctx.player, ctx.world.content
    skill = skill_by_verb(ctx.world, verb)
    if skill is None:
        return Reply.error(f"Nobody in this world knows how to {verb}.")
    recipes = {r.output: r for r in content.economy.recipes.values() if r.skill == skill.id}
    outputs = [content.items[o] for o in recipes if o in content.items]
    if not args:
        names = join_words([i.name for i in outputs]) if outputs else "nothing yet"
        return Reply.error(f"{verb.capitalize()} what? You know how to {verb}: {names}.")
    item = _named(ctx, args, [o.id for o in outputs], f"You don't know how to {verb} {{what}}.")
    if isinstance(item, Reply):
        return item
    recipe = recipes[item.id]
    refusal = _cannot_craft(ctx, recipe, skill, verb, item)
    if refusal is not None:
        return refusal
    deltas = {ingredient: -count for ingredient, count in recipe.inputs.items()}
    deltas[item.id] = deltas.get(item.id, 0) + 1
    with ctx.ledger.atomic():
        replies = [Reply.info(f"You {verb} {item.name}.")]
        replies += _xp_line(ctx.skills, player, skill, recipe.xp)
        ctx.world.change_pack(player, deltas)
    ctx.to_room(
        player.room, Reply(Kind.MOVE, f"{player.name} makes {item.name}."), exclude=[player]
    )
    return replies


def _cannot_craft(
    ctx: Context, recipe: Recipe, skill: SkillDef, verb: str, item: ItemDef
) -> Reply | None:
    player = ctx.player
    if recipe.feature and recipe.feature not in ctx.world.room(player.room).features:
        return Reply.error(
            f"You need a {recipe.feature} to {verb} {item.name}; there is none here."
        )
    level = ctx.skills.level(player.name, skill.id)
    if level < recipe.level:
        return Reply.error(
            f"You need {skill.label} level {recipe.level} to {verb} {item.name}; "
            f"you are level {level}."
        )
    missing = [
        f"{ctx.world.some(ingredient, count)} (you have {player.inventory[ingredient]})"
        for ingredient, count in recipe.inputs.items()
        if player.inventory[ingredient] < count
    ]
    if missing:
        return Reply.error(f"To {verb} {item.name} you need {join_words(missing)}.")
    return None


@command("cook", category="skills")
def cook(ctx: Context, args: str) -> Result:
    """Cook food over a fire (the Cooking skill).

    Usage:
      cook              (lists what you know how to cook)
      cook <dish>

    You need the ingredients in your pack and a fire in the room.
    """
    return craft(ctx, args, "cook")


# -- overview --------------------------------------------------------------------------------------
@command("skills", category="skills")
def skills(ctx: Context, args: str) -> Result:
    """Show your skill levels and XP.

    Usage:
      skills
    """
    rules = ctx.world.content.economy
    progress = ctx.skills.all(ctx.player.name)
    if not progress:
        return Reply.info("This world has no skills.")
    lines = []
    for sid, (xp, level) in progress.items():
        skill = rules.skills[sid]
        if level < len(rules.xp_levels):
            nxt = f"{rules.xp_levels[level] - xp} XP to level {level + 1}"
        else:
            nxt = "top level"
        lines.append(f"{skill.label}: level {level}, {xp} XP, {nxt}. Verb: {skill.verb}.")
    return Reply.info("\n".join(lines))
