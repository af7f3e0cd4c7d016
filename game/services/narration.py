"""Optional rewording of the game's own texts (Cal's suggestions) by a bridge plugin.

Issue 5: "A bridge plugin may reword Cal's suggestions; without one, templates are used."
A plugin offers this by having one more coroutine beside ``start``/``stop``::

    async def reword(self, text: str, context: Mapping[str, Any]) -> str | None

``context`` says what the text is (``{"kind": "cal.suggestion", "player": "ana",
"rule": "try-fishing"}``). The game asks the running plugins in allow-list order and uses
the first answer; anything else (no such plugin, ``None``, a blank or overlong answer, an
exception, no answer within the timeout) keeps the template text, so a language model
can only ever make a suggestion read better, never make it missing or late.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import structlog

from bridge.registry import PluginHost
from game.core.text import clean

MAX_TEXT = 2000
log = structlog.get_logger("sshrealm.narration")


@runtime_checkable
class Narrator(Protocol):
    """A plugin that can reword the game's texts."""

    async def reword(self, text: str, context: Mapping[str, Any]) -> str | None: ...


async def reword(
    host: PluginHost,
    names: Sequence[str],
    text: str,
    context: Mapping[str, Any],
    *,
    within: float = 2.0,
) -> str:
    """``text`` as the first running narrator among ``names`` rewords it, else unchanged."""
    for name in names:
        plugin = host.plugin(name)
        if plugin is None or not isinstance(plugin, Narrator):
            continue
        task = asyncio.ensure_future(plugin.reword(text, dict(context)))
        done, _ = await asyncio.wait({task}, timeout=within)
        if not done:
            task.cancel()  # not awaited: a narrator that ignores cancel cannot hold us up
            log.warning("narrator_timeout", plugin=name, within=within)
            return text
        if task.cancelled() or task.exception() is not None:
            log.warning("narrator_failed", plugin=name, error=repr(task.exception()))
            return text
        answer = task.result()
        if not isinstance(answer, str):
            return text
        cleaned = " ".join(clean(answer).split())
        return cleaned if 0 < len(cleaned) <= MAX_TEXT else text
    return text
