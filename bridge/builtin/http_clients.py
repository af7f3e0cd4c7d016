"""Who may use the HTTP API: registration, admin approval and bearer tokens.

Registration is trust-on-first-use per client name, with an admin in the loop:

* a name pre-approved in settings gets a token at once (``200``);
* any other name gets ``202`` and a one-time ``claim`` secret; once an admin calls
  ``approve(name)`` the client repeats ``POST /register`` with its claim and gets a token;
* a name that already holds a token cannot register again (``409``) until an admin
  ``revoke``s it, so a second process cannot take over a client's identity.

Tokens and claims are random (``secrets``) and only their SHA-256 is kept. Tokens live as
long as the plugin instance: a restart means clients register again.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from bridge.requests import REQUEST_CAPABILITIES

#: Read scopes that only mean something to HTTP clients.
READ_SCOPES = frozenset({"state.balances", "events.private"})
CLIENT_CAPABILITIES = REQUEST_CAPABILITIES | READ_SCOPES
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{1,31}")


class RegistrationError(Exception):
    """A refused registration, with the HTTP status and error code to send."""

    def __init__(self, status: int, error: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail = status, error, detail


@dataclass
class Client:
    """One registered (or pending) client."""

    name: str
    language: str = ""
    capabilities: frozenset[str] = frozenset()
    approved: bool = False
    token_hash: str | None = None
    claim_hash: str | None = None


@dataclass(frozen=True)
class Registration:
    """The answer to ``POST /register``: a token, or a pending claim."""

    status: str  # "approved" or "pending"
    client: Client
    token: str | None = None
    claim: str | None = None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_client_caps(where: str, caps: object) -> frozenset[str]:
    """Validate a capability list from settings; unknown names are a config error."""
    if not isinstance(caps, list) or not all(isinstance(c, str) for c in caps):
        raise ValueError(f"{where} must be a list of strings")
    unknown = sorted(set(caps) - CLIENT_CAPABILITIES)
    if unknown:
        raise ValueError(f"{where}: unknown {unknown}; known: {sorted(CLIENT_CAPABILITIES)}")
    return frozenset(caps)


class ClientRegistry:
    """Registered clients of one HTTP plugin instance."""

    def __init__(
        self,
        preapproved: Mapping[str, Collection[str]],
        *,
        default_capabilities: Collection[str] = (),
        allow_pending: bool = True,
        max_pending: int = 50,
        secret: Callable[[], str] = lambda: secrets.token_urlsafe(32),
    ) -> None:
        self._clients: dict[str, Client] = {
            n.lower(): Client(n, capabilities=frozenset(c), approved=True)
            for n, c in preapproved.items()
        }
        self._by_token: dict[str, Client] = {}
        self._default = frozenset(default_capabilities)
        self._allow_pending = allow_pending
        self._max_pending = max_pending
        self._secret = secret

    def register(self, name: str, language: str, claim: str | None) -> Registration:
        """Register ``name`` (see the module docstring); raises ``RegistrationError``."""
        if not NAME.fullmatch(name):
            raise RegistrationError(400, "invalid-body", f"bad client name {name!r}")
        client = self._clients.get(name.lower())
        if client is not None and client.token_hash is not None:
            raise RegistrationError(409, "already-registered", f"{name!r} holds a token")
        if client is None:
            return self._new_pending(name, language)
        if client.claim_hash is not None and (
            claim is None or not secrets.compare_digest(_digest(claim), client.claim_hash)
        ):
            raise RegistrationError(409, "name-pending", f"{name!r} is claimed by another")
        client.language = language
        if not client.approved:
            return Registration("pending", client)
        token = self._secret()
        client.token_hash, client.claim_hash = _digest(token), None
        self._by_token[client.token_hash] = client
        return Registration("approved", client, token=token)

    def _new_pending(self, name: str, language: str) -> Registration:
        if not self._allow_pending:
            raise RegistrationError(403, "registration-closed", f"{name!r} is not pre-approved")
        if len(self.pending()) >= self._max_pending:
            raise RegistrationError(429, "too-many-pending", "ask an admin to approve or revoke")
        claim = self._secret()
        client = Client(name, language, claim_hash=_digest(claim))
        self._clients[name.lower()] = client
        return Registration("pending", client, claim=claim)

    def approve(self, name: str, capabilities: Collection[str] | None = None) -> bool:
        """Admin: let ``name`` have a token (also pre-approves a name not yet seen)."""
        if not NAME.fullmatch(name):
            return False
        caps = self._default if capabilities is None else frozenset(capabilities)
        unknown = caps - CLIENT_CAPABILITIES
        if unknown:
            raise ValueError(f"unknown capabilities {sorted(unknown)}")
        client = self._clients.setdefault(name.lower(), Client(name))
        client.approved, client.capabilities = True, caps
        return True

    def revoke(self, name: str) -> bool:
        """Admin: forget ``name`` and invalidate its token."""
        client = self._clients.pop(name.lower(), None)
        if client is None:
            return False
        if client.token_hash is not None:
            self._by_token.pop(client.token_hash, None)
        return True

    def pending(self) -> list[str]:
        """Names waiting for approval, for the admin console."""
        return sorted(c.name for c in self._clients.values() if not c.approved)

    def clients(self) -> list[dict[str, Any]]:
        """Every known client (never its secrets), for the admin console."""
        return [
            {
                "name": c.name,
                "language": c.language,
                "approved": c.approved,
                "has_token": c.token_hash is not None,
                "capabilities": sorted(c.capabilities),
            }
            for c in sorted(self._clients.values(), key=lambda c: c.name.lower())
        ]

    def authenticate(self, token: str) -> Client | None:
        """The client holding ``token``, or ``None``."""
        return self._by_token.get(_digest(token))
