"""A small world whose NPCs use every trigger kind, condition and action (for the tests)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from game.core.config import Settings
from game.engine.game import Game
from game.world.loader import load_content
from game.world.store import connect
from tests.conftest import FakeClock

AREA = """\
title: The Lab
start: hall
flags: [start]
"""
ROOMS = """\
- id: hall
  title: The Hall
  brief: A bare hall.
  description: A bare hall with a door to the north.
  night: The hall is dark; only the door to the north shows, a line of light under it.
  npcs: [keeper]
  exits:
    north: {to: yard, door: {closed: true, locked: true, key: brass-key}}
    east: echo
    down: cellar
- id: yard
  title: The Yard
  brief: A yard.
  description: A yard behind the hall.
  exits: {south: {to: hall, door: {closed: true, locked: true, key: brass-key}}}
- id: echo
  title: The Echo Room
  brief: Two parrots.
  description: Two parrots on one perch repeat each other.
  npcs: [polly, percy]
  exits: {west: hall}
- id: cellar
  title: The Cellar
  brief: A cellar.
  description: A cool cellar.
  items: [apple]
  exits: {up: hall}
"""
ITEMS = """\
- {id: apple, name: a red apple, description: A red apple.}
- {id: bread, name: a loaf of bread, plural: loaves of bread, description: A loaf.}
- {id: brass-key, name: a brass key, description: A brass key.}
"""
NPCS = """\
- id: keeper
  name: the keeper
  keywords: [keeper]
  description: The keeper of the hall.
  triggers:
    - on_enter:
      if: {phase: day}
      do: [{say: "Welcome, {player}."}]
    - on_enter:
      if: {phase: night}
      do: [{emote: "yawns at {player}."}]
    - on_say: [apple]
      if: {holds: apple}
      do: [{say: That apple looks good.}]
    - on_say: [errand]
      if: {quest: {id: errand, status: none}}
      do: [{start_quest: errand}]
    - on_say: [help]
      if: {quest: {id: errand, step: 1}}
      do: [{advance_quest: errand}, {say: Thank you.}]
    - on_say: [done]
      if: {quest: {id: errand, status: done}}
      do: [{say: You did it.}]
    - on_give: apple
      once: true
      do: [{give: bread}, {reward: 5}, {say: Thanks for the apple.}]
    - on_say: [toll]
      do: [{charge: 3}, {open: north}]
    - on_say: [fish]
      if: {skills: {fishing: 2}}
      do: [{say: A fisher!}]
    - on_say: [fetch]
      if: {lacks: bread}
      do: [{take: apple}, {say: Got it.}]
    - on_say: [go]
      do: [{move: cellar}]
    - on_say: [summon]
      do: [{spawn: {npc: cat}}, {spawn: {item: apple, count: 2, room: cellar}}]
    - on_time: dusk
      do: [{emote: lights a lamp.}]
    - on_time: {every: 60}
      do: [{emote: checks the hour.}]
    - on_attack:
      do: [{say: Help! Guards!}]
    - id: last-words
      on_death:
      once: true
      do: [{emote: falls.}, {spawn: {item: bread}}, {reward: 10}]
    - on_say: [trick]
      do:
        - move: cellar
        - spawn: {item: apple, room: hall}
        - open: {exit: north, room: hall}
        - take: bread
- id: cat
  name: a grey cat
  description: A grey cat.
- id: polly
  name: Polly
  description: A parrot.
  triggers:
    - on_say: [ping]
      do: [{say: ping}]
- id: percy
  name: Percy
  description: Another parrot.
  triggers:
    - on_say: [ping]
      do: [{say: ping}]
"""
QUESTS = """\
- id: errand
  title: An Errand
  description: Help the keeper.
  giver: keeper
  goals:
    - talk: keeper
    - visit: yard
  rewards: {tokens: 2}
"""
ECONOMY = """\
day_minutes: 24
skills:
  fishing: {label: Fishing, verb: fish}
"""

HOUR_MS = 60_000  # with day_minutes: 24, one game hour is one real minute


def write_world(root: Path) -> Path:
    lab = root / "lab"
    lab.mkdir(parents=True)
    for name, text in (
        ("area", AREA),
        ("rooms", ROOMS),
        ("items", ITEMS),
        ("npcs", NPCS),
        ("quests", QUESTS),
    ):
        (lab / f"{name}.yaml").write_text(text, encoding="utf-8")
    (root / "economy.yaml").write_text(ECONOMY, encoding="utf-8")
    return root


@contextmanager
def lab_game(settings: Settings, clock: FakeClock, tmp_path: Path) -> Iterator[Game]:
    root = write_world(tmp_path / "content")
    settings = replace(settings, content_dir=root)
    conn = connect(settings.db_path)
    game = Game(settings, conn, load_content(root), clock=clock, rng=random.Random(0))
    game.listeners.remove(game.rewards.on_event)
    try:
        yield game
    finally:
        conn.close()


def at_hour(clock: FakeClock, hour: int) -> None:
    """Move the clock forward to the next time the game hour is ``hour``:00."""
    day_ms = 24 * HOUR_MS
    target = (clock.now // day_ms) * day_ms + hour * HOUR_MS
    if target <= clock.now:
        target += day_ms
    clock.now = target
