"""Managing the SSH keys that can log in as you."""

from __future__ import annotations

import datetime as dt

from game.commands.base import Context, Result, command
from game.core.numbers import BadNumber, whole_number
from game.core.reply import Kind, Reply
from game.services.keylink import LINK_TTL_MS, code_hash, new_code


def _short(fingerprint: str) -> str:
    """``SHA256:abcdef...`` -> ``SHA256:abcdefgh``: enough to tell keys apart, readable aloud."""
    kind, _, digest = fingerprint.partition(":")
    return f"{kind}:{digest[:8]}" if digest else fingerprint[:16]


@command("keys", category="account")
def keys(ctx: Context, args: str) -> Result:
    """List, add or remove the SSH keys that can log in as you.

    Usage:
      keys                 list your keys, numbered
      keys link            get a one-time code to add another key (valid 10 minutes)
      keys revoke <n>      stop key number n from logging in

    To add a key: type keys link here, then log in as yourself with the new key; you are
    asked for the code once, and the key is yours from then on.
    """
    store, name = ctx.store, ctx.player.name
    verb, _, rest = args.strip().partition(" ")
    rows = store.key_rows(name)
    if not verb:
        if not rows:
            return Reply.info("You log in with a password; no SSH keys are linked. Type keys link.")
        lines = [f"{len(rows)} key{'s' if len(rows) != 1 else ''} can log in as you:"]
        for n, (fingerprint, added) in enumerate(rows, 1):
            day = dt.datetime.fromtimestamp(added / 1000, dt.UTC).strftime("%Y-%m-%d")
            lines.append(f"{n}. {_short(fingerprint)}, added {day}")
        return Reply.info("\n".join(lines))
    if verb == "link":
        code = new_code()
        store.set_link_code(name, code_hash(code), ctx.clock() + LINK_TTL_MS)
        ctx.audit.record(name, "key-link-code", name, "player asked for a link code")
        return Reply(
            Kind.SYSTEM,
            f"Your link code is {code}. Within 10 minutes, log in as {name} with the new key "
            "and type the code when asked. The code works once; keys link again replaces it.",
        )
    if verb == "revoke":
        if not rows:
            return Reply.error("You have no SSH keys to revoke (see keys).")
        try:
            number = whole_number(rest.strip(), high=len(rows), what="key number")
        except BadNumber as exc:
            return Reply.error(
                f"{exc} Usage: keys revoke <n>, with n from 1 to {len(rows)} (see keys)."
            )
        fingerprint = rows[number - 1][0]
        account = store.account(name)
        if len(rows) == 1 and (account is None or account.password_hash is None):
            return Reply.error(
                "That is your only way to log in. Link another key first (keys link)."
            )
        store.remove_key(name, fingerprint)
        ctx.audit.record(name, "key-revoke", name, "player revoked a key", fingerprint)
        return Reply.info(f"Key {number} ({_short(fingerprint)}) can no longer log in as you.")
    return Reply.error("Usage: keys, keys link, or keys revoke <n>.")
