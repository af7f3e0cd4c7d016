"""Your own shortcuts: aliases that stand for one or more commands."""

from __future__ import annotations

from game.commands.base import Context, Result, command
from game.core.reply import Reply
from game.services.shortcuts import (
    MAX_ALIASES,
    MAX_EXPANSION,
    MAX_STEPS,
    NAME,
    PROMPT_FIELDS,
    PROMPT_MAX,
)

PROTECTED = ("alias", "unalias")


@command("alias", category="account")
def alias(ctx: Context, args: str) -> Result:
    """Make one word run one or more commands (separate them with ;).

    Usage:
      alias                          (your aliases)
      alias <word> <commands>
    Example: alias gg go north;get herring
    In the commands, $* is whatever you type after the word, and $1 to $9 its single
    words: alias hi say Hello, $1!   then   hi ana   says Hello, ana!
    At most 10 commands run per alias, and an alias never runs another alias.
    """
    word, _, expansion = args.strip().partition(" ")
    word, expansion = word.lower(), expansion.strip()
    player = ctx.player
    if not word:
        found = ctx.shortcuts.aliases(player.name)
        if not found:
            return Reply.info("You have no aliases. Make one: alias gg go north;get herring")
        listed = [f"{word}: {found[word]}" for word in sorted(found)]
        return Reply.info("\n".join(["Your aliases:", *listed]))
    if not NAME.match(word):
        return Reply.error("An alias is one word: a letter, then letters, digits, - or _.")
    if word in PROTECTED:
        return Reply.error(f"{word} cannot be an alias: you would lose the way back.")
    if not expansion:
        current = ctx.shortcuts.alias(player.name, word)
        if current is None:
            return Reply.error(f"You have no alias {word!r}. Usage: alias <word> <commands>")
        return Reply.info(f"{word}: {current}")
    if len(expansion) > MAX_EXPANSION:
        return Reply.error(f"An alias may be at most {MAX_EXPANSION} characters long.")
    steps = [s for s in expansion.split(";") if s.strip()]
    if len(steps) > MAX_STEPS:
        return Reply.error(f"An alias runs at most {MAX_STEPS} commands.")
    known = ctx.shortcuts.aliases(player.name)
    if word not in known and len(known) >= MAX_ALIASES:
        return Reply.error(f"You have {MAX_ALIASES} aliases, the most allowed. Unalias one.")
    ctx.shortcuts.set_alias(player.name, word, expansion)
    return Reply.info(f"Alias {word}: {expansion}")


@command("unalias", category="account")
def unalias(ctx: Context, args: str) -> Result:
    """Forget one of your aliases.

    Usage:
      unalias <word>
    """
    word = args.strip().lower()
    if not word:
        return Reply.error("Usage: unalias <word>")
    if not ctx.shortcuts.remove_alias(ctx.player.name, word):
        return Reply.error(f"You have no alias {word!r}.")
    return Reply.info(f"Alias {word} removed.")


@command("prompt", category="account")
def prompt(ctx: Context, args: str) -> Result:
    """Set the prompt line mode shows after each command (telnet ends it as a prompt).

    Usage:
      prompt                 (your prompt and what it can show)
      prompt <template>
      prompt off
    Fields: %t tokens, %q priced actions left today, %r the room's name, %n your name,
    %% a percent sign. Example: prompt [%t tokens, %q left] %r>
    """
    template, player = args.strip(), ctx.player
    if not template:
        current = ctx.shortcuts.prompt(player.name)
        fields = ", ".join(f"{code} {meaning}" for code, meaning in PROMPT_FIELDS.items())
        shown = f"Your prompt: {current}" if current else "You have no prompt."
        return Reply.info(f"{shown}\nFields: {fields}.")
    if template.lower() == "off":
        ctx.shortcuts.set_prompt(player.name, None)
        return Reply.info("Prompt off.")
    if len(template) > PROMPT_MAX:
        return Reply.error(f"A prompt may be at most {PROMPT_MAX} characters long.")
    ctx.shortcuts.set_prompt(player.name, template)
    return Reply.info(f"Prompt set: {template}")
