"""Talking to the people of the world: greetings, topics, quests offered and handed in."""

from __future__ import annotations

from game.commands.base import Context, Result, command
from game.commands.naming import pick_npc
from game.core.reply import Reply
from game.core.text import join_words
from game.world.model import NpcDef, Topic


def _open_topics(ctx: Context, npc: NpcDef) -> dict[str, Topic]:
    name = ctx.player.name
    return {t: v for t, v in npc.topics.items() if ctx.access.unmet(name, v.requires) is None}


def _either(words: list[str]) -> str:
    """English choice: ``a``, ``a or b``, ``a, b or c``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _title(npc: NpcDef) -> str:
    return npc.name[0].upper() + npc.name[1:]


def find_npc(ctx: Context, words: str) -> NpcDef | Reply:
    """The NPC in the player's room that ``words`` name (any words of its name, a keyword,
    a prefix), or the sentence that says who is here."""
    here = [n.name for n in ctx.world.npcs_in(ctx.player.room)]
    listed = f" Here: {join_words(here)}." if here else " There is nobody here to talk to."
    return pick_npc(ctx, words, "You see no {what} here to talk to." + listed)


@command("talk", "greet", category="people")
def talk(ctx: Context, args: str) -> Result:
    """Talk to someone in the room: hear their greeting and what you can ask about.
    Talking also hands over items a quest asks you to bring them.

    Usage:
      talk <npc>
    """
    if not args:
        return Reply.error("Talk to whom? Try: talk crier")
    npc = find_npc(ctx, args.removeprefix("to ").removeprefix("with "))
    if isinstance(npc, Reply):
        return npc
    lines = [f'{_title(npc)} says, "{npc.greeting}"' if npc.greeting else f"{_title(npc)} nods."]
    lines.extend(ctx.quests.talked(ctx.player.name, npc.id))
    topics = sorted(_open_topics(ctx, npc))
    if topics:
        first = npc.keywords[0] if npc.keywords else npc.name
        lines.append(f"You can ask about {_either(topics)}.")
        lines.append(f"Try: ask {first} about {topics[0]}")
    return [Reply.info("\n".join(lines)), *ctx.quests.settle(ctx.player.name)]


@command("ask", category="people")
def ask(ctx: Context, args: str) -> Result:
    """Ask someone about a topic. Some topics start a quest.

    Usage:
      ask <npc> about <topic>
    """
    who, sep, what = args.partition(" about ")
    if not sep or not who.strip() or not what.strip():
        return Reply.error("Ask whom about what? Try: ask crier about town")
    npc = find_npc(ctx, who)
    if isinstance(npc, Reply):
        return npc
    topics = _open_topics(ctx, npc)
    wanted = what.strip().lower().removeprefix("the ").strip()
    topic = topics.get(wanted) or next(
        (t for name, t in sorted(topics.items()) if name.startswith(wanted)), None
    )
    if topic is None:
        known = f" You can ask about {_either(sorted(topics))}." if topics else ""
        return Reply.error(f"{_title(npc)} has nothing to say about {what.strip()!r}.{known}")
    lines = [f'{_title(npc)} says, "{topic.text}"']
    quest = ctx.world.content.quests.get(topic.starts or "")
    if quest is not None:
        book, name = ctx.quests, ctx.player.name
        refusal = ctx.access.unmet(name, quest.requires)
        if book.done(name, quest.id):
            lines.append(f"You have already finished {quest.title}.")
        elif refusal is not None:
            lines.append(refusal)
        elif book.start(name, quest):
            lines.append(f"New quest: {quest.title}. {quest.description} Type quests to see it.")
        else:
            lines.append(f"You are already on the quest {quest.title}.")
    return Reply.info("\n".join(lines))
