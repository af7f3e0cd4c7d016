"""Admin commands for accounts and the server: tier, role, the console, broadcast, reload,
reports, audit and server health.

Like the player commands in ``admin.py`` these are plain lines, so a screen-reader admin
never needs the full-screen console; the console's tabs show the same facts.
"""

from __future__ import annotations

from game.commands.admin import account_name
from game.commands.base import ROLES, Context, Result, command
from game.core.numbers import BadNumber, numeric, whole_number
from game.core.reply import Kind, Reply
from game.services import reports
from game.services.metrics import Metrics, process_usage
from game.services.presence import Online

OPEN_ADMIN = "sshrealm:open-admin-console"
"""``Reply.data`` that asks the TUI to push the admin screen."""


@command("admin", role="admin", category="admin")
def admin(ctx: Context, args: str) -> Result:
    """Open the admin console (full-screen UI; F9 also opens it). In line mode, list the
    admin commands instead.

    Usage:
      admin
    """
    if ctx.session.kind == "tui":
        return Reply(Kind.SYSTEM, "Opening the admin console. Escape closes it.", OPEN_ADMIN)
    specs = [s for s in ctx.registry.visible("admin") if s.category == "admin"]
    lines = ["Admin commands (help <command> for details):"]
    lines.extend(f"{s.name}: {s.summary}" for s in specs)
    return Reply(Kind.HELP, "\n".join(lines))


@command("@broadcast", "@wall", role="admin", category="admin")
def at_broadcast(ctx: Context, args: str) -> Result:
    """Send a message to every connected player.

    Usage:
      @broadcast <message>
    """
    text = args.strip()
    if not text:
        return Reply.error("Broadcast what? Usage: @broadcast <message>")
    ctx.audit.record(ctx.player.name, "broadcast", "", "", text)
    ctx.outbox.tell_all(*[Reply(Kind.SYSTEM, f"[Admin {ctx.player.name}] {text}")])
    n = len(ctx.online)
    return Reply.info(f"Broadcast sent to {n} session{'s' if n != 1 else ''}.")


@command("@restart", role="admin", category="admin")
def at_restart(ctx: Context, args: str) -> Result:
    """Restart the world under its players: a scaled-out world (``sshrealm world``) stops and
    its supervisor starts it again (new code, new settings); players stay connected to
    their gateways, read that the world is restarting, and what they type meanwhile runs
    when it is back. The all-in-one server cannot do this (it would disconnect everyone).

    Usage:
      @restart [reason]
    """
    if ctx.restart is None:
        return Reply.error(
            "Only the world of a scaled-out cluster (sshrealm world) restarts under its "
            "players; this server would disconnect everyone. Stop it with SIGTERM instead."
        )
    ctx.audit.record(ctx.player.name, "restart", "", args.strip())
    ctx.restart()  # the world stops after this command's reply has gone out
    return Reply(Kind.SYSTEM, "The world restarts now. Players stay connected.")


@command("@reload", role="builder", category="admin")
def at_reload(ctx: Context, args: str) -> Result:
    """Reload the world's YAML from disk and show what changed. Players stay connected.

    Usage:
      @reload
    Problems in the YAML are listed with file:line:col and nothing is changed.
    """
    result = ctx.content_watcher.reload(ctx.player.name)
    text = result.summary()
    if not result.pending:  # a background reload audits its outcome
        ctx.audit.record(ctx.player.name, "reload", "content", "", text.split("\n", 1)[0])
    return Reply.info(text) if result.ok else Reply.error(text)


@command("@report", role="admin", category="admin")
def at_report(ctx: Context, args: str) -> Result:
    """Read the latest economy report (Domingo) or growth report (Cal): one fact per line in
    line mode, tables in the full-screen UI.

    Usage:
      @report economy
      @report growth
    """
    kind = args.strip().lower() or "economy"
    if kind not in reports.ANALYSTS:
        return Reply.error("Usage: @report economy, or @report growth")
    latest = ctx.reports.latest(kind)
    view = reports.view(kind, latest)  # the full-screen UI draws its tables as tables
    return Reply(Kind.INFO, "\n".join(view.lines()), view)


@command("@audit", role="admin", category="admin")
def at_audit(ctx: Context, args: str) -> Result:
    """Show the newest admin audit entries, optionally only those by or about one name.

    Usage:
      @audit
      @audit <name>
      @audit <name> <count>
    """
    words = args.split()
    count = 20
    if words and numeric(words[-1]):
        try:
            count = whole_number(words.pop(), low=1, high=200, what="count")
        except BadNumber as exc:
            return Reply.error(str(exc))
    who = words[0] if words else None
    rows = ctx.audit.recent(count, who=who)
    if not rows:
        return Reply.info("No audit entries" + (f" for {who}." if who else "."))
    return Reply.info("\n".join(row.line() for row in rows))


def server_lines(metrics: Metrics, online: Online) -> list[str]:
    """Facts for @server and the console's Server tab, one per line."""
    kinds = [s.kind for s in online]
    rss, cpu = process_usage()
    lines = [
        f"Sessions: {len(kinds)} ({kinds.count('tui')} full-screen, {kinds.count('line')} line).",
        f"Memory: {rss / 1_048_576:.1f} MiB resident. CPU time: {cpu:.1f} s.",
        f"Event-loop lag: {metrics.loop_lag_s * 1000:.1f} ms.",
    ]
    pcts = [metrics.latency.percentile(p) for p in (50, 95, 99)]
    if pcts[0] is None:
        lines.append("Command latency: no commands yet.")
    else:
        p50, p95, p99 = (f"{(p or 0) * 1000:.2f}" for p in pcts)
        lines.append(f"Command latency ms: p50 {p50}, p95 {p95}, p99 {p99}.")
    plugins = list(metrics.plugins())
    if not plugins:
        lines.append("Plugins: none loaded.")
    for p in plugins:
        extra = f", last error: {p.last_error}" if p.last_error else ""
        lines.append(f"Plugin {p.name}: {p.state}, {p.errors} errors{extra}.")
    return lines


@command("@server", role="admin", category="admin")
def at_server(ctx: Context, args: str) -> Result:
    """Show server health: sessions, memory, CPU, event-loop lag, latency, plugins.

    Usage:
      @server
    """
    return Reply.info("\n".join(server_lines(ctx.metrics, ctx.online)))


@command("@tier", role="admin", category="admin")
def at_tier(ctx: Context, args: str) -> Result:
    """Set a player's tier: premium for some days, or free again.

    Usage:
      @tier <name> premium <days> <reason>
      @tier <name> free <reason>
    """
    words = args.split()
    usage = "Usage: @tier <name> premium <days> <reason>, or @tier <name> free <reason>"
    if len(words) < 3 or words[1].lower() not in ("premium", "free"):
        return Reply.error(usage)
    target = account_name(ctx, words[0])
    if target is None:
        return Reply.error(f"There is no account named {words[0]!r}. Nothing was done.")
    tier = words[1].lower()
    days: int | None = None
    if tier == "premium":
        try:
            days = whole_number(words[2] if len(words) >= 4 else "", high=3650, what="days")
        except BadNumber:
            return Reply.error("Give the days as a whole number from 1 to 3650. " + usage)
        reason = " ".join(words[3:])
        said = f"premium for {days} day{'s' if days != 1 else ''}"
    else:
        reason, said = " ".join(words[2:]), "free"
    with ctx.ledger.atomic():  # the tier and its audit row, together
        ctx.premium.set_tier(target, tier, days)
        ctx.audit.record(
            ctx.player.name, "tier", target, reason, f"premium {days}d" if days else "free"
        )
    ctx.to_player(target, Reply.info(f"An admin set your tier to {said}: {reason}"))
    return Reply.info(f"{target} is now {said}.")


@command("@role", role="admin", category="admin")
def at_role(ctx: Context, args: str) -> Result:
    """Make an account a player, a builder or an admin.

    Usage:
      @role <name> player|builder|admin
    """
    words = args.split()
    if len(words) != 2 or words[1].lower() not in ROLES:
        return Reply.error("Usage: @role <name> player|builder|admin")
    target = account_name(ctx, words[0])
    if target is None:
        return Reply.error(f"There is no account named {words[0]!r}. Nothing was done.")
    role = words[1].lower()
    if target.lower() == ctx.player.key and role != "admin":
        return Reply.error("You cannot remove your own admin role. Ask another admin.")
    with ctx.ledger.atomic():
        ctx.store.set_role(target, role)
        ctx.audit.record(ctx.player.name, "role", target, "", role)
    online = ctx.world.find_online(target)
    if online is not None:
        was, online.role = online.role, role
        ctx.outbox.on_rollback(lambda: setattr(online, "role", was))
    article = "an" if role == "admin" else "a"
    ctx.to_player(target, Reply.info(f"An admin made you {article} {role}."))
    return Reply.info(f"{target} is now {article} {role}.")
