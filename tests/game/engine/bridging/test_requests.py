"""GameRequests: every request type applied by the real handler to a real Game, including
each refusal, which must change nothing."""

from __future__ import annotations

import pytest

from bridge.bus import EventBus
from bridge.config import BridgeConfig, PluginConfig
from bridge.events import Event, TokensCharged, TokensCredited, UnlockGranted
from bridge.plugin import PluginContext
from bridge.registry import PluginHost
from bridge.requests import (
    ChargeTokens,
    GrantTokens,
    GrantUnlock,
    MessagePlayer,
    PostToRoom,
)
from economy import Reason
from game.core.reply import Kind
from game.engine.bridge_requests import GameRequests, idem_key
from game.engine.bridging import GameState
from game.engine.game import Game
from tests.conftest import join, run


def events(game: Game) -> list[Event]:
    seen: list[Event] = []
    game.listeners.append(seen.append)
    return seen


async def test_request_message_reaches_only_that_player(game: Game) -> None:
    _, ana = join(game, "ana")
    _, bob = join(game, "bob")
    ana.clear(), bob.clear()
    result = await GameRequests(game).apply("http/quiz-bot", MessagePlayer("ANA", "Hi\x1b[2J!"))
    assert result.ok
    assert result.outcome == "ok"
    assert [(r.kind, r.text) for r in ana.replies] == [(Kind.SYSTEM, "[quiz-bot via bridge] Hi!")]
    assert bob.replies == []


async def test_request_message_refused_when_offline_or_unknown(game: Game) -> None:
    ana_session, _ana = join(game, "ana")
    game.disconnect(ana_session)
    handler = GameRequests(game)
    result = await handler.apply("greeter", MessagePlayer("ana", "hello"))
    assert not result.ok
    assert result.outcome == "refused"
    assert "not online" in result.detail
    unknown = await handler.apply("greeter", MessagePlayer("nobody", "hello"))
    assert not unknown.ok
    assert "no player named nobody" in unknown.detail


async def test_request_post_reaches_everyone_in_the_room(game: Game) -> None:
    ana_session, ana = join(game, "ana")
    _, bob = join(game, "bob")
    run(ana_session, "go north")
    ana.clear(), bob.clear()
    result = await GameRequests(game).apply("bell", PostToRoom("town:square", "A bell rings."))
    assert result.ok
    assert result.data == {"players": 1}
    assert bob.text == "[bell via bridge] A bell rings."
    assert ana.text == ""


async def test_request_post_refused_for_unknown_room(game: Game) -> None:
    _, ana = join(game, "ana")
    ana.clear()
    result = await GameRequests(game).apply("bell", PostToRoom("town:nowhere", "A bell rings."))
    assert not result.ok
    assert result.detail == "no room named town:nowhere"
    assert ana.replies == []


async def test_request_grant_credits_tells_player_and_publishes_reason(game: Game) -> None:
    _, ana = join(game, "ana")
    ana.clear()
    seen = events(game)
    start = game.wallet.balance("ana")  # new players may get a welcome grant
    result = await GameRequests(game).apply("http/contest", GrantTokens("ana", 100, "contest"))
    assert result.ok
    assert result.data["balance"] == start + 100
    assert game.wallet.balance("ana") == start + 100
    assert ana.text == f"contest gave you 100 tokens (contest). You have {start + 100}."
    assert ana.statuses[-1].tokens == start + 100
    credited = [e for e in seen if isinstance(e, TokensCredited)]
    assert [(e.player, e.amount, e.reason, e.balance) for e in credited] == [
        ("ana", 100, "contest", start + 100)
    ]
    row = game.conn.execute("SELECT code, memo FROM transfers ORDER BY id DESC LIMIT 1").fetchone()
    assert tuple(row) == (int(Reason.PLUGIN_GRANT), "contest")


async def test_request_grant_with_request_id_is_applied_once(game: Game) -> None:
    join(game, "ana")
    handler = GameRequests(game)
    start = game.wallet.balance("ana")
    grant = GrantTokens("ana", 50, "quiz", request_id="round-7")
    first, again = await handler.apply("quiz", grant), await handler.apply("quiz", grant)
    assert first.ok
    assert not first.data["duplicate"]
    assert again.ok
    assert again.data["duplicate"]
    assert "already applied" in again.detail
    assert game.wallet.balance("ana") == start + 50
    other = await handler.apply("other", grant)  # another plugin's id space
    assert other.ok
    assert game.wallet.balance("ana") == start + 100
    assert len(idem_key("http/some-client-with-a-long-name", "x" * 64)) == 17


async def test_request_reused_id_for_another_amount_is_refused(game: Game) -> None:
    join(game, "ana")
    handler = GameRequests(game)
    start = game.wallet.balance("ana")
    await handler.apply("quiz", GrantTokens("ana", 50, "quiz", request_id="r1"))
    result = await handler.apply("quiz", GrantTokens("ana", 60, "quiz", request_id="r1"))
    assert not result.ok
    assert "already used" in result.detail
    assert game.wallet.balance("ana") == start + 50


async def test_request_charge_debits_and_refuses_overdraft(game: Game) -> None:
    _, ana = join(game, "ana")
    game.wallet.credit("ana", 30, Reason.ADMIN_GRANT, "k-charge-1")
    have = game.wallet.balance("ana")
    handler = GameRequests(game)
    seen = events(game)
    ana.clear()
    ok = await handler.apply("casino", ChargeTokens("ana", 10, "bet"))
    assert ok.ok
    assert ok.data["balance"] == have - 10
    assert ana.text.startswith("casino took 10 tokens")
    refused = await handler.apply("casino", ChargeTokens("ana", have - 9, "bet"))
    assert not refused.ok
    assert refused.detail == f"ana cannot pay {have - 9} tokens"  # no balance in the words
    assert game.wallet.balance("ana") == have - 10
    assert [(e.amount, e.reason) for e in seen if isinstance(e, TokensCharged)] == [(10, "bet")]


async def test_request_tokens_refused_for_unknown_player(game: Game) -> None:
    transfers = game.conn.execute("SELECT count(*) FROM transfers").fetchone()[0]
    result = await GameRequests(game).apply("quiz", GrantTokens("ghost", 5, "quiz"))
    assert not result.ok
    assert result.detail == "no player named ghost"
    assert game.conn.execute("SELECT count(*) FROM transfers").fetchone()[0] == transfers


async def test_request_unlock_granted_once(game: Game) -> None:
    _, ana = join(game, "ana")
    ana.clear()
    seen = events(game)
    handler = GameRequests(game)
    first = await handler.apply("quiz", GrantUnlock("ana", "map", "won the quiz"))
    again = await handler.apply("quiz", GrantUnlock("ana", "map", "won the quiz"))
    assert first.ok
    assert first.data == {"new": True}
    assert again.ok
    assert again.data == {"new": False}
    assert game.unlocks.has("ana", "map")
    assert "Unlocked: map" in ana.text
    assert [e.unlock for e in seen if isinstance(e, UnlockGranted)] == ["map"]
    refused = await handler.apply("quiz", GrantUnlock("ghost", "map", "x"))
    assert not refused.ok


class Probe:
    """A plugin that only keeps its context, so the test can make requests through it."""

    name = "probe"
    ctx: PluginContext | None = None

    async def start(self, ctx: PluginContext) -> None:
        Probe.ctx = ctx

    async def stop(self) -> None:
        pass


@pytest.mark.parametrize("caps", [frozenset(), frozenset({"message"})])
async def test_request_without_capability_is_denied_by_the_host(
    game: Game, caps: frozenset[str]
) -> None:
    join(game, "ana")
    start = game.wallet.balance("ana")
    config = BridgeConfig(plugins={"probe": PluginConfig(capabilities=caps)})
    host = PluginHost(
        bus=EventBus(),
        state=GameState(game),
        handler=GameRequests(game),
        config=config,
        factories={"probe": Probe},
        entry_points=lambda: [],
    )
    await host.start()
    try:
        assert Probe.ctx is not None
        result = await Probe.ctx.request(GrantTokens("ana", 100, "free money"))
        assert result.outcome == "denied"
        assert game.wallet.balance("ana") == start
        info = Probe.ctx.state.player("ana")
        assert info is not None
        assert info.balance == start
    finally:
        await host.stop()
