"""Capability checks, rate limits, audit and handler timeouts."""

from __future__ import annotations

from bridge.bus import EventBus
from bridge.gate import AuditRecord, RateLimit, RequestGate, TokenBucket
from bridge.plugin import PluginContext
from bridge.requests import ChargeTokens, GrantTokens, MessagePlayer
from tests.bridge.fakes import FakeClock, FakeGame


def make_gate(game: FakeGame, clock: FakeClock, timeout: float = 5.0):
    audit: list[AuditRecord] = []
    return RequestGate(game, clock=clock, audit=audit.append, timeout=timeout), audit


def make_ctx(gate: RequestGate, game: FakeGame, clock: FakeClock, caps: set[str]):
    return PluginContext(
        name="bot",
        state=game,
        bus=EventBus(),
        gate=gate,
        capabilities=frozenset(caps),
        limit=RateLimit(1.0, 2),
        settings={},
        clock=clock,
        queue_size=10,
        on_task_failed=lambda exc: None,
    )


async def test_denied_request_never_reaches_handler(game: FakeGame, clock: FakeClock) -> None:
    gate, audit = make_gate(game, clock)
    ctx = make_ctx(gate, game, clock, {"message"})
    result = await ctx.request(GrantTokens("ana", 10, "gift"))
    assert not result.ok
    assert result.outcome == "denied"
    assert "tokens.grant" in result.detail
    assert game.calls == []
    assert [(a.principal, a.outcome) for a in audit] == [("bot", "denied")]


async def test_allowed_request_is_applied_and_audited(game: FakeGame, clock: FakeClock) -> None:
    gate, audit = make_gate(game, clock)
    ctx = make_ctx(gate, game, clock, {"tokens.grant"})
    result = await ctx.request(GrantTokens("ana", 10, "gift"))
    assert result.ok
    assert result.data == {"balance": 510}
    assert game.calls == [("bot", GrantTokens("ana", 10, "gift"))]
    assert audit[0].outcome == "ok"
    assert audit[0].ts == clock.now


async def test_game_refusal_is_reported(game: FakeGame, clock: FakeClock) -> None:
    gate, audit = make_gate(game, clock)
    ctx = make_ctx(gate, game, clock, {"tokens.charge"})
    result = await ctx.request(ChargeTokens("bo", 999, "fee"))
    assert (result.ok, result.outcome, result.detail) == (False, "refused", "insufficient funds")
    assert audit[0].outcome == "refused"


async def test_rate_limit_with_injected_clock(game: FakeGame, clock: FakeClock) -> None:
    gate, audit = make_gate(game, clock)
    ctx = make_ctx(gate, game, clock, {"message"})
    req = MessagePlayer("ana", "hi")
    outcomes = [(await ctx.request(req)).outcome for _ in range(3)]
    assert outcomes == ["ok", "ok", "rate-limited"]
    limited = await ctx.request(req)
    assert limited.data["retry_after"] == 1.0
    clock.advance(1.0)
    assert (await ctx.request(req)).ok
    assert len(game.calls) == 3
    assert len(audit) == 5


def test_token_bucket_refills_to_burst() -> None:
    clock = FakeClock()
    bucket = TokenBucket(RateLimit(rate=2.0, burst=3), clock)
    assert [bucket.take() for _ in range(4)] == [0.0, 0.0, 0.0, 0.5]
    clock.advance(100)
    assert [bucket.take() == 0.0 for _ in range(4)] == [True, True, True, False]


async def test_request_as_narrows_capabilities(game: FakeGame, clock: FakeClock) -> None:
    gate, _audit = make_gate(game, clock)
    ctx = make_ctx(gate, game, clock, {"message"})
    denied = await ctx.request_as("ext", GrantTokens("ana", 1, "x"), {"tokens.grant"})
    assert denied.outcome == "denied"
    assert "'bot/ext'" in denied.detail
    ok = await ctx.request_as("ext", MessagePlayer("ana", "hi"), {"message", "tokens.grant"})
    assert ok.ok
    assert game.calls == [("bot/ext", MessagePlayer("ana", "hi"))]


async def test_handler_timeout_and_crash_are_contained(game: FakeGame, clock: FakeClock) -> None:
    gate, audit = make_gate(game, clock, timeout=0.05)
    ctx = make_ctx(gate, game, clock, {"message"})
    game.hang = True
    assert (await ctx.request(MessagePlayer("ana", "hi"))).outcome == "timeout"
    game.hang, game.explode = False, True
    result = await ctx.request(MessagePlayer("ana", "hi"))
    assert (result.outcome, result.detail) == ("error", "the game failed: RuntimeError")
    assert [a.outcome for a in audit] == ["timeout", "error"]


async def test_audit_failure_does_not_break_requests(game: FakeGame, clock: FakeClock) -> None:
    def broken(record: AuditRecord) -> None:
        raise OSError("disk full")

    gate = RequestGate(game, clock=clock, audit=broken)
    ctx = make_ctx(gate, game, clock, {"message"})
    assert (await ctx.request(MessagePlayer("ana", "hi"))).ok


async def test_closed_context_refuses(game: FakeGame, clock: FakeClock) -> None:
    gate, audit = make_gate(game, clock)
    ctx = make_ctx(gate, game, clock, {"message"})
    ctx.close()
    result = await ctx.request(MessagePlayer("ana", "hi"))
    assert (result.outcome, game.calls) == ("denied", [])
    assert audit[0].detail == "plugin 'bot' is stopped"
