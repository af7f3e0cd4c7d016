"""Running NPC triggers (the language is game/world/triggers.py): conditions, actions, caps.

What sets a trigger off:

* ``on_enter`` and ``on_say``: game events (``PlayerMoved``, ``PlayerSaid``) through
  :meth:`Triggers.on_event`, one of the game's listeners. An NPC's ``say`` is heard by the
  other NPCs in the room, so one trigger may set off another's ``on_say``.
* ``on_give``: the ``give`` command calls :meth:`Triggers.given`.
* ``on_time``: :meth:`Triggers.tick`, once a second as a server component (tests call it
  after moving the fake clock), when a phase begins or every N game minutes.
* ``on_attack`` and ``on_death``: combat calls :meth:`Triggers.fire` (``"attack"`` /
  ``"death"``, with the attacker or killer as the actor).

Each firing is one step and one transaction: if an action cannot be done (the player lacks
the item to ``take``, or the tokens to pay a ``charge``) nothing of it stays, and the
player is told why. Work is bounded: an action list is at most ``MAX_ACTIONS`` long (the
loader), and one event sets off at most :data:`MAX_FIRINGS` triggers however they chain;
the rest are dropped with a logged warning. Tokens move through the wallet: ``reward`` is
the faucet 110 (once per player or once per cooldown, with an idempotency key that says
which), ``charge`` the sink 209.
"""

from __future__ import annotations

import re
import sqlite3
from collections import deque
from collections.abc import Callable

import structlog

from bridge.events import Event, PlayerMoved, PlayerSaid
from game.core.outbox import Outbox
from game.core.periodic import Periodic
from game.core.reply import Kind, Reply
from game.services.progress import Skills
from game.services.quests import QuestBook
from game.services.trigger_actions import Acts, Firing, Refused
from game.services.wallet import Wallet
from game.world.clock import PHASE_SENTENCES, DayClock
from game.world.model import NpcDef
from game.world.state import World
from game.world.triggers import Condition

log = structlog.get_logger("sshrealm.triggers")

MAX_FIRINGS = 12
"""Most triggers one event (a move, a line said, a give, a clock tick, a blow) may set off,
counting every trigger those set off in turn."""
_WORD = re.compile(r"[a-z0-9'-]+")


class Triggers(Periodic):
    """Fires NPC triggers; a listener (``on_event``), a hook for ``give`` (``given``), a
    server component for the clock (``tick``) and combat's entry point (``fire``)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        world: World,
        wallet: Wallet,
        quests: QuestBook,
        skills: Skills,
        outbox: Outbox,
        clock: Callable[[], int],
    ) -> None:
        super().__init__()
        self.conn = conn
        self.world = world
        self.wallet = wallet
        self.quests = quests
        self.skills = skills
        self.outbox = outbox
        self.clock = clock
        self._phase: str | None = None  # the phase at the last tick
        self._minute: int | None = None  # game minutes at the last tick
        self.acts = Acts(world, wallet, quests, outbox, clock)
        self.capped = 0  # chains cut short by MAX_FIRINGS, since start (for tests, metrics)

    # -- entry points --------------------------------------------------------------------------
    def fire(self, npc: str, kind: str, actor: str | None = None) -> int:
        """Set off ``npc``'s triggers of ``kind`` (``"attack"``, ``"death"``, ``"enter"``)
        for ``actor``; returns how many fired. Combat calls ``fire(npc_ref, "attack",
        attacker)`` when a player attacks an NPC and ``fire(npc_ref, "death", killer)``
        when it dies, inside its own step (so a failed round undoes them too)."""
        found = self.world.content.npcs.get(npc)
        if found is None:
            return 0
        return self._chain([Firing(npc, t, actor) for t in found.triggers_on(kind)])

    def given(self, player: str, npc: NpcDef, item: str, hand_over: Callable[[], None]) -> int:
        """``player`` hands ``npc`` one ``item`` (the give command, in its step): the
        ``on_give`` triggers for that item whose conditions hold while the player still
        has it are chosen, ``hand_over`` moves the item, then they fire; returns how many."""
        ready = [
            Firing(npc.id, t, player, checked=True)
            for t in npc.triggers_on("give")
            if t.item == item and self._may_fire(Firing(npc.id, t, player))
        ]
        hand_over()
        return self._chain(ready)

    def wants(self, player: str, npc: NpcDef, item: str) -> bool:
        """True if ``npc`` has an ``on_give`` trigger for ``item`` that would fire now."""
        return any(
            t.item == item and self._may_fire(Firing(npc.id, t, player))
            for t in npc.triggers_on("give")
        )

    def on_event(self, event: Event) -> None:
        if isinstance(event, PlayerMoved):
            here = self.world.npcs_in(event.to_room)
            self._chain(
                [Firing(n.id, t, event.player) for n in here for t in n.triggers_on("enter")]
            )
        elif isinstance(event, PlayerSaid):
            self._chain(self._hearers(event.room, event.text, event.player, speaker=None))

    def tick(self) -> list[str]:
        """Fire the ``on_time`` triggers that are due; returns their ids. The first tick
        only notes the time: a restart does not replay the phase it starts in."""
        now = self.clock()
        day = self.day()
        phase, minute = day.phase(now), day.game_minutes(now)
        last_phase, last_minute = self._phase, self._minute
        self._phase, self._minute = phase, minute
        if last_phase is None or last_minute is None:
            return []
        due: list[Firing] = []
        for npc in self.world.content.npcs.values():
            for trigger in npc.triggers_on("time"):
                began = trigger.at is not None and phase != last_phase and trigger.at == phase
                every = trigger.every
                if began or (every and minute // every > last_minute // every):
                    due.append(Firing(npc.id, trigger, None))
        if phase != last_phase:
            self.outbox.tell_all(Reply(Kind.INFO, PHASE_SENTENCES[phase]))
        fired: list[str] = []
        self._chain(due, fired)
        return fired

    def day(self) -> DayClock:
        return DayClock(self.world.content.economy.day_minutes)

    # -- the chain -----------------------------------------------------------------------------
    def _chain(self, start: list[Firing], fired: list[str] | None = None) -> int:
        """Run firings breadth first; what they set off joins the queue, up to the cap."""
        queue = deque(start)
        count = 0
        while queue:
            if count >= MAX_FIRINGS:
                self.capped += 1
                log.warning(
                    "trigger_chain_capped",
                    cap=MAX_FIRINGS,
                    dropped=len(queue),
                    next_npc=queue[0].npc,
                    next_trigger=queue[0].trigger.id,
                )
                break
            firing = queue.popleft()
            if self._run(firing, queue):
                count += 1
                if fired is not None:
                    fired.append(firing.trigger.id)
        return count

    def _run(self, firing: Firing, queue: deque[Firing]) -> bool:
        try:
            heard: list[Firing] = []  # what this firing sets off, queued if it stands

            def hear(room: str, text: str) -> None:
                heard.extend(self._hearers(room, text, firing.actor, speaker=firing.npc))

            with self.outbox.step(), self.wallet.ledger.atomic():
                if not firing.checked and not self._may_fire(firing):
                    return False
                self._mark(firing)
                for index, action in enumerate(firing.trigger.actions):
                    self.acts.do(firing, index, action, hear)
            queue.extend(heard)
        except Refused as why:
            if firing.actor:
                self.outbox.tell(firing.actor, Reply.error(str(why)))
            return False
        except Exception:
            log.exception("trigger_failed", npc=firing.npc, trigger=firing.trigger.id)
            return False
        return True

    # -- conditions ----------------------------------------------------------------------------
    def _may_fire(self, firing: Firing) -> bool:
        trigger, actor = firing.trigger, firing.actor
        if not self.holds(trigger.when, actor):
            return False
        if trigger.once or trigger.cooldown:
            row = self.conn.execute(
                "SELECT fired_ms FROM trigger_state WHERE player=? AND npc=? AND trigger=?",
                (actor or "", firing.npc, trigger.id),
            ).fetchone()
            if row is not None:
                if trigger.once:
                    return False
                if self.clock() - int(row[0]) < trigger.cooldown * 1000:
                    return False
        return True

    def holds(self, when: Condition, actor: str | None) -> bool:
        """Every part of ``when`` holds for ``actor`` now (parts about a player fail
        without one)."""
        if when.phases and self.day().phase(self.clock()) not in when.phases:
            return False
        if not when.about_player:
            return True
        body = self.world.find_online(actor) if actor else None
        if actor is None or body is None:
            return False
        if any(body.inventory[i] <= 0 for i in when.holds):
            return False
        if any(body.inventory[i] > 0 for i in when.lacks):
            return False
        if any(self.skills.level(actor, s) < lvl for s, lvl in when.skills.items()):
            return False
        q = when.quest
        if q is not None:
            status = self.quests.status(actor, q.quest) or "none"
            if status != q.status:
                return False
            if q.step is not None and self.quests.step_of(actor, q.quest) != q.step:
                return False
        return True

    def _mark(self, firing: Firing) -> None:
        self.conn.execute(
            "INSERT INTO trigger_state(player, npc, trigger, fired_ms) VALUES (?,?,?,?)"
            " ON CONFLICT(player, npc, trigger) DO UPDATE SET"
            " fired_ms=excluded.fired_ms, times=times+1",
            (firing.actor or "", firing.npc, firing.trigger.id, self.clock()),
        )

    def where_is(self, npc: str) -> str | None:
        return self.acts.where_is(npc)

    def _hearers(
        self, room: str, text: str, actor: str | None, *, speaker: str | None
    ) -> list[Firing]:
        """The ``on_say`` triggers in ``room`` that ``text`` sets off (not the speaker's own)."""
        said = set(_WORD.findall(text.lower()))
        lowered = text.lower()
        out = []
        for npc in self.world.npcs_in(room):
            if npc.id == speaker:
                continue
            for trigger in npc.triggers_on("say"):
                if any(k in said or (" " in k and k in lowered) for k in trigger.keywords):
                    out.append(Firing(npc.id, trigger, actor))
        return out
