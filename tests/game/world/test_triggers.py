"""The trigger language as authors meet it: located errors, did-you-mean, and the
``content check`` findings for triggers that can never fire or name unknown things."""

from __future__ import annotations

from pathlib import Path

from game.world.clock import DayClock
from game.world.loader import check_content
from game.world.schema import build_schema
from game.world.triggers import ACTIONS, CONDITION_KEYS, KINDS, QUEST_CONDITION_KEYS, TRIGGER_KEYS
from tests.game.services.trigger_world import write_world
from tests.game.world.test_content import write

BASE = {
    "t/area.yaml": "title: T\nstart: a\n",
    "t/rooms.yaml": (
        "- id: a\n  title: A\n  brief: A.\n  description: Room A.\n  npcs: [n]\n"
        "  items: [apple]\n"
        "  exits:\n    north: {to: b, door: {closed: true}}\n"
        "- id: b\n  title: B\n  brief: B.\n  description: Room B.\n"
        "  exits:\n    south: {to: a, door: {closed: true}}\n"
    ),
    "t/items.yaml": (
        "- {id: apple, name: an apple, description: An apple.}\n"
        "- {id: relic, name: a relic, description: A relic nobody can get.}\n"
    ),
    "t/quests.yaml": (
        "- id: q\n  title: Q\n  description: A quest.\n  goals: [{visit: b}, {talk: n}]\n"
    ),
    "economy.yaml": "skills:\n  fishing: {label: Fishing, verb: fish}\n",
}


def problems_of(tmp_path: Path, triggers: str) -> list[str]:
    npcs = "- id: n\n  name: Nell\n  description: Nell.\n  topics: {q: {text: Go., starts: q}}\n"
    root = write(tmp_path / "c", {**BASE, "t/npcs.yaml": npcs + "  triggers:\n" + triggers})
    _, problems = check_content(root)
    return [str(p) for p in problems]


def test_a_good_trigger_is_clean(tmp_path: Path) -> None:
    clean = (
        "    - on_say: [hello]\n"
        "      if: {holds: apple, quest: {id: q, step: 2}, skills: {fishing: 2}, phase: day}\n"
        "      do: [{say: Hi.}, {open: north}, {give: apple}]\n"
    )
    assert problems_of(tmp_path, clean) == []


def test_errors_are_located_with_did_you_mean(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        "    - on_say: [hello]\n"  # line 6
        "      do: [{sya: Hi.}]\n"
        "    - on_tiem: dusk\n"
        "      do: [{say: Hi.}]\n"
        "    - on_time: dsuk\n"
        "      do: [{say: Hi.}]\n"
        "    - on_give: aple\n"
        "      do: [{give: apple}]\n",
    )
    assert "c/t/npcs.yaml:7:18: error: unknown action 'sya' (did you mean 'say'?)" in found
    assert any("c/t/npcs.yaml:8:16: error: unknown field 'on_tiem' in trigger" in p for p in found)
    assert "c/t/npcs.yaml:10:16: error: unknown phase 'dsuk' (did you mean 'dusk'?)" in found
    assert "c/t/npcs.yaml:12:16: error: unknown item 't:aple' (did you mean 't:apple'?)" in found


def test_unreachable_triggers_and_conditions_that_never_hold(tmp_path: Path) -> None:
    found = "\n".join(
        problems_of(
            tmp_path,
            "    - on_say: []\n"
            "      do: [{say: Hi.}]\n"
            "    - on_enter:\n"
            "      if: {quest: {id: q, step: 3}}\n"
            "      do: [{say: Hi.}]\n"
            "    - on_enter:\n"
            "      if: {quest: {id: q, status: done, step: 1}}\n"
            "      do: [{say: Hi.}]\n"
            "    - on_enter:\n"
            "      if: {skills: {fishing: 99}, holds: apple, lacks: apple}\n"
            "      do: [{say: Hi.}]\n"
            "    - on_time: dawn\n"
            "      if: {phase: night}\n"
            "      do: [{say: Hi.}]\n",
        )
    )
    assert "an on_say trigger with no keywords can never fire" in found
    assert "quest 't:q' has 2 step(s), so step 3 can never be reached" in found
    assert "'step' (counted from 1) only goes with status active" in found
    assert "skill 'fishing' never reaches level 99 (the highest is 10)" in found
    assert "'holds' and 'lacks' both name 't:apple': never true" in found
    assert "this trigger runs at dawn but its 'if' asks for night: it can never fire" in found


def test_unknown_things_are_named(tmp_path: Path) -> None:
    found = "\n".join(
        problems_of(
            tmp_path,
            "    - on_enter:\n"
            "      do:\n"
            "        - move: nowhere\n"
            "        - open: west\n"
            "        - start_quest: qq\n"
            "        - spawn: {npc: ghost, room: a}\n"
            "      if: {skills: {fishin: 1}}\n",
        )
    )
    assert "unknown room 't:nowhere'" in found
    assert "unknown door: room 't:a' has no door on an exit 'west' (doors here: north)" in found
    assert "unknown quest 't:qq' (did you mean 't:q'?)" in found
    assert "unknown npc 't:ghost'" in found
    assert "unknown skill 'fishin' (did you mean 'fishing'?)" in found


def test_bounds_no_token_taps_no_player_actions_on_the_clock(tmp_path: Path) -> None:
    found = "\n".join(
        problems_of(
            tmp_path,
            "    - on_say: [gift]\n"
            "      do: [{reward: 5}]\n"
            "    - on_say: [big]\n"
            "      once: true\n"
            "      do: [{reward: 500}]\n"
            "    - on_time: {every: 10}\n"
            "      if: {holds: apple}\n"
            "      do: [{give: apple}]\n"
            "    - on_enter:\n"
            "      do: [" + ", ".join(["{say: Hi.}"] * 11) + "]\n",
        )
    )
    assert "must be 'once: true' (once per player) or have a 'cooldown' of at least 3600" in found
    assert "'reward' must be a whole number of tokens from 1 to 100" in found
    assert "'give' needs a player, and an on_time trigger has none" in found
    assert "an on_time trigger has no player: its 'if' may only test the phase" in found
    assert "a trigger may do at most 10 actions" in found


def test_an_item_a_shop_buys_is_bounded_like_tokens(tmp_path: Path) -> None:
    shops = "- id: s\n  room: a\n  buys: {apple: 3}\n"
    npcs = (
        "- id: n\n  name: Nell\n  description: Nell.\n  topics: {q: {text: Go., starts: q}}\n"
        "  triggers:\n    - on_say: [apple]\n      do: [{give: apple}]\n"
    )
    root = write(tmp_path / "c", {**BASE, "t/shops.yaml": shops, "t/npcs.yaml": npcs})
    _, problems = check_content(root)
    assert any(
        "shop 't:s' buys 't:apple', so handing it out is a token faucet" in str(p) for p in problems
    )


def test_warnings_for_triggers_no_player_can_set_off(tmp_path: Path) -> None:
    found = problems_of(
        tmp_path,
        "    - on_give: relic\n      do: [{say: Thanks.}]\n",
    )
    assert found == [
        "c/t/npcs.yaml:6:7: warning: 't:n' waits to be given 't:relic', but no player can ever"
        " get one (it is not placed, sold, gathered, cooked, rewarded, looted or given)"
    ]


def test_the_test_world_is_clean(tmp_path: Path) -> None:
    world, problems = check_content(write_world(tmp_path / "content"))
    assert [str(p) for p in problems] == []
    assert world is not None
    assert world.economy.day_minutes == 24
    keeper = world.npcs["lab:keeper"]
    assert {t.kind for t in keeper.triggers} == {"enter", "say", "give", "time", "attack", "death"}


def test_the_clock_phases() -> None:
    day = DayClock(24)  # a game hour is a real minute
    hour = 60_000
    assert [day.phase(h * hour) for h in (0, 4, 5, 6, 7, 17, 18, 19, 20, 23, 24)] == [
        "night",
        "night",
        "dawn",
        "dawn",
        "day",
        "day",
        "dusk",
        "dusk",
        "night",
        "night",
        "night",
    ]
    assert day.clock_face(7 * hour + 30_000) == "07:30"
    assert day.game_minutes(day.ms_at(90)) == 90
    assert day.game_minutes(day.ms_at(90) - 1) == 89


def test_the_schema_covers_the_trigger_language() -> None:
    defs = build_schema()["$defs"]
    assert {next(iter(a["properties"])) for a in defs["action"]["oneOf"]} == set(ACTIONS)
    assert set(defs["condition"]["properties"]) == CONDITION_KEYS
    quest = defs["condition"]["properties"]["quest"]["oneOf"][1]
    assert set(quest["properties"]) == QUEST_CONDITION_KEYS
    for shape in defs["trigger"]["oneOf"]:
        assert set(shape["properties"]) <= TRIGGER_KEYS
    keys = {k for shape in defs["trigger"]["oneOf"] for k in shape["properties"]}
    assert keys == TRIGGER_KEYS
    assert {k for k in keys if k.startswith("on_")} == {f"on_{k}" for k in KINDS}
    assert "triggers" in defs["npc"]["properties"]
