"""Wearing and wielding, bags and chests, and how much a player can carry.

``get <item> from <container>`` and ``open``/``close``/``unlock <container>`` come through
the item and door commands (items.py, movement.py), which call the helpers here.
"""

from __future__ import annotations

from collections import Counter

from game.commands.base import Context, Result, command
from game.commands.naming import phrase, pick_item
from game.core.reply import Kind, Reply
from game.services.containers import CLOSED, LOCKED, OPEN
from game.world.model import SLOTS, ItemDef

MAX_COUNT = 1_000_000


# -- carrying ------------------------------------------------------------------------------------
def too_heavy(ctx: Context, item: ItemDef, count: int, who: str = "You") -> Reply | None:
    """Why ``count`` of ``item`` would take ``who`` (the player) over the carrying limit."""
    carry = ctx.world.content.combat.carry
    load = ctx.containers.load(ctx.player)
    if load + item.weight * count <= carry:
        return None
    what = ctx.world.some(item.id, count)
    return Reply.error(
        f"{who} can't carry {what}: that would be {load + item.weight * count} of {carry}"
        " weight. Drop something first. Nothing was done."
    )


def overloaded(ctx: Context, receiver_load: int, item: ItemDef, count: int) -> bool:
    return receiver_load + item.weight * count > ctx.world.content.combat.carry


# -- wearing and wielding ------------------------------------------------------------------------
def _equip(ctx: Context, args: str, verb: str) -> Result:
    player = ctx.player
    said = phrase(args, high=1, counts=False)
    if isinstance(said, Reply) or not args:
        return said if isinstance(said, Reply) else Reply.error(f"{verb.capitalize()} what?")
    found = pick_item(ctx, said, player.inventory, "You are not carrying {what}.")
    if isinstance(found, Reply):
        return found
    item = found.thing
    if item.slot is None:
        return Reply.error(f"You can't {verb} {item.name}.")
    if verb == "wield" and item.slot != "weapon":
        return Reply.error(f"{item.name[0].upper() + item.name[1:]} is worn, not wielded.")
    if verb == "wear" and item.slot == "weapon":
        return Reply.error(f"{item.name[0].upper() + item.name[1:]} is wielded: try wield.")
    if ctx.combat.fighting(player.name):
        return Reply.error("Not in the middle of a fight!")
    old = ctx.equipment.equip(player, item.id, item.slot)
    done = "wield" if item.slot == "weapon" else "wear"
    lines = [f"You {done} {item.name}."]
    if old is not None:
        lines.insert(0, f"You take off {ctx.world.some(old, 1)}.")
    ctx.to_room(
        player.room, Reply(Kind.MOVE, f"{player.name} {done}s {item.name}."), exclude=[player]
    )
    ctx.outbox.status_changed(player.name)
    return Reply.info(" ".join(lines))


@command("wear", category="items")
def wear(ctx: Context, args: str) -> Result:
    """Put on armour or clothing you carry; it goes to its slot (what was there comes off).

    Worn items add their stats (defence, health...) to combat and weigh nothing.

    Usage:
      wear <item>
    """
    return _equip(ctx, args, "wear")


@command("wield", category="items")
def wield(ctx: Context, args: str) -> Result:
    """Take a weapon in hand; it adds its attack and damage to your blows.

    Usage:
      wield <weapon>
    """
    return _equip(ctx, args, "wield")


@command("remove", "unwield", "unwear", category="items")
def remove(ctx: Context, args: str) -> Result:
    """Take off something you wear or wield; it goes back into your pack.

    Usage:
      remove <item>
      remove <slot>        (weapon, shield, head, body, hands, legs, feet, neck, ring)
    """
    player, world = ctx.player, ctx.world
    if not args:
        return Reply.error("Remove what? Try: equipment")
    worn = ctx.equipment.worn(player.name)
    word = args.strip().lower()
    slot = word if word in worn else None
    if slot is None:
        said = phrase(args, high=1, counts=False)
        if isinstance(said, Reply):
            return said
        found = pick_item(ctx, said, list(worn.values()), "You are not wearing {what}.")
        if isinstance(found, Reply):
            return found
        slot = next(s for s, i in worn.items() if i == found.thing.id)
    item = world.content.items.get(worn[slot])
    if item is not None and (refusal := too_heavy(ctx, item, 1)) is not None:
        return refusal
    item_id = ctx.equipment.unequip(player, slot)
    what = world.some(item_id, 1)
    ctx.to_room(player.room, Reply(Kind.MOVE, f"{player.name} removes {what}."), exclude=[player])
    ctx.outbox.status_changed(player.name)
    return Reply.info(f"You remove {what}.")


@command("equipment", "eq", "gear", category="items")
def equipment(ctx: Context, args: str) -> Result:
    """What you wear and wield, slot by slot, with what it adds to your fighting.

    Usage:
      equipment
    """
    player, world = ctx.player, ctx.world
    worn = ctx.equipment.worn(player.name)
    lines = [
        f"{slot}: {world.some(worn[slot], 1)}" if slot in worn else f"{slot}: nothing"
        for slot in SLOTS
    ]
    stats = ctx.equipment.stats(player.name)
    rules = world.content.combat
    vit = ctx.combat.vitals(player.name)
    lines.append(
        f"Attack {rules.attack + stats['attack']}, defence {rules.defence + stats['defence']},"
        f" damage up to {max(1, rules.damage + stats['damage'])},"
        f" health {vit.health}/{vit.max_health}, stamina {vit.stamina}/{vit.max_stamina}."
    )
    load = ctx.containers.load(player)
    lines.append(f"Carrying {load} of {rules.carry} weight.")
    return Reply.info("\n".join(lines))


# -- containers ----------------------------------------------------------------------------------
def find_container(ctx: Context, words: str) -> tuple[ItemDef, str] | Reply | None:
    """The container ``words`` names, in the pack or on the floor, and its holder; None
    when nothing of that name is a container (the caller may try a door)."""
    player, world = ctx.player, ctx.world
    items = world.content.items
    floor = world.floor.get(player.room, Counter())
    carried = [i for i, n in player.inventory.items() if n > 0 and i in items]
    lying = [i for i, n in floor.items() if n > 0 and i in items]
    pool = [i for i in carried + lying if items[i].container is not None]
    said = phrase(words, high=1, counts=False)
    if isinstance(said, Reply) or not pool:
        return None
    found = pick_item(ctx, said, pool, "")
    if isinstance(found, Reply):
        return found if found.text.startswith("Which one?") else None
    item = found.thing
    return item, ctx.containers.holder(player, item, carried=item.id in carried)


def _open_holder(ctx: Context, item: ItemDef, holder: str) -> Reply | None:
    assert item.container is not None
    state = ctx.containers.state(holder, item.container)
    if state == OPEN:
        return None
    word = "locked" if state == LOCKED else "closed"
    return Reply.error(f"{item.name[0].upper() + item.name[1:]} is {word}.")


def container_door(ctx: Context, args: str, verb: str) -> Result | None:
    """``open``/``close``/``unlock`` a container; None when ``args`` names none."""
    found = find_container(ctx, args.removeprefix("the "))
    if found is None or isinstance(found, Reply):
        return found
    item, holder = found
    spec, boxes = item.container, ctx.containers
    assert spec is not None
    state = boxes.state(holder, spec)
    name = item.name
    if verb == "unlock":
        if state != LOCKED:
            return Reply.error(f"{name[0].upper() + name[1:]} is not locked.")
        if spec.key is None or ctx.player.inventory[spec.key] <= 0:
            return Reply.error("You don't have the key.")
        boxes.set_state(holder, CLOSED)
        return Reply.info(f"You unlock {name}.")
    if verb == "open":
        if state == LOCKED:
            return Reply.error(f"{name[0].upper() + name[1:]} is locked.")
        if state == OPEN:
            return Reply.error("It is already open.")
        boxes.set_state(holder, OPEN)
        pile = boxes.contents(holder, spec)
        inside = ctx.world.describe_items(pile)
        said = f" Inside: {', '.join(inside)}." if inside else " It is empty."
        return Reply.info(f"You open {name}.{said}")
    if state != OPEN:
        return Reply.error("It is already closed.")
    boxes.set_state(holder, CLOSED)
    return Reply.info(f"You close {name}.")


def look_inside(ctx: Context, item: ItemDef, holder: str) -> str:
    """A line for ``examine``: what the container holds, or that it is shut."""
    assert item.container is not None
    if _open_holder(ctx, item, holder) is not None:
        return f"It is {ctx.containers.state(holder, item.container)}."
    inside = ctx.world.describe_items(ctx.containers.contents(holder, item.container))
    return f"Inside: {', '.join(inside)}." if inside else "It is empty."


def get_from(ctx: Context, what: str, where: str) -> Result:
    """``get <item> from <container>``: into the pack, within the carrying limit."""
    found = find_container(ctx, where)
    if found is None:
        return Reply.error(f"There is no container called {where!r} here.")
    if isinstance(found, Reply):
        return found
    item, holder = found
    assert item.container is not None
    shut = _open_holder(ctx, item, holder)
    if shut is not None:
        return shut
    pile = ctx.containers.contents(holder, item.container)
    said = phrase(what, high=MAX_COUNT)
    if isinstance(said, Reply):
        return said
    got = pick_item(ctx, said, pile, f"There is no {{what}} in {item.name}.")
    if isinstance(got, Reply):
        return got
    thing = got.thing
    count = pile[thing.id] if said.count is None else min(said.count, pile[thing.id])
    if said.count is not None and said.count > pile[thing.id]:
        return Reply.error(f"There is only {ctx.world.some(thing.id, pile[thing.id])} in it.")
    refusal = too_heavy(ctx, thing, count)
    if refusal is not None:
        return refusal
    ctx.containers.take_out(ctx.player, holder, thing.id, count)
    text = ctx.world.some(thing.id, count)
    player = ctx.player
    ctx.to_room(
        player.room,
        Reply(Kind.MOVE, f"{player.name} takes {text} from {item.name}."),
        exclude=[player],
    )
    return Reply.info(f"You take {text} from {item.name}.")


@command("put", "stow", category="items")
def put(ctx: Context, args: str) -> Result:
    """Put something you carry into a bag you carry or a chest here (it must be open).

    A bag's contents stay yours: they weigh on you while you carry the bag.

    Usage:
      put <item> in <container>
      put 3 <items> in <container>
      put all <items> in <container>
    """
    what, sep, where = args.partition(" in ")
    if not sep:
        what, sep, where = args.partition(" into ")
    if not sep or not what.strip() or not where.strip():
        return Reply.error("Put what in what? Try: put herring in bag")
    found = find_container(ctx, where.strip())
    if found is None:
        return Reply.error(f"There is no container called {where.strip()!r} here.")
    if isinstance(found, Reply):
        return found
    box, holder = found
    spec = box.container
    assert spec is not None
    shut = _open_holder(ctx, box, holder)
    if shut is not None:
        return shut
    player = ctx.player
    said = phrase(what.strip(), high=MAX_COUNT)
    if isinstance(said, Reply):
        return said
    got = pick_item(ctx, said, player.inventory, "You are not carrying {what}.")
    if isinstance(got, Reply):
        return got
    thing = got.thing
    have = player.inventory[thing.id]
    count = have if said.count is None else said.count
    if count > have:
        return Reply.error(f"You only have {ctx.world.some(thing.id, have)}. Nothing was done.")
    if thing.id == box.id or thing.container is not None:
        return Reply.error("A container does not go inside a container.")
    pile = ctx.containers.contents(holder, spec)
    room_left = spec.capacity - sum(pile.values())
    if count > room_left:
        return Reply.error(
            f"{box.name[0].upper() + box.name[1:]} holds {spec.capacity} things and has room"
            f" for {room_left} more. Nothing was done."
        )
    ctx.containers.put(player, holder, thing.id, count)
    text = ctx.world.some(thing.id, count)
    ctx.to_room(
        player.room, Reply(Kind.MOVE, f"{player.name} puts {text} in {box.name}."), exclude=[player]
    )
    return Reply.info(f"You put {text} in {box.name}.")
