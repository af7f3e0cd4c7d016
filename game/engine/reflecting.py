"""The reflection Component: owns the scheduler, runs cycles off the loop, applies actions.

A cycle's SQL and both analysts run in a worker thread (``asyncio.to_thread``) on their own
connection; only applying the planned actions happens on the loop, through the game:
Cal's unlocks via ``game.grant_unlock`` (recorded once, told in game) and, when
``reflection_tuning`` is on, Domingo's reward multipliers, each change logged in
``refl_tuning_log`` and reversible with ``sshrealm reflect --reset-tuning``. Rewards read
multipliers through :class:`~game.services.tuning.RewardMultipliers`.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import time
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

import structlog

from bridge.events import ReflectionReportWritten
from game.core.periodic import Periodic
from game.services.tuning import load_rules
from reflection import cycle, domingo
from reflection.schedule import CycleScheduler

if TYPE_CHECKING:
    from game.engine.game import Game

log = structlog.get_logger("sshrealm.reflection")

Reword = Callable[[str, Mapping[str, Any]], Awaitable[str]]
"""``BridgeComponent.reword``: a narrator plugin's wording of a text, or the text itself."""
NARRATE_CAP = 200
"""Most suggestions sent to a narrator per cycle (the rest keep their template wording)."""


class PlannedActions(Periodic):
    """Applies actions planned outside the server (``sshrealm reflect --now`` writes them
    to the database) within seconds, rather than at the next start or cycle."""

    interval_s = 5.0

    def __init__(self, game: Game) -> None:
        super().__init__()
        self.game = game

    async def step(self) -> None:
        apply_planned(self.game)


class Reflection:
    """Server component: ``start`` wires the scheduler, ``stop`` waits for a running cycle."""

    def __init__(self, game: Game, reword: Reword | None = None, *, isolated: bool = False) -> None:
        self.game = game
        self.reword = reword
        self.isolated = isolated
        """Run cycles in a worker process (the server): the analysts' Python then never
        competes with the event loop for the GIL. Tests use a thread."""
        self._pool: ProcessPoolExecutor | None = None
        self.settings = game.settings
        self.rules = load_rules(self.settings.content_dir)
        self.scheduler = CycleScheduler(self.run_cycle, self.settings.reflection_interval_s)
        self.planned = PlannedActions(game)

    @property
    def policy(self) -> domingo.Policy:
        return domingo.Policy(
            tuning=bool(self.settings.reflection_tuning),
            band=min(90, max(0, self.settings.reflection_tuning_band_pct)) / 100,
        )

    async def start(self) -> None:
        apply_planned(self.game)  # actions planned by `sshrealm reflect --now` meanwhile
        self.scheduler.start()
        await self.planned.start()

    async def warm(self) -> None:
        """Start the worker process and its imports now rather than in the first cycle
        (the server starts it lazily: most test servers never run a cycle)."""
        if self.isolated:
            await asyncio.get_running_loop().run_in_executor(self._worker(), cycle.warm_up)

    def _worker(self) -> ProcessPoolExecutor:
        if self._pool is None:
            spawn = multiprocessing.get_context("spawn")  # never fork a running server
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=spawn)
        return self._pool

    async def stop(self) -> None:
        await self.planned.stop()
        await self.scheduler.stop()
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await asyncio.to_thread(pool.shutdown, True)

    async def run_cycle(self, now_ms: int | None = None) -> cycle.Outcome:
        """One cycle: compute and store in a thread, then apply planned actions on the loop."""
        started = time.perf_counter()
        now = self.game.clock() if now_ms is None else now_ms
        cycle_id = cycle.cycle_id_for(now, self.settings.reflection_interval_s)
        args = (
            self.settings.db_path,
            self.settings.data_dir / "reports",
            now,
            cycle_id,
            self.rules,
            self.policy,
        )
        if self.isolated:
            loop = asyncio.get_running_loop()
            outcome = await loop.run_in_executor(self._worker(), cycle.run_standard, *args)
        else:
            outcome = await asyncio.to_thread(cycle.run_standard, *args)
        applied = apply_planned(self.game)
        if self.reword is not None and not outcome.replay:
            await self._narrate(cycle_id)
        if not outcome.replay:
            for analyst, path in outcome.reports.items():
                self.game.publish(
                    ReflectionReportWritten(
                        ts=self.game.now(), cycle_id=cycle_id, analyst=analyst, path=path
                    )
                )
        self.game.metrics.cycles.observe(time.perf_counter() - started)
        log.info(
            "reflection_cycle",
            cycle=cycle_id,
            replay=outcome.replay,
            applied=applied,
            errors=outcome.errors,
            timings=outcome.timings_ms,
        )
        return outcome

    async def _narrate(self, cycle_id: str) -> None:
        """Let a narrator plugin reword this cycle's suggestions; the decision, its rule and
        numbers stay Cal's, and the template is kept beside the new wording."""
        assert self.reword is not None
        rows = self.game.conn.execute(
            "SELECT player, body FROM refl_insights WHERE cycle_id = ? ORDER BY player", (cycle_id,)
        ).fetchall()
        budget = NARRATE_CAP
        for player, raw in rows:
            body = json.loads(raw)
            changed = False
            for suggestion in body.get("suggestions", []):
                if budget <= 0:
                    return
                budget -= 1
                context = {"kind": "cal.suggestion", "player": player, "rule": suggestion["rule"]}
                try:
                    text = await self.reword(suggestion["text"], context)
                except Exception:
                    log.exception("reword_failed", player=player, rule=suggestion["rule"])
                    continue
                if text and text != suggestion["text"]:
                    suggestion["template"], suggestion["text"] = suggestion["text"], text
                    changed = True
            if changed:
                self.game.conn.execute(
                    "UPDATE refl_insights SET body = ? WHERE player = ? AND cycle_id = ?",
                    (json.dumps(body, sort_keys=True), player, cycle_id),
                )


def apply_planned(game: Game) -> int:
    """Apply every planned, not yet applied action once, marking it applied in the same step."""
    rows = game.conn.execute(
        "SELECT cycle_id, kind, target, detail FROM refl_actions WHERE applied_ms IS NULL"
        " ORDER BY cycle_id, kind, target"
    ).fetchall()
    areas = set(game.world.content.areas) if hasattr(game.world.content, "areas") else set()
    applied = 0
    for cycle_id, kind, target, detail in rows:
        with game.outbox.step(), game.ledger.atomic():  # the unlock's line after its COMMIT
            game.conn.execute(
                "UPDATE refl_actions SET applied_ms=? WHERE cycle_id=? AND kind=? AND target=?",
                (game.clock(), cycle_id, kind, target),
            )
            if kind == "unlock":
                player, grant = target.split(" ", 1)
                if grant.startswith("area:") and grant[5:] not in areas:
                    log.warning("unlock_unknown_area", grant=grant, player=player)
                    continue
                if game.store.account(player) is not None:
                    game.grant_unlock(player, grant, detail, source=f"cal:{cycle_id}")
            elif kind == "tuning" and game.settings.reflection_tuning:
                change = json.loads(detail)
                game.multipliers.set(
                    int(target), float(change["new"]), cycle_id, change["reason"], game.clock()
                )
        applied += 1
    return applied
