"""Quests: per-player state in SQLite, progress from events, rewards paid once.

Progress comes from what already happens in the game: ``PlayerMoved`` (visit goals),
``CommandRun`` of a skill's verb (gather goals), the ``talk`` command (talk and deliver
goals) and the inventory (collect goals, checked live). Completion is checked after each
command, outside any command transaction, and pays through the wallet with a short
idempotency key, so a crash between the two cannot pay twice.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from bridge.events import CommandRun, Event, PlayerMoved, QuestCompleted
from economy import Reason
from game.core.outbox import Outbox
from game.core.reply import Kind, Reply
from game.services.progress import Skills, Unlocks
from game.services.tuning import RewardMultipliers
from game.services.wallet import Wallet
from game.world.model import Goal, QuestDef
from game.world.state import World
from game.world.store import Store


class QuestBook:
    """Every player's quests. Listens to game events; commands call start/talked."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        world: World,
        store: Store,
        wallet: Wallet,
        skills: Skills,
        unlocks: Unlocks,
        multipliers: RewardMultipliers,
        outbox: Outbox,
        clock: Callable[[], int],
    ) -> None:
        self.conn = conn
        self.world = world
        self.store = store
        self.wallet = wallet
        self.skills = skills
        self.unlocks = unlocks
        self.multipliers = multipliers
        self.outbox = outbox
        self.clock = clock

    # -- reading ---------------------------------------------------------------------------
    def status(self, player: str, quest: str) -> str | None:
        row = self.conn.execute(
            "SELECT status FROM quest_state WHERE player=? AND quest=?", (player, quest)
        ).fetchone()
        return str(row[0]) if row else None

    def done(self, player: str, quest: str) -> bool:
        return self.status(player, quest) == "done"

    def active(self, player: str) -> list[tuple[QuestDef, dict[str, int]]]:
        quests = self.world.content.quests
        rows = self.conn.execute(
            "SELECT quest, progress FROM quest_state WHERE player=? AND status='active'"
            " ORDER BY started_ms, quest",
            (player,),
        )
        return [(quests[q], json.loads(p)) for q, p in rows if q in quests]

    def finished(self, player: str) -> list[QuestDef]:
        quests = self.world.content.quests
        rows = self.conn.execute(
            "SELECT quest FROM quest_state WHERE player=? AND status='done' ORDER BY done_ms",
            (player,),
        )
        return [quests[q] for (q,) in rows if q in quests]

    def goal_met(self, player: str, goal: Goal, progress: dict[str, int], index: int) -> bool:
        if goal.kind == "collect":
            body = self.world.find_online(player)
            return body is not None and body.inventory[goal.target] >= goal.count
        return progress.get(str(index), 0) >= goal.count

    # -- writing ---------------------------------------------------------------------------
    def start(self, player: str, quest: QuestDef) -> bool:
        """Begin a quest once; visit goals for the room the player stands in count at once."""
        cur = self.conn.execute(
            "INSERT INTO quest_state(player, quest, status, started_ms) VALUES (?,?,'active',?)"
            " ON CONFLICT(player, quest) DO NOTHING",
            (player, quest.id, self.clock()),
        )
        if cur.rowcount == 0:
            return False
        body = self.world.find_online(player)
        if body is not None:
            self._bump(player, lambda g: g.kind == "visit" and g.target == body.room)
        return True

    def step_of(self, player: str, quest: str) -> int | None:
        """The goal ``player`` is at in an active ``quest``, counted from 1 (one past the
        last goal when all are met but not yet handed in); None if it is not active."""
        for q, progress in self.active(player):
            if q.id == quest:
                for i, goal in enumerate(q.goals):
                    if not self.goal_met(player, goal, progress, i):
                        return i + 1
                return len(q.goals) + 1
        return None

    def advance(self, player: str, quest: str) -> bool:
        """Mark the goal ``player`` is at in ``quest`` as met (a trigger's
        ``advance_quest``); the quest completes, and pays, after the step if that was the
        last. False if the quest is not active or every goal is already met."""
        for q, progress in self.active(player):
            if q.id != quest:
                continue
            for i, goal in enumerate(q.goals):
                if not self.goal_met(player, goal, progress, i):
                    progress[str(i)] = goal.count
                    self._save(player, quest, progress)
                    return True
        return False

    def talked(self, player: str, npc: str) -> list[str]:
        """Talking to ``npc``: talk goals are met, and items it waits for are handed over
        (all a goal still needs, if the player carries that many)."""
        notes: list[str] = []
        body = self.world.find_online(player)
        for quest, progress in self.active(player):
            for i, goal in enumerate(quest.goals):
                if goal.kind == "talk" and goal.target == npc:
                    progress[str(i)] = goal.count
            self._save(player, quest.id, progress)
        for item, need in self.wanted(player, npc).items():
            if body is not None and body.inventory[item] >= need:
                notes += self.hand_over(player, npc, item, need)
        return notes

    def wanted(self, player: str, npc: str) -> dict[str, int]:
        """What ``npc`` still waits for from ``player``: item -> how many, over all quests."""
        out: dict[str, int] = {}
        for quest, progress in self.active(player):
            for i, goal in enumerate(quest.goals):
                left = goal.count - progress.get(str(i), 0)
                if goal.kind == "deliver" and goal.to == npc and left > 0:
                    out[goal.target] = out.get(goal.target, 0) + left
        return out

    def hand_over(self, player: str, npc: str, item: str, count: int) -> list[str]:
        """Give ``npc`` up to ``count`` of ``item`` toward the quests that ask for it (the
        items leave the world); deliveries add up. Returns the sentence saying so."""
        body = self.world.find_online(player)
        if body is None:
            return []
        given = 0
        for quest, progress in self.active(player):
            for i, goal in enumerate(quest.goals):
                left = goal.count - progress.get(str(i), 0)
                if goal.kind != "deliver" or goal.to != npc or goal.target != item or left <= 0:
                    continue
                n = min(left, count - given, body.inventory[item])
                if n <= 0:
                    continue
                self.world.consume(body, item, n)
                progress[str(i)] = progress.get(str(i), 0) + n
                given += n
                self._save(player, quest.id, progress)
        if not given:
            return []
        content = self.world.content
        who = content.npcs[npc].name if npc in content.npcs else npc
        return [f"You hand over {self.world.some(item, given)} to {who}."]

    def settle(self, player: str) -> list[Reply]:
        """Complete the quests whose goals are now met and return what to tell the player,
        for a command that met them to say after its own lines."""
        return [r for quest, got in self.active(player) for r in self._try(player, quest, got)]

    def on_event(self, event: Event) -> None:
        if isinstance(event, PlayerMoved):
            self._bump(event.player, lambda g: g.kind == "visit" and g.target == event.to_room)
        elif isinstance(event, CommandRun) and event.ok:
            skills = self.world.content.economy.skills
            gathered = {s for s, d in skills.items() if d.verb == event.verb}
            if gathered:
                self._bump(event.player, lambda g: g.kind == "gather" and g.target in gathered)
            self.check(event.player)

    def check(self, player: str) -> list[QuestDef]:
        """Complete every active quest whose goals are all met; return those completed.
        The player hears of it after the reply of the command that met the goals."""
        completed = []
        for quest, progress in self.active(player):
            if self._try(player, quest, progress, later=True):
                completed.append(quest)
        return completed

    def _try(
        self, player: str, quest: QuestDef, progress: dict[str, int], *, later: bool = False
    ) -> list[Reply]:
        """Complete ``quest`` if its goals are met: the replies that say so (already put in
        the outbox for the player, after the step's own reply, when ``later``)."""
        if all(self.goal_met(player, g, progress, i) for i, g in enumerate(quest.goals)):
            return self._complete(player, quest, later)
        return []

    def _bump(self, player: str, matches: Callable[[Goal], bool]) -> None:
        for quest, progress in self.active(player):
            changed = False
            for i, goal in enumerate(quest.goals):
                if matches(goal) and progress.get(str(i), 0) < goal.count:
                    progress[str(i)] = progress.get(str(i), 0) + 1
                    changed = True
            if changed:
                self._save(player, quest.id, progress)

    def _save(self, player: str, quest: str, progress: dict[str, int]) -> None:
        self.conn.execute(
            "UPDATE quest_state SET progress=? WHERE player=? AND quest=?",
            (json.dumps(progress, sort_keys=True), player, quest),
        )

    def _complete(self, player: str, quest: QuestDef, later: bool) -> list[Reply]:
        reward = quest.reward
        paid: dict[str, int] = {}
        with self.wallet.ledger.atomic():
            cur = self.conn.execute(
                "UPDATE quest_state SET status='done', done_ms=? "
                "WHERE player=? AND quest=? AND status='active'",
                (self.clock(), player, quest.id),
            )
            if cur.rowcount == 0:
                return []
            tokens = self.multipliers.apply(int(Reason.QUEST_REWARD), reward.tokens)
            if tokens > 0:
                key = f"q:{player.lower()}:{quest.id}"
                self.wallet.credit(player, tokens, Reason.QUEST_REWARD, key, quest.title)
                paid["tokens"] = tokens
            for skill, xp in reward.xp.items():
                self.skills.add_xp(player, skill, xp)
                paid[f"xp.{skill}"] = xp
            body = self.world.find_online(player)
            for item, count in reward.items.items():
                if body is not None:
                    self.world.grant(body, item, count)
                else:
                    self.store.adjust_inventory(player, item, count)
                paid[f"item.{item}"] = count
        lines = [f"Quest complete: {quest.title}."]
        if quest.completion:
            lines.append(quest.completion)
        lines.append(f"Reward: {describe_reward(self.world, quest)}.")
        told = [Reply(Kind.SYSTEM, "\n".join(lines))]
        if later:  # a move or a catch finished it: after that command's own reply
            self.outbox.tell(player, *told)
        if reward.unlock:
            self.unlocks.award(player, reward.unlock, f"Finished {quest.title}.", "quest")
        self.outbox.publish(
            QuestCompleted(ts=float(self.clock()), player=player, quest=quest.id, rewards=paid)
        )
        return told


def describe_reward(world: World, quest: QuestDef) -> str:
    reward, parts = quest.reward, []
    if reward.tokens:
        parts.append(f"{reward.tokens} tokens")
    for skill, xp in reward.xp.items():
        spec = world.content.economy.skills.get(skill)
        parts.append(f"{xp} {spec.label if spec else skill} XP")
    for item, count in reward.items.items():
        parts.append(world.some(item, count))
    if reward.unlock:
        parts.append(f"the unlock {reward.unlock}")
    return ", ".join(parts) if parts else "nothing but thanks"


def describe_goal(world: World, goal: Goal) -> str:
    content = world.content
    if goal.kind == "visit":
        room = content.rooms.get(goal.target)
        return f"Visit {room.title if room else goal.target}"
    if goal.kind == "talk":
        npc = content.npcs.get(goal.target)
        return f"Talk to {npc.name if npc else goal.target}"
    if goal.kind == "gather":
        skill = content.economy.skills.get(goal.target)
        verb = skill.verb if skill else goal.target
        return f"{verb.capitalize()} {goal.count} time{'s' if goal.count != 1 else ''}"
    name = world.some(goal.target, goal.count)
    if goal.kind == "collect":
        return f"Carry {name}"
    npc = content.npcs.get(goal.to or "")
    return f"Give {name} to {npc.name if npc else goal.to}"
