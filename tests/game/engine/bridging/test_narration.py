"""A narrator plugin may reword Cal's suggestions; any failure keeps the template text."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import pytest

from bridge.plugin import PluginContext
from game.engine.bridging import BridgeComponent
from game.engine.game import Game

TEMPLATE = "You have fished 12 times; the harbour master buys rare catches."


class Plain:
    """Runs, but is no narrator."""

    name = "plain"

    async def start(self, ctx: PluginContext) -> None:
        pass

    async def stop(self) -> None:
        pass


class Poet(Plain):
    name = "poet"
    seen: list[Mapping[str, Any]] = []

    def __init__(self, answer: object = None, error: bool = False, hang: bool = False) -> None:
        self.answer, self.error, self.hang = answer, error, hang

    async def reword(self, text: str, context: Mapping[str, Any]) -> str | None:
        Poet.seen.append(context)
        if self.hang:
            await asyncio.Event().wait()
        if self.error:
            raise RuntimeError("model offline")
        return self.answer if self.answer is not None else text.upper()  # type: ignore[return-value]


async def bridge_with(game: Game, **plugins: Any) -> BridgeComponent:
    component = BridgeComponent(game, game.settings, factories=plugins)
    await component.start()
    return component


CONTEXT = {"kind": "cal.suggestion", "player": "ana", "rule": "try-fishing"}


async def test_narration_uses_the_running_narrator(game: Game) -> None:
    Poet.seen.clear()
    bridge = await bridge_with(game, plain=Plain, poet=Poet)
    try:
        assert await bridge.reword(TEMPLATE, CONTEXT) == TEMPLATE.upper()
    finally:
        await bridge.stop()
    assert Poet.seen == [CONTEXT]


async def test_narration_without_a_narrator_keeps_the_template(game: Game) -> None:
    bridge = await bridge_with(game, plain=Plain)
    try:
        assert await bridge.reword(TEMPLATE, CONTEXT) == TEMPLATE
    finally:
        await bridge.stop()
    stopped = await bridge.reword(TEMPLATE, CONTEXT)  # plugins stopped: still the template
    assert stopped == TEMPLATE


@pytest.mark.parametrize(
    "poet",
    [
        lambda: Poet(error=True),
        lambda: Poet(answer="   "),
        lambda: Poet(answer=42),
        lambda: Poet(answer="x" * 2001),
    ],
    ids=["raises", "blank", "not-text", "too-long"],
)
async def test_narration_bad_answers_keep_the_template(game: Game, poet: Any) -> None:
    bridge = await bridge_with(game, poet=poet)
    try:
        assert await bridge.reword(TEMPLATE, CONTEXT) == TEMPLATE
    finally:
        await bridge.stop()


async def test_narration_hang_keeps_the_template_within_the_bound(game: Game) -> None:
    bridge = await bridge_with(game, poet=lambda: Poet(hang=True))
    try:
        async with asyncio.timeout(1.0):
            assert await bridge.reword(TEMPLATE, CONTEXT, within=0.01) == TEMPLATE
    finally:
        await bridge.stop()


async def test_narration_answer_is_cleaned(game: Game) -> None:
    bridge = await bridge_with(game, poet=lambda: Poet(answer="Try\x1b[31m the\n harbour."))
    try:
        assert await bridge.reword(TEMPLATE, CONTEXT) == "Try the harbour."
    finally:
        await bridge.stop()
