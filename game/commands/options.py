"""Account options that follow the player to every login."""

from __future__ import annotations

from game.commands.base import Context, Result, command
from game.core.reply import Reply


@command("screenreader", "sr", category="account")
def screenreader(ctx: Context, args: str) -> Result:
    """Always use line mode (plain sentences, no screen drawing), even from a full terminal.

    Usage:
      screenreader          say whether it is on
      screenreader on       from your next login on, get line mode
      screenreader off      get the full-screen view again where your terminal allows it

    Logging in as <name>+plain gives line mode for one session without changing this.
    """
    store, name = ctx.store, ctx.player.name
    account = store.account(name)
    word = args.strip().lower()
    if word not in ("", "on", "off"):
        return Reply.error("Usage: screenreader on, or screenreader off.")
    if not word:
        state = "on" if account and account.screenreader else "off"
        return Reply.info(f"Screen-reader mode is {state}.")
    store.set_screenreader(name, word == "on")
    if word == "on":
        return Reply.info("Screen-reader mode is on: every login from now on gets line mode.")
    return Reply.info(
        "Screen-reader mode is off: your next login from a full terminal gets the full-screen view."
    )
