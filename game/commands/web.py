"""The web front from inside the game: sign in on the web, be listed there or not."""

from __future__ import annotations

from game.commands.base import Context, Result, command
from game.core.reply import Kind, Reply


@command("web", category="account")
def web(ctx: Context, args: str) -> Result:
    """Sign in on the game's web pages, or choose whether they list you as online.

    Usage:
      web                  say whether the web lists you and how many browsers you use
      web login            get a one-time code for the web sign-in page (valid 10 minutes)
      web hide             do not list me on the public web page while I play
      web show             list me again
      web logout           sign out of every browser

    The code works once; web login again replaces it. Nobody else can see it.
    """
    name = ctx.player.name
    word = args.strip().lower()
    if word == "login":
        code = ctx.web.issue_code(name)
        ctx.audit.record(name, "web-login-code", name, "player asked for a web sign-in code")
        return Reply(
            Kind.SYSTEM,
            f"Your web sign-in code is {code}. Within 10 minutes, open the web page's "
            f"Sign in, type the name {name} and this code. It works once.",
        )
    if word in ("hide", "show"):
        ctx.web.set_listed(name, word == "show")
        if word == "hide":
            return Reply.info("The public web page no longer lists you as online.")
        return Reply.info("The public web page lists you as online again while you play.")
    if word == "logout":
        ended = ctx.web.close_all(name)
        return Reply.info(f"Signed out of {ended} browser{'s' if ended != 1 else ''}.")
    if word:
        return Reply.error("Usage: web, web login, web hide, web show, or web logout.")
    listed = "lists you" if ctx.web.listed(name) else "does not list you"
    count = ctx.web.sessions_of(name)
    return Reply.info(
        f"The public web page {listed} as online. You are signed in on "
        f"{count} browser{'s' if count != 1 else ''}. Type web login for a sign-in code."
    )
