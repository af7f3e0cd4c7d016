"""What NPC triggers do (the ``do:`` actions of game/world/triggers.py) to the world.

:class:`Acts` makes each change through the world, the wallet and the quest book, and
registers how to undo what lives only in memory (an NPC moved or brought in, an item on a
floor, a door opened) with the step, so a firing that fails part way leaves nothing.
:class:`~game.services.triggers.Triggers` decides what fires and when.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from economy import IdempotencyConflict, InsufficientFunds, Reason
from game.core.outbox import Outbox
from game.core.reply import Kind, Reply
from game.core.text import plural
from game.services.quests import QuestBook
from game.services.wallet import Wallet
from game.world.rooms import normalize_direction
from game.world.state import World
from game.world.triggers import Action, Trigger

Hear = Callable[[str, str], None]
"""Called with (room, text) when an NPC says something other NPCs may answer."""


class Refused(Exception):
    """An action cannot be done: the firing is undone and the player told this."""


@dataclass(frozen=True, slots=True)
class Firing:
    npc: str
    trigger: Trigger
    actor: str | None  # the player it is about (None for a clock trigger)
    checked: bool = False  # conditions already held when it was set off (a gift)


class Acts:
    """Carries out one action of one firing."""

    def __init__(
        self,
        world: World,
        wallet: Wallet,
        quests: QuestBook,
        outbox: Outbox,
        clock: Callable[[], int],
    ) -> None:
        self.world = world
        self.wallet = wallet
        self.quests = quests
        self.outbox = outbox
        self.clock = clock

    def where_is(self, npc: str) -> str | None:
        """The room an NPC is in now: where a trigger or a stroll took it, else its home."""
        moved = self.world.npc_rooms.get(npc)
        if moved is not None:
            return moved
        for room in self.world.content.rooms.values():
            if any(p.ref == npc for p in room.npcs):
                return room.id
        return None

    def do(self, firing: Firing, index: int, action: Action, hear: Hear) -> None:
        """Do ``action`` (the ``index``th of ``firing``'s trigger); raises Refused."""
        npc = self.world.content.npcs[firing.npc]
        name = npc.name[0].upper() + npc.name[1:]
        room = self.where_is(firing.npc)
        actor = firing.actor
        text = action.text.replace("{player}", actor or "friend").replace("{npc}", npc.name)
        if action.kind == "say":
            if room:
                self.outbox.tell_room(room, Reply(Kind.SAY, f'{name} says, "{text}"'))
                hear(room, text)
        elif action.kind == "emote":
            if room:
                self.outbox.tell_room(room, Reply(Kind.EMOTE, f"{name} {text}"))
        elif action.kind == "move":
            self._move(firing.npc, name, room, action.ref)
        elif action.kind == "open":
            self._open(name, action.room or room, action.exit)
        elif action.kind == "spawn":
            self._spawn(action, action.room or room)
        elif actor is not None:
            self._for_player(firing, index, action, name, actor)

    def _for_player(
        self, firing: Firing, index: int, action: Action, name: str, actor: str
    ) -> None:
        world = self.world
        them = world.content.npcs[firing.npc].name  # mid-sentence: "the keeper"
        body = world.find_online(actor)
        if action.kind == "give":
            if body is not None:
                world.grant(body, action.ref, action.count)
            else:
                world.store.adjust_inventory(actor, action.ref, action.count)
            self.outbox.tell(
                actor, Reply.info(f"{name} gives you {world.some(action.ref, action.count)}.")
            )
        elif action.kind == "take":
            what = world.some(action.ref, action.count)
            if body is None or body.inventory[action.ref] < action.count:
                raise Refused(f"{name} wants {what} from you, and you do not have it.")
            world.consume(body, action.ref, action.count)
            self.outbox.tell(actor, Reply.info(f"You hand {what} to {them}."))
        elif action.kind == "start_quest":
            quest = world.content.quests.get(action.ref)
            if quest is not None and self.quests.start(actor, quest):
                self.outbox.tell(
                    actor,
                    Reply.info(
                        f"New quest: {quest.title}. {quest.description} Type quests to see it."
                    ),
                )
        elif action.kind == "advance_quest":
            if self.quests.advance(actor, action.ref):
                self.quests.check(actor)
        elif action.kind == "reward":
            self._reward(firing, index, action.count, actor)
        elif action.kind == "charge":
            key = self.wallet.new_key("tc")
            try:
                self.wallet.charge(
                    actor, action.count, Reason.TRIGGER_CHARGE, key, firing.trigger.id
                )
            except InsufficientFunds:
                have = self.wallet.balance(actor)
                raise Refused(
                    f"{name} asks {plural(action.count, 'token')}; you have {have}."
                    " Nothing happened."
                ) from None
            self.outbox.tell(
                actor, Reply(Kind.ECONOMY, f"You pay {them} {plural(action.count, 'token')}.")
            )

    def _reward(self, firing: Firing, index: int, amount: int, actor: str) -> None:
        """Pay once per key: per player ever (``once``) or per cooldown window."""
        trigger = firing.trigger
        key = f"tr:{actor.lower()}:{firing.npc}:{trigger.id}:{index}"
        if not trigger.once:
            key += f":{self.clock() // (trigger.cooldown * 1000)}"
        try:
            done = self.wallet.credit(actor, amount, Reason.TRIGGER_REWARD, key, trigger.id)
        except IdempotencyConflict:  # paid before with another amount (content changed)
            return
        if not done.duplicate:
            self.outbox.tell(actor, Reply(Kind.ECONOMY, f"+{plural(amount, 'token')}."))

    def _move(self, npc: str, name: str, here: str | None, to: str) -> None:
        world = self.world
        if to not in world.content.rooms or here == to:
            return
        before = world.npc_rooms.get(npc)
        world.npc_rooms[npc] = to
        world.on_rollback(lambda: _put_back(world.npc_rooms, npc, before))
        if here:
            self.outbox.tell_room(here, Reply(Kind.MOVE, f"{name} leaves."))
            self.outbox.room_changed(here)
        self.outbox.tell_room(to, Reply(Kind.MOVE, f"{name} arrives."))
        self.outbox.room_changed(to)

    def _open(self, name: str, room_id: str | None, exit_: str) -> None:
        world = self.world
        room = world.content.rooms.get(room_id or "")
        ex = room.exit(normalize_direction(exit_)) if room else None
        if room is None or ex is None or ex.door is None or world.is_open(room.id, ex):
            return
        key = world.door_key(room.id, ex)
        unlocked = key in world.unlocked_doors
        world.open_doors.add(key)
        world.unlocked_doors.add(key)
        world.on_rollback(lambda: world.open_doors.discard(key))
        if not unlocked:
            world.on_rollback(lambda: world.unlocked_doors.discard(key))
        self.outbox.tell_room(room.id, Reply(Kind.MOVE, f"{name} opens the door {ex.direction}."))
        self.outbox.room_changed(room.id)
        self.outbox.room_changed(ex.to)

    def _spawn(self, action: Action, room: str | None) -> None:
        world = self.world
        if room is None or room not in world.content.rooms:
            return
        if action.spawns == "npc":
            npc = world.content.npcs.get(action.ref)
            if npc is None or self.where_is(action.ref) == room:
                return
            before = world.npc_rooms.get(action.ref)
            world.npc_rooms[action.ref] = room
            world.on_rollback(lambda: _put_back(world.npc_rooms, action.ref, before))
            self.outbox.tell_room(
                room, Reply(Kind.MOVE, f"{npc.name[0].upper()}{npc.name[1:]} appears.")
            )
        else:
            floor = world.floor.setdefault(room, Counter())
            floor[action.ref] += action.count
            world.on_rollback(lambda: _remove(floor, action.ref, action.count))
            world.store.adjust_room_item(room, action.ref, action.count)
            what = world.some(action.ref, action.count)
            self.outbox.tell_room(room, Reply(Kind.MOVE, f"{what[0].upper()}{what[1:]} appears."))
        self.outbox.room_changed(room)


def _put_back(places: dict[str, str], npc: str, before: str | None) -> None:
    if before is None:
        places.pop(npc, None)
    else:
        places[npc] = before


def _remove(pile: Counter[str], item: str, count: int) -> None:
    pile[item] -= count
    if pile[item] <= 0:
        del pile[item]
