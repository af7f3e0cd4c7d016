"""One connection's GMCP and MSDP: what was last sent, what the client wants, when to send.

A package is sent when its value changes, never again for an unchanged value (a prompt
or a room panel refresh with the same room sends nothing). Comm.Channel.Text is an event,
sent each time. When the client turns GMCP on after values exist (a client negotiating
late), every current value is sent once.

GMCP: a client that sends ``Core.Supports.Set`` gets only the modules it lists
(``Char`` covers ``Char.Status``; ``Char.Items`` covers ``Char.Items.Inv``); a client
that never sends it gets everything. MSDP follows its spec: the client ``REPORT``s the
variables it wants sent on change, ``SEND``s for one value now, and ``LIST``s what exists.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from game.fronts.telnet.gmcp import MSDP_COMMANDS, MSDP_FROM, msdp_values

SendGmcp = Callable[[str, Any], None]
SendMsdp = Callable[[dict[str, Any]], None]
EVENTS = frozenset({"Comm.Channel.Text"})
LISTS = (
    "COMMANDS",
    "LISTS",
    "REPORTABLE_VARIABLES",
    "REPORTED_VARIABLES",
    "SENDABLE_VARIABLES",
)


class Outband:
    def __init__(self, send_gmcp: SendGmcp, send_msdp: SendMsdp) -> None:
        self._send_gmcp = send_gmcp
        self._send_msdp = send_msdp
        self.gmcp = False  # the client agreed (DO GMCP)
        self.msdp = False  # the client agreed (DO MSDP)
        self.values: dict[str, Any] = {}  # package -> its last value
        self._shown: dict[str, str] = {}  # package -> the JSON last sent
        self.supports: set[str] | None = None  # None: the client never said; send all
        self.reported: set[str] = set()  # MSDP variables to send on change
        self.client = ""  # from Core.Hello: "Mudlet 4.17"

    # -- from the game -------------------------------------------------------------------------
    def put(self, package: str, data: Any) -> None:
        """A package's value now; sent if it changed (events: always)."""
        if package not in EVENTS:
            shown = json.dumps(data, sort_keys=True, separators=(",", ":"))
            if self._shown.get(package) == shown:
                return
            self._shown[package] = shown
            self.values[package] = data
        if self.gmcp and self._wanted(package):
            self._send_gmcp(package, data)
        if self.msdp:
            changed = {v: x for v, x in msdp_values(package, data).items() if v in self.reported}
            if changed:
                self._send_msdp(changed)

    def _wanted(self, package: str) -> bool:
        if self.supports is None or package.startswith("Core."):
            return True
        parts = package.lower().split(".")
        return any(".".join(parts[:n]) in self.supports for n in range(1, len(parts) + 1))

    # -- from the client -----------------------------------------------------------------------
    def gmcp_on(self) -> None:
        self.gmcp = True
        for package, data in list(self.values.items()):
            if self._wanted(package):
                self._send_gmcp(package, data)

    def msdp_on(self) -> None:
        self.msdp = True

    def gmcp_in(self, package: str, data: Any) -> None:
        """A client message: Core.Hello, Core.Supports.Set/Add/Remove; others are ignored."""
        name = package.lower()
        if name == "core.hello" and isinstance(data, dict):
            self.client = " ".join(str(data.get(k, ""))[:40] for k in ("client", "version"))
        elif name.startswith("core.supports.") and isinstance(data, list):
            modules = {str(m).split(" ")[0].lower() for m in data[:100]}
            if name == "core.supports.set":
                self.supports = modules
            elif name == "core.supports.add":
                self.supports = (self.supports or set()) | modules
            elif name == "core.supports.remove" and self.supports is not None:
                self.supports -= modules

    def msdp_in(self, variables: dict[str, Any]) -> None:
        """MSDP commands: LIST, REPORT, UNREPORT, SEND, RESET."""
        for command, value in variables.items():
            names = [str(v) for v in value] if isinstance(value, list) else [str(value)]
            if command == "LIST":
                self._list(names)
            elif command == "REPORT":
                known = [n for n in names if n in MSDP_FROM]
                self.reported.update(known)
                self._send_current(known)
            elif command == "UNREPORT":
                self.reported.difference_update(names)
            elif command == "SEND":
                self._send_current(names)
            elif command == "RESET":
                self.reported.clear()

    def _list(self, names: list[str]) -> None:
        variables = sorted(MSDP_FROM)
        lists = {
            "COMMANDS": list(MSDP_COMMANDS),
            "LISTS": [*LISTS],
            "REPORTABLE_VARIABLES": variables,
            "SENDABLE_VARIABLES": variables,
            "REPORTED_VARIABLES": sorted(self.reported),
        }
        found = {n: lists[n] for n in names if n in lists}
        if found:
            self._send_msdp(found)

    def _send_current(self, names: list[str]) -> None:
        now: dict[str, Any] = {}
        for name in names:
            if name in MSDP_FROM:
                package, read = MSDP_FROM[name]
                if package in self.values:
                    now[name] = read(self.values[package])
        if now:
            self._send_msdp(now)
