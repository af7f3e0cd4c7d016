"""The living world: where everyone stands, what lies on the floor, which doors are open.

Static content (:class:`~game.world.model.Content`) is swapped whole on reload; this state
survives the swap. Every change that must outlive a restart is written through the
:class:`~game.world.store.Store` at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from game.core.reply import RoomView
from game.core.text import counted
from game.world.clock import DayClock
from game.world.model import Content, Exit, ItemDef, NpcDef, Room
from game.world.store import Store


@dataclass
class Player:
    """A player's body in the world. ``name`` keeps the case the player chose."""

    name: str
    room: str
    role: str = "player"
    inventory: Counter[str] = field(default_factory=Counter)
    key: str = field(init=False, repr=False, compare=False)
    """The lower-cased name every table is keyed by (worked out once: it is asked for per
    listener of every room line)."""

    def __post_init__(self) -> None:
        self.key = self.name.lower()


class World:
    def __init__(self, content: Content, store: Store, clock: Callable[[], int]) -> None:
        self.content = content
        self.store = store
        self.clock = clock
        self.online: dict[str, Player] = {}
        # Who is in each room (keys as in ``online``): a room's listeners are found without
        # looking at every player online (ten thousand of them on a scaled-out world).
        self.present: dict[str, dict[str, Player]] = {}
        self.floor: dict[str, Counter[str]] = store.room_items()
        self.npc_rooms: dict[str, str] = {}  # wanderers only: npc ref -> room it is in now
        self.dead_npcs: dict[str, int] = {}  # defeated NPCs -> when they come back (ms)
        self.open_doors: set[tuple[str, str]] = set()
        self.unlocked_doors: set[tuple[str, str]] = set()
        # How to undo an in-memory change if the step making it fails (its SQL rolls back
        # with the transaction): the game points this at its outbox (game/core/outbox.py).
        self.on_rollback: Callable[[Callable[[], None]], None] = lambda undo: None
        if store.meta("seeded") is None:
            self.seed_items(content.rooms.values())
            store.set_meta("seeded", "1")

    # -- content ---------------------------------------------------------------------------
    def room(self, room_id: str) -> Room:
        room = self.content.rooms.get(room_id)
        return room if room is not None else self.content.rooms[self.content.start_room]

    def phase(self) -> str:
        """The time of day now: dawn, day, dusk or night (game/world/clock.py)."""
        return DayClock(self.content.economy.day_minutes).phase(self.clock())

    def description(self, room: Room) -> str:
        """What a room looks like now: its ``night`` text at night, if it has one."""
        if room.night and self.phase() == "night":
            return room.night
        return room.description

    def seed_items(self, rooms: Iterable[Room]) -> None:
        """Place each room's content items where none lie yet (first boot, new rooms)."""
        for room in rooms:
            floor = self.floor.setdefault(room.id, Counter())
            for placement in room.items:
                missing = placement.count - floor[placement.ref]
                if missing > 0 and placement.ref in self.content.items:
                    floor[placement.ref] += missing
                    self.store.adjust_room_item(room.id, placement.ref, missing)

    def npcs_in(self, room_id: str) -> list[NpcDef]:
        """NPCs in a room now: those placed there that stay put, plus wanderers passing by."""
        npcs = self.content.npcs
        out = [
            npcs[p.ref]
            for p in self.room(room_id).npcs
            if p.ref in npcs and p.ref not in self.npc_rooms
        ]
        out.extend(npcs[n] for n, r in self.npc_rooms.items() if r == room_id and n in npcs)
        return [npc for npc in out if npc.id not in self.dead_npcs]

    # -- players -----------------------------------------------------------------------------
    def enter(self, name: str) -> Player:
        """Bring a player's body online (from the store); idempotent for takeovers."""
        existing = self.online.get(name.lower())
        if existing is not None:
            return existing
        account = self.store.account(name)
        if account is None:
            raise KeyError(name)
        room = account.room
        if room is None or room not in self.content.rooms:
            room = self.content.start_room
        player = Player(account.name, room, account.role, self.store.inventory(account.name))
        self.online[player.key] = player
        self.present.setdefault(room, {})[player.key] = player
        return player

    def leave(self, player: Player) -> None:
        if self.online.pop(player.key, None) is not None:
            self._unplace(player)

    def _unplace(self, player: Player) -> None:
        here = self.present.get(player.room)
        if here is not None:
            here.pop(player.key, None)
            if not here:
                del self.present[player.room]

    def _place(self, player: Player, room: str) -> None:
        if player.key in self.online:
            self._unplace(player)
            self.present.setdefault(room, {})[player.key] = player
        player.room = room

    def find_online(self, name: str) -> Player | None:
        return self.online.get(name.lower())

    def occupants(self, room_id: str, exclude: Player | None = None) -> list[Player]:
        here = self.present.get(room_id)
        if not here:
            return []
        return [p for p in here.values() if p is not exclude]

    def move(self, player: Player, to: str) -> None:
        was = player.room
        self._place(player, to)
        self.on_rollback(lambda: self._place(player, was))
        self.store.set_room(player.name, to)

    # -- doors -------------------------------------------------------------------------------
    def door_key(self, room: str, ex: Exit) -> tuple[str, str]:
        """Both sides of a door share one state: key it by the unordered pair of rooms."""
        a, b = sorted((room, ex.to))
        return (a, b)

    def is_open(self, room: str, ex: Exit) -> bool:
        return ex.door is None or self.door_key(room, ex) in self.open_doors

    def is_locked(self, room: str, ex: Exit) -> bool:
        return (
            ex.door is not None
            and ex.door.locked
            and self.door_key(room, ex) not in self.unlocked_doors
        )

    # -- items -------------------------------------------------------------------------------
    def items_here(self, room_id: str) -> list[ItemDef]:
        floor = self.floor.get(room_id, Counter())
        return [self.content.items[i] for i in floor if i in self.content.items and floor[i] > 0]

    def items_carried(self, player: Player) -> list[ItemDef]:
        inv = player.inventory
        return [self.content.items[i] for i in inv if i in self.content.items and inv[i] > 0]

    def take(self, player: Player, item: str, count: int = 1) -> None:
        floor = self.floor.setdefault(player.room, Counter())
        self._shift(floor, player.inventory, item, count)
        self.on_rollback(lambda: self._shift(player.inventory, floor, item, count))
        self.store.adjust_room_item(player.room, item, -count)
        self.store.adjust_inventory(player.name, item, count)

    def drop(self, player: Player, item: str, count: int = 1) -> None:
        floor = self.floor.setdefault(player.room, Counter())
        self._shift(player.inventory, floor, item, count)
        self.on_rollback(lambda: self._shift(floor, player.inventory, item, count))
        self.store.adjust_inventory(player.name, item, -count)
        self.store.adjust_room_item(player.room, item, count)

    def give(self, giver: Player, receiver: Player, item: str, count: int = 1) -> None:
        self._shift(giver.inventory, receiver.inventory, item, count)
        self.on_rollback(lambda: self._shift(receiver.inventory, giver.inventory, item, count))
        self.store.adjust_inventory(giver.name, item, -count)
        self.store.adjust_inventory(receiver.name, item, count)

    def consume(self, player: Player, item: str, count: int = 1) -> None:
        """Items leave the world from a player's hands (delivered, eaten, used up)."""
        if player.inventory[item] < count:
            raise ValueError(f"only {player.inventory[item]} of {item} to use")
        player.inventory[item] -= count
        if player.inventory[item] <= 0:
            del player.inventory[item]
        self.on_rollback(lambda: player.inventory.update({item: count}))
        self.store.adjust_inventory(player.name, item, -count)

    def change_pack(self, player: Player, deltas: Mapping[str, int]) -> None:
        """Add (+) or remove (-) items from ``player``'s pack at once (a purchase, a recipe):
        every store write first, the in-memory pack only after them all, undone with the
        step. Raises ValueError, changing nothing, if the pack lacks something."""
        for item, delta in deltas.items():
            if player.inventory[item] + delta < 0:
                raise ValueError(f"{player.name} has only {player.inventory[item]} of {item}")
        for item, delta in deltas.items():
            self.store.adjust_inventory(player.name, item, delta)
        before = {item: player.inventory[item] for item in deltas}
        for item, delta in deltas.items():
            player.inventory[item] += delta
            if player.inventory[item] <= 0:
                del player.inventory[item]
        self.on_rollback(lambda: _restore(player.inventory, before))

    def spawn(self, room: str, item: str, count: int = 1) -> None:
        """Items enter the world onto a room's floor (loot), undone with the step."""
        floor = self.floor.setdefault(room, Counter())
        floor[item] += count
        self.on_rollback(lambda: self._shift(floor, Counter(), item, count))
        self.store.adjust_room_item(room, item, count)

    def grant(self, player: Player, item: str, count: int = 1) -> None:
        """Items enter the world into a player's hands (rewards)."""
        player.inventory[item] += count
        self.on_rollback(lambda: self._shift(player.inventory, Counter(), item, count))
        self.store.adjust_inventory(player.name, item, count)

    @staticmethod
    def _shift(src: Counter[str], dst: Counter[str], item: str, count: int) -> None:
        if src[item] < count:
            raise ValueError(f"only {src[item]} of {item} to move")
        src[item] -= count
        if src[item] <= 0:
            del src[item]
        dst[item] += count

    # -- views -------------------------------------------------------------------------------
    def some(self, item_id: str, count: int) -> str:
        """``a silver herring``, ``two silver herrings``, ``12 loaves of bread``."""
        item = self.content.items.get(item_id)
        if item is None:
            return counted(count, item_id.split(":", 1)[-1])
        return counted(count, item.name, item.plural)

    def describe_items(self, counter: Counter[str]) -> tuple[str, ...]:
        return tuple(
            self.some(i, n) for i, n in counter.items() if i in self.content.items and n > 0
        )

    def view(self, room_id: str, viewer: Player | None = None) -> RoomView:
        room = self.room(room_id)
        exits = []
        for ex in room.exits:
            label = ex.direction
            if ex.door is not None and not self.is_open(room.id, ex):
                label += " (closed door)"
            exits.append(label)
        npcs = tuple(npc.name for npc in self.npcs_in(room.id))
        return RoomView(
            id=room.id,
            title=room.title,
            description=self.description(room),
            exits=tuple(exits),
            people=tuple(p.name for p in self.occupants(room.id, exclude=viewer)),
            items=self.describe_items(self.floor.get(room.id, Counter())),
            npcs=npcs,
            area=self.content.areas[room.area].title if room.area in self.content.areas else "",
        )


def _restore(pack: Counter[str], counts: Mapping[str, int]) -> None:
    """Put a pack back as it was (the step that changed it failed)."""
    for item, count in counts.items():
        if count > 0:
            pack[item] = count
        else:
            pack.pop(item, None)
