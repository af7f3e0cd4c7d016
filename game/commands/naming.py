"""What commands share to find the thing a player named (see :mod:`game.world.matching`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from game.core.numbers import BadNumber
from game.core.reply import Reply
from game.world import matching
from game.world.matching import Named, Phrase
from game.world.model import ItemDef, NpcDef

if TYPE_CHECKING:
    from game.commands.base import Context


def phrase(
    text: str, *, high: int, trailing_count: bool = False, counts: bool = True
) -> Phrase | Reply:
    """The player's words taken apart, or why the count in them is not one we take."""
    try:
        return matching.parse(text, high=high, trailing_count=trailing_count, counts=counts)
    except BadNumber as exc:
        return Reply.error(f"{exc} Nothing was done.")


def pick(said: Phrase, pool: list[Named[matching.T]], nothing: str) -> Named[matching.T] | Reply:
    """The one thing in ``pool`` the phrase names, or the sentence that says why not:
    ``nothing`` (with ``{what}`` for the words) or "Which one? ..."."""
    found = matching.resolve(said, pool)
    if isinstance(found, list):
        return Reply.error(matching.which_one(said, found, pool))
    if found is None:
        return Reply.error(nothing.format(what=repr(said.text)))
    return found


def pick_item(
    ctx: Context, said: Phrase, counts: Mapping[str, int] | Iterable[str], nothing: str
) -> Named[ItemDef] | Reply:
    return pick(said, matching.items(ctx.world.content, counts), nothing)


def people_here(ctx: Context) -> list[Named[Any]]:
    """Everyone else in the player's room (NPCs, then players, as the room shows them):
    each ``thing`` is a :class:`NpcDef` or a :class:`Player`."""
    world, me = ctx.world, ctx.player
    out: list[Named[Any]] = []
    out.extend(matching.npcs(world.npcs_in(me.room)))
    out.extend(matching.people(world.occupants(me.room, exclude=me)))
    return out


def pick_npc(ctx: Context, text: str, nothing: str) -> NpcDef | Reply:
    """The NPC in the player's room that ``text`` names (any words of its name)."""
    said = phrase(text, high=99, counts=False)
    if isinstance(said, Reply):
        return said
    found = pick(said, matching.npcs(ctx.world.npcs_in(ctx.player.room)), nothing)
    return found if isinstance(found, Reply) else found.thing
