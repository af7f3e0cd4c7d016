"""The admin console's control of HTTP bridge clients: ``@bridge``.

It works on the same client store as ``sshrealm bridge`` (the shell commands), so an admin
can issue, rotate, approve and revoke credentials from inside the game. Every change is in
the admin audit log; a registration code is shown only to the admin who asked for it.
"""

from __future__ import annotations

from bridge.builtin.http_clients import CLIENT_CAPABILITIES, ClientRegistry
from game.commands.base import Context, Result, command
from game.core.reply import Reply
from game.services.bridge_settings import client_registry, grant_notes

USAGE = (
    "Usage: @bridge | @bridge add <name> [capability ...] | @bridge rotate <name> | "
    "@bridge approve <name> [capability ...] | @bridge revoke <name>"
)


def _listing(registry: ClientRegistry) -> Reply:
    clients = registry.clients()
    if not clients:
        return Reply.info("No bridge clients. Add one with @bridge add <name> [capability ...].")
    lines = [f"Bridge clients ({len(clients)}):"]
    for c in clients:
        state = "pending" if not c.approved else ("has a token" if c.has_token else "code issued")
        lines.append(f"{c.name}: {state}; {', '.join(sorted(c.capabilities)) or 'no grants'}.")
    return Reply.info("\n".join(lines))


@command("@bridge", role="admin", category="admin")
def at_bridge(ctx: Context, args: str) -> Result:
    """List, add, rotate, approve or revoke the HTTP bridge's clients.

    ``add`` and ``rotate`` show a one-time registration code (to you only): the client sends
    it with POST /register and gets its token. ``rotate`` ends the old token at once.

    Usage:
      @bridge
      @bridge add <name> [capability ...]
      @bridge rotate <name>
      @bridge approve <name> [capability ...]
      @bridge revoke <name>
    """
    words = args.split()
    if words and (len(words) < 2 or words[0].lower() not in ("add", "rotate", "approve", "revoke")):
        return Reply.error(USAGE)
    caps = words[2:]
    unknown = sorted(set(caps) - CLIENT_CAPABILITIES)
    if unknown:
        known = ", ".join(sorted(CLIENT_CAPABILITIES))
        return Reply.error(f"Unknown capability {', '.join(unknown)}. Known: {known}.")
    registry = client_registry(ctx.settings)
    try:
        if not words:
            return _listing(registry)
        action, name = words[0].lower(), words[1]
        known_names = {c.name.lower(): c for c in registry.clients()}
        if action == "add" or action == "rotate":
            current = known_names.get(name.lower())
            if action == "rotate" and (current is None or not current.approved):
                return Reply.error(f"No approved client named {name}. Nothing was done.")
            try:
                code = registry.add(name, caps or None)
            except ValueError as exc:
                return Reply.error(f"{exc}. Nothing was done.")
            ctx.audit.record(ctx.player.name, f"bridge-{action}", name, "", " ".join(caps))
            granted = next(
                c.capabilities for c in registry.clients() if c.name.lower() == name.lower()
            )
            notes = grant_notes(ctx.settings, granted)
            return Reply.info(
                f"Registration code for {name} (shown once, valid 24 hours): {code}\n"
                "The client sends it with POST /register and keeps the token it gets."
                + "".join("\n" + note for note in notes)
            )
        if action == "approve":
            if not registry.approve(name, caps or None):
                return Reply.error(f"No pending client named {name}. Nothing was done.")
            ctx.audit.record(ctx.player.name, "bridge-approve", name, "", " ".join(caps))
            return Reply.info(f"{name} is approved; it gets its token at its next registration.")
        if not registry.revoke(name):
            return Reply.error(f"No client named {name}. Nothing was done.")
        ctx.audit.record(ctx.player.name, "bridge-revoke", name)
        return Reply.info(f"{name} is revoked: its token no longer works.")
    finally:
        registry.close()
