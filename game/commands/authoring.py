"""Commands for people who write the world: reload it live, watch its files."""

from __future__ import annotations

from game.commands.base import Context, Result, command
from game.core.reply import Reply


@command("reload", role="admin", category="admin")
def reload(ctx: Context, args: str) -> Result:
    """Reload the world from its YAML files without disconnecting anyone.

    The whole tree is checked first; with any error nothing changes and you see every
    problem as path:line:col. Otherwise you see what was added, changed and removed.
    The watcher reloads by itself whenever a content file changes.

    Usage:
      reload
      reload status
      reload watch on
      reload watch off
    """
    words = args.lower().split()
    if words == ["status"]:
        watcher = ctx.content_watcher
        lines = [
            f"Watching content files: {'on' if watcher.enabled else 'off'}.",
            f"A reload is running now: {'yes' if watcher.busy else 'no'}.",
        ]
        last = [row for row in ctx.audit.recent(50) if row.action == "reload"][:1]
        lines.append(f"Last reload: {last[0].line()}" if last else "No reload since the start.")
        if watcher.last is not None:  # its whole outcome: the diff, or every error
            lines.extend(watcher.last.summary().split("\n"))
        return Reply.info("\n".join(lines))
    if not words:
        result = ctx.content_watcher.reload(ctx.player.name)
        return Reply.info(result.summary()) if result.ok else Reply.error(result.summary())
    watcher = ctx.content_watcher
    if words == ["watch", "on"]:
        watcher.enable(ctx.player.name)
        return Reply.info("Watching content files: any change is checked and reloaded.")
    if words == ["watch", "off"]:
        watcher.disable()
        return Reply.info("No longer watching content files.")
    return Reply.error("Usage: reload, reload status, reload watch on, or reload watch off.")
