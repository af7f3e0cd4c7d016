"""Fights: health and stamina, rounds on the game clock, death, loot and rewards.

A Component (game/app.py): once a second :meth:`Combat.tick` runs every fight whose round
is due (every ``round`` seconds of ``combat.yaml``), brings defeated NPCs back when their
``respawn`` is over, and lets players out of combat recover ``regen`` health and stamina a
round. Tests move the injected clock and call ``tick()``; nothing here waits on time.

Each round is one step and one transaction (outbox + ledger): its messages leave, its
reward is paid and its vitals are written together, or not at all.

Bounded faucets: defeating an NPC pays its ``tokens`` (reason 108) to the player whose blow
felled it, keyed ``c:<player>:<npc>:<utc day>`` in the ledger, so at most once per player
per NPC per day however often it respawns; killing a player pays nothing; dying burns
``death_fee`` (reason 208, at most what the player holds) and never pays anyone.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import partial
from typing import Any

import structlog

from bridge.events import PlayerMoved
from economy import IdempotencyConflict, Reason
from economy.clock import utc_day
from game.core.outbox import Outbox
from game.core.periodic import Periodic
from game.core.reply import Kind, Reply
from game.services.equipment import Equipment
from game.services.tuning import RewardMultipliers
from game.services.vitals import Bodies, Vitals
from game.services.wallet import Wallet
from game.world.model import CombatRules, NpcDef
from game.world.state import Player, World

log = structlog.get_logger("sshrealm.combat")


@dataclass(slots=True)
class Fight:
    """``target`` is ``npc:<ref>`` or a player's lower-cased name."""

    target: str
    next_ms: int


def cap(name: str) -> str:
    return name[0].upper() + name[1:] if name else name


def hit_chance(attack: int, defence: int) -> float:
    """Even odds between equals; each point of difference moves it 10%, within 10..95%."""
    return min(0.95, max(0.10, 0.5 + 0.1 * (attack - defence)))


class Combat(Periodic):
    def __init__(
        self,
        conn: sqlite3.Connection,
        world: World,
        wallet: Wallet,
        equipment: Equipment,
        multipliers: RewardMultipliers,
        outbox: Outbox,
        atomic: Callable[[], AbstractContextManager[None]],
        clock: Callable[[], int],
        rng: random.Random,
    ) -> None:
        super().__init__()
        self.conn = conn
        self.world = world
        self.wallet = wallet
        self.equipment = equipment
        self.multipliers = multipliers  # Domingo's bounded tuning (1.0 unless enabled)
        self.outbox = outbox
        self.atomic = atomic
        self.clock = clock
        self.rng = rng
        self.fights: dict[str, Fight] = {}  # attacker's key -> whom they fight
        self.npc_health: dict[str, int] = {}  # wounded NPCs only
        self.bodies = Bodies(conn, world, equipment, outbox)  # health, stamina, brief
        self._regen_at: dict[str, int] = {}
        self._deaths = 0
        # Hooks for other services (NPC triggers): called inside the step that made them.
        self.on_attack: list[Callable[[str, str], object]] = []  # (player, npc ref)
        self.on_defeat: list[Callable[[str, str, str], object]] = []  # (player, npc ref, room)

    @property
    def rules(self) -> CombatRules:
        return self.world.content.combat

    # -- vitals and the brief option (game/services/vitals.py) ------------------------------
    def vitals(self, name: str) -> Vitals:
        return self.bodies.vitals(name)

    def _set(self, name: str, health: int, stamina: int) -> None:
        self.bodies.set(name, health, stamina)

    def spend(self, name: str, stamina: int) -> None:
        """Use ``stamina`` (fleeing); never below 0."""
        vit = self.vitals(name)
        self._set(name, vit.health, vit.stamina - stamina)

    def brief(self, name: str) -> bool:
        return self.bodies.brief(name)

    def set_brief(self, name: str, on: bool) -> None:
        self.bodies.set_brief(name, on)

    # -- fights ----------------------------------------------------------------------------------
    def fighting(self, name: str) -> str | None:
        fight = self.fights.get(name.lower())
        return fight.target if fight else None

    def npc_health_of(self, npc: NpcDef) -> int:
        assert npc.combat is not None
        return self.npc_health.get(npc.id, npc.combat.health)

    def begin(self, player: Player, target: NpcDef | Player) -> list[Reply]:
        """``player`` attacks: the first round at once, the next on the clock."""
        now = self.clock()
        key = f"npc:{target.id}" if isinstance(target, NpcDef) else target.key
        self._engage(player.key, key, now)
        if isinstance(target, Player):
            self._engage(target.key, player.key, now + self.rules.round * 1000)
            self.outbox.tell(target.name, Reply(Kind.INFO, f"{player.name} attacks you!"))
        else:
            for hook in self.on_attack:
                hook(player.name, target.id)
        return self.round(player)

    def _engage(self, key: str, target: str, next_ms: int) -> None:
        if key in self.fights:
            return
        self.fights[key] = Fight(target, next_ms)
        self.outbox.on_rollback(lambda: _drop(self.fights, key))

    def end(self, key: str) -> None:
        """End ``key``'s fight (fled, died, won, left); an NPC nobody fights heals."""
        fight = self.fights.pop(key, None)
        if fight is None:
            return
        self.outbox.on_rollback(lambda: self.fights.__setitem__(key, fight))
        if fight.target.startswith("npc:"):
            npc = fight.target[4:]
            if not any(f.target == fight.target for f in self.fights.values()):
                self._npc_health(npc, None)

    def _npc_health(self, npc: str, health: int | None) -> None:
        before = self.npc_health.get(npc)
        if health is None:
            self.npc_health.pop(npc, None)
        else:
            self.npc_health[npc] = health

        def undo() -> None:
            if before is None:
                self.npc_health.pop(npc, None)
            else:
                self.npc_health[npc] = before

        self.outbox.on_rollback(undo)

    # -- one round ---------------------------------------------------------------------------------
    def round(self, player: Player) -> list[Reply]:
        """``player`` strikes once and, against an NPC, takes its blow back. Returns what
        ``player`` is told (other people are told through the outbox)."""
        fight = self.fights.get(player.key)
        if fight is None:
            return []
        fight.next_ms = self.clock() + self.rules.round * 1000
        if fight.target.startswith("npc:"):
            return self._versus_npc(player, fight.target[4:])
        return self._versus_player(player, fight.target)

    def _strike(self, player: Player, defence: int) -> tuple[int, int]:
        """The attacker's blow: (damage dealt, 0 if missed) and the stamina left."""
        rules, gear = self.rules, self.equipment.stats(player.name)
        vit = self.vitals(player.name)
        damage = 0
        if self.rng.random() < hit_chance(rules.attack + gear["attack"], defence):
            damage = self.rng.randint(1, max(1, rules.damage + gear["damage"]))
            if vit.stamina <= 0:
                damage = max(1, damage // 2)
        return damage, max(0, vit.stamina - rules.attack_cost)

    def _versus_npc(self, player: Player, npc_id: str) -> list[Reply]:
        npc = self.world.content.npcs.get(npc_id)
        if npc is None or npc.combat is None or npc not in self.world.npcs_in(player.room):
            self.end(player.key)
            return [Reply.info("Your opponent is gone. The fight is over.")]
        foe = npc.combat
        name = npc.name
        damage, stamina = self._strike(player, foe.defence)
        left = self.npc_health_of(npc) - damage
        vit = self.vitals(player.name)
        you = [f"You hit {name} for {damage}." if damage else f"You miss {name}."]
        seen = [f"{player.name} {'hits' if damage else 'misses'} {name}."]
        if left <= 0:
            self._set(player.name, vit.health, stamina)
            return self._win(player, npc, you, seen)
        self._npc_health(npc.id, left)
        taken = 0
        gear = self.equipment.stats(player.name)
        if self.rng.random() < hit_chance(foe.attack, self.rules.defence + gear["defence"]):
            taken = self.rng.randint(1, max(1, foe.damage))
        you.append(f"{cap(name)} hits you for {taken}." if taken else f"{cap(name)} misses you.")
        seen.append(f"{cap(name)} {'hits' if taken else 'misses'} {player.name}.")
        health = vit.health - taken
        self._set(player.name, health, stamina)
        if health <= 0:
            return self._say(player, you, seen, f"{name} {left}/{foe.health}") + self.die(player)
        return self._say(player, you, seen, f"{name} {left}/{foe.health}")

    def _versus_player(self, player: Player, other_key: str) -> list[Reply]:
        other = self.world.find_online(other_key)
        room = self.world.content.areas.get(self.world.room(player.room).area)
        if other is None or other.room != player.room or room is None or not room.pvp:
            self.end(player.key)
            if other is not None:
                self.end(other.key)
            return [Reply.info("Your opponent is gone. The fight is over.")]
        gear = self.equipment.stats(other.name)
        damage, stamina = self._strike(player, self.rules.defence + gear["defence"])
        self._set(player.name, self.vitals(player.name).health, stamina)
        theirs = self.vitals(other.name)
        health = theirs.health - damage
        self._set(other.name, health, theirs.stamina)
        you = [f"You hit {other.name} for {damage}." if damage else f"You miss {other.name}."]
        self.outbox.tell(
            other.name,
            Reply(
                Kind.INFO,
                f"{player.name} hits you for {damage}." if damage else f"{player.name} misses you.",
            ),
        )
        seen = [f"{player.name} {'hits' if damage else 'misses'} {other.name}."]
        said = self._say(player, you, seen, f"{other.name} {max(0, health)}/{theirs.max_health}")
        if health <= 0:
            self.end(player.key)
            said.append(Reply.info(f"You have defeated {other.name}. There is no reward for that."))
            self.outbox.tell(other.name, *self.die(other))
        return said

    def _say(self, player: Player, you: list[str], seen: list[str], foe: str) -> list[Reply]:
        vit = self.vitals(player.name)
        state = f"[you {vit.health}/{vit.max_health} hp {vit.stamina} st | {foe}]"
        self.outbox.tell_room(player.room, Reply(Kind.INFO, " ".join(seen)), exclude=[player.key])
        if self.brief(player.name):
            return [Reply.info(f"{' '.join(you)} {state}")]
        return [Reply.info("\n".join([*you, state]))]

    # -- the end of a fight ---------------------------------------------------------------------
    def _win(self, player: Player, npc: NpcDef, you: list[str], seen: list[str]) -> list[Reply]:
        assert npc.combat is not None
        foe, room, now = npc.combat, player.room, self.clock()
        for key in [k for k, f in self.fights.items() if f.target == f"npc:{npc.id}"]:
            self.end(key)
        self._npc_health(npc.id, None)
        self.world.dead_npcs[npc.id] = now + foe.respawn * 1000
        self.outbox.on_rollback(lambda: _drop(self.world.dead_npcs, npc.id))
        you.append(f"{cap(npc.name)} is defeated!")
        seen.append(f"{cap(npc.name)} is defeated!")
        dropped = []
        for drop in foe.loot:
            if drop.item in self.world.content.items and self.rng.random() < drop.chance:
                self.world.spawn(room, drop.item, drop.count)
                dropped.append(self.world.some(drop.item, drop.count))
        if dropped:
            you.append(f"It drops {', '.join(dropped)}.")
            seen.append(f"It drops {', '.join(dropped)}.")
        paid = self._reward(player.name, npc)
        if paid:
            you.append(f"+{paid} tokens for defeating {npc.name}.")
        elif foe.tokens:
            you.append(f"No tokens: you were paid for {npc.name} today already.")
        self.outbox.room_changed(room)
        for hook in self.on_defeat:
            hook(player.name, npc.id, room)
        vit = self.vitals(player.name)
        return self._say_end(player, you, seen, vit)

    def _say_end(self, player: Player, you: list[str], seen: list[str], vit: Vitals) -> list[Reply]:
        self.outbox.tell_room(player.room, Reply(Kind.INFO, " ".join(seen)), exclude=[player.key])
        state = f"[you {vit.health}/{vit.max_health} hp {vit.stamina} st]"
        if self.brief(player.name):
            return [Reply.info(f"{' '.join(you)} {state}")]
        return [Reply.info("\n".join([*you, state]))]

    def _reward(self, name: str, npc: NpcDef) -> int:
        assert npc.combat is not None
        amount = self.multipliers.apply(int(Reason.COMBAT_REWARD), npc.combat.tokens)
        if amount <= 0:
            return 0
        key = f"c:{name.lower()}:{npc.id}:{utc_day(self.clock())}"
        if self.conn.execute("SELECT 1 FROM transfers WHERE idem_key = ?", (key,)).fetchone():
            return 0
        try:
            done = self.wallet.credit(name, amount, Reason.COMBAT_REWARD, key, npc.id)
        except IdempotencyConflict:
            return 0
        return 0 if done.duplicate else amount

    def die(self, player: Player) -> list[Reply]:
        """``player`` falls: fights end, the fee burns, they wake at the respawn room."""
        for key in [k for k, f in self.fights.items() if f.target == player.key]:
            self.end(key)
        self.end(player.key)
        rules, now = self.rules, self.clock()
        lines = ["You have been defeated. Everything goes dark..."]
        fee = min(rules.death_fee, self.wallet.balance(player.name))
        if fee > 0:
            self._deaths += 1
            key = f"death:{player.key}:{now}:{self._deaths}"
            self.wallet.charge(player.name, fee, Reason.DEATH_FEE, key)
            lines.append(f"Death fee: -{fee} tokens.")
        old = player.room
        to = rules.respawn_room
        if to is None or to not in self.world.content.rooms:
            to = self.world.content.area_start(old)
        self.outbox.tell_room(old, Reply(Kind.MOVE, f"{player.name} falls."), exclude=[player.key])
        self.world.move(player, to)
        self.outbox.tell_room(
            to, Reply(Kind.MOVE, f"{player.name} appears, pale and shaken."), exclude=[player.key]
        )
        self.outbox.room_changed(old)
        self.outbox.room_changed(to)
        self.outbox.publish(
            PlayerMoved(ts=float(now), player=player.name, from_room=old, to_room=to, via="death")
        )
        vit = self.vitals(player.name)
        self._set(player.name, vit.max_health, vit.max_stamina)
        lines.append(f"You wake in {self.world.room(to).title}, whole again.")
        return [Reply.info("\n".join(lines)), Reply.room(self.world.view(to, player))]

    # -- the clock ---------------------------------------------------------------------------
    def tick(self) -> None:
        now, world = self.clock(), self.world
        for npc_id, back in list(world.dead_npcs.items()):
            if now >= back:
                del world.dead_npcs[npc_id]
                npc = world.content.npcs.get(npc_id)
                room = world.npc_rooms.get(npc_id) or self._home(npc_id)
                if npc is not None and room is not None:
                    self.outbox.tell_room(room, Reply(Kind.MOVE, f"{cap(npc.name)} appears."))
                    self.outbox.room_changed(room)
        for key, fight in list(self.fights.items()):
            if now < fight.next_ms or self.fights.get(key) is not fight:
                continue
            self._step(partial(self._round_of, key, world.find_online(key)))
        wounded = self._due_to_recover()
        if wounded:  # a transaction only when someone heals
            self._step(partial(self._recover, wounded))

    def _step(self, action: Callable[[], None]) -> None:
        try:
            with self.outbox.step(), self.atomic():
                action()
        except Exception:
            log.exception("combat_step_failed")

    def _round_of(self, key: str, player: Player | None) -> None:
        if player is None:  # logged out mid-fight: the fight ends, the NPC heals
            self.end(key)
            return
        replies = self.round(player)
        if replies:
            self.outbox.tell(player.name, *replies)

    def _due_to_recover(self) -> list[Player]:
        """Players out of combat whose round of recovery is due and who lack something."""
        rules, now = self.rules, self.clock()
        if rules.regen <= 0:
            return []
        due_now = []
        for player in list(self.world.online.values()):
            if player.key in self.fights:
                continue
            due = self._regen_at.setdefault(player.key, now + rules.round * 1000)
            if now < due:
                continue
            self._regen_at[player.key] = now + rules.round * 1000
            vit = self.vitals(player.name)
            if vit.health < vit.max_health or vit.stamina < vit.max_stamina:
                due_now.append(player)
        return due_now

    def _recover(self, players: list[Player]) -> None:
        """Players out of combat get ``regen`` health and stamina back each round."""
        regen = self.rules.regen
        for player in players:
            vit = self.vitals(player.name)
            self._set(
                player.name,
                min(vit.max_health, vit.health + regen),
                min(vit.max_stamina, vit.stamina + regen),
            )

    def _home(self, npc: str) -> str | None:
        for room in self.world.content.rooms.values():
            if any(p.ref == npc for p in room.npcs):
                return room.id
        return None


def _drop(table: dict[str, Any], key: str) -> None:
    table.pop(key, None)
