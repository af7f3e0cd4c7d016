"""A tiny in-memory game for bridge tests: a StateView and a RequestHandler."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bridge.requests import (
    ChargeTokens,
    GrantTokens,
    GrantUnlock,
    MessagePlayer,
    PostToRoom,
    Request,
    RequestResult,
)
from bridge.state import PlayerInfo, Progress


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeGame:
    """Implements StateView and RequestHandler over a dict of players."""

    def __init__(self) -> None:
        self.players_by_name = {
            "ana": PlayerInfo(
                "ana",
                True,
                "hall",
                500,
                "premium",
                "player",
                Progress({"mining": 3}, ("first-steps",), ("map",)),
            ),
            "bo": PlayerInfo("bo", False, None, 20, "free"),
        }
        self.calls: list[tuple[str, Request]] = []
        self.messages: list[tuple[str, str]] = []
        self.hang = False
        self.explode = False

    # StateView
    def players(self) -> list[PlayerInfo]:
        return [self.players_by_name[n] for n in sorted(self.players_by_name)]

    def player(self, name: str) -> PlayerInfo | None:
        return self.players_by_name.get(name.lower())

    # RequestHandler
    async def apply(self, plugin: str, request: Request) -> RequestResult:
        self.calls.append((plugin, request))
        if self.hang:
            await asyncio.Event().wait()
        if self.explode:
            raise RuntimeError("ledger on fire")
        target = getattr(request, "player", None)
        info = self.players_by_name.get(target) if target else None
        if target and info is None:
            return RequestResult(False, f"no player {target!r}")
        if isinstance(request, GrantTokens | ChargeTokens):
            assert info is not None
            sign = 1 if isinstance(request, GrantTokens) else -1
            balance = info.balance + sign * request.amount
            if balance < 0:
                return RequestResult(False, "insufficient funds")
            self.players_by_name[info.name] = replace(info, balance=balance)
            return RequestResult(True, "done", data={"balance": balance})
        if isinstance(request, GrantUnlock):
            assert info is not None
            progress = replace(info.progress, unlocks=(*info.progress.unlocks, request.unlock))
            self.players_by_name[info.name] = replace(info, progress=progress)
        if isinstance(request, MessagePlayer | PostToRoom):
            where = request.player if isinstance(request, MessagePlayer) else request.room
            self.messages.append((where, request.text))
        return RequestResult(True, "done")
