"""Gates on exits and areas, live reload in process, and wandering NPCs."""

from __future__ import annotations

import shutil
from pathlib import Path

from bridge.events import ContentReloaded, Event
from game.core.reply import Kind
from game.engine.game import Game
from tests.conftest import ROOT, FakeClock, join, run


def test_exit_requires_an_unlock(game: Game) -> None:
    ana, _ = join(game, "ana")
    game.world.move(ana.player, "wood:oak")
    reply = run(ana, "west")
    assert reply.kind is Kind.ERROR
    assert reply.text == "That is not open to you yet; it needs the unlock hermit-friend."
    assert ana.player.room == "wood:oak"
    game.grant_unlock("ana", "hermit-friend", "test", "test")
    assert run(ana, "west").text.startswith("Hermit's Cave")


def test_premium_area_refuses_free_players_without_the_unlock(game: Game) -> None:
    ana, _ = join(game, "ana")
    game.world.move(ana.player, "town:pier")
    reply = run(ana, "east")
    assert reply.kind is Kind.ERROR
    assert reply.text.startswith("The Glass Isle is a premium area.")
    assert ana.player.room == "town:pier"
    game.grant_unlock("ana", "glass-isle", "test", "test")
    assert run(ana, "east").text.startswith("Ferry Landing")


def _copy_content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    return root


def test_reload_swaps_world_moves_players_and_reports_diff(game: Game, tmp_path: Path) -> None:
    root = _copy_content(tmp_path)
    ana, screen = join(game, "ana")
    game.world.move(ana.player, "town:loft")
    seen: list[Event] = []
    game.listeners.append(seen.append)
    rooms = root / "town" / "rooms.yaml"
    text = rooms.read_text()
    start = text.index("- id: loft")
    end = text.index("- id: kitchen")
    text = text[:start] + text[end:]
    text = text.replace("    up: loft\n", "").replace("dry stone\n", "dry marble\n")
    text += "\n- id: cellar\n  title: Cellar\n  brief: Dark.\n  description: A dark cellar.\n"
    rooms.write_text(text)
    result = game.content_watcher.reload("ana", root)
    assert result.ok, result.summary()
    assert result.added == ("room town:cellar",)
    assert result.removed == ("room town:loft",)
    assert {"room town:square", "room town:hall"} <= set(result.changed)
    assert result.moved == ("ana",)
    assert ana.player.room == "town:square"
    assert game.store.account("ana").room == "town:square"  # type: ignore[union-attr]
    assert "The world shifts around you" in screen.text
    assert screen.closed is None
    assert "dry marble" in run(ana, "look").text
    [event] = [e for e in seen if isinstance(e, ContentReloaded)]
    assert event.removed == ("room town:loft",)
    assert event.by == "ana"
    assert "1 added" in result.summary()
    assert "1 removed" in result.summary()


def test_reload_with_errors_changes_nothing(game: Game, tmp_path: Path) -> None:
    root = _copy_content(tmp_path)
    (root / "town" / "rooms.yaml").write_text("- id: square\n  title: [broken\n")
    (root / "moor" / "rooms.yaml").write_text(
        (root / "moor" / "rooms.yaml").read_text().replace("south: hut", "south: hutt")
    )
    before = game.world.content
    result = game.content_watcher.reload("ana", root)
    assert not result.ok
    assert game.world.content is before
    summary = result.summary()
    assert summary.startswith("Reload refused:")
    assert "town/rooms.yaml:" in summary
    assert "unknown room 'moor:hutt' (did you mean 'moor:hut'?)" in summary


def test_reload_command_is_for_admins(game: Game) -> None:
    game.ensure_account("root")
    game.store.set_role("root", "admin")
    root, _ = join(game, "root")
    ana, _ = join(game, "ana")
    assert run(ana, "reload").kind is Kind.ERROR
    reply = run(root, "reload")
    assert reply.ok
    assert reply.text.startswith("Reloaded in")
    assert "0 added, 0 changed, 0 removed" in reply.text


async def test_watcher_reloads_when_files_change(game: Game, tmp_path: Path) -> None:
    root = _copy_content(tmp_path)
    watcher = game.content_watcher
    watcher.content_dir = root
    assert await watcher.check() is None  # off until an admin turns it on
    watcher.enable("root")
    assert await watcher.check() is None  # nothing changed yet
    area = root / "moor" / "area.yaml"
    area.write_text(area.read_text().replace("Harrow Moor", "Harrow Heath"))
    result = await watcher.check()
    assert result is not None
    assert result.ok
    assert result.changed == ("area moor",)
    assert game.world.content.areas["moor"].title == "Harrow Heath"


def test_wanderer_moves_on_its_interval(game: Game, clock: FakeClock) -> None:
    ana, screen = join(game, "ana")
    game.world.move(ana.player, "town:market")
    assert game.wanderers.tick() == []  # first tick only schedules
    clock.tick(44_000)
    assert game.wanderers.tick() == []
    clock.tick(1_000)
    [(npc, start, to)] = game.wanderers.tick()
    assert (npc, start) == ("town:dog", "town:market")
    assert game.world.content.rooms[to].area == "town"
    assert "A scruffy dog wanders" in screen.text
    assert "a scruffy dog" not in run(ana, "look").text
    game.world.move(ana.player, to)
    assert "a scruffy dog" in run(ana, "look").text
    assert run(ana, "talk dog").ok


def test_taken_items_respawn_after_their_delay(game: Game, clock: FakeClock) -> None:
    ana, _ = join(game, "ana")
    game.world.move(ana.player, "isle:beach")
    respawner = game.wanderers.respawner
    assert run(ana, "get glass").ok
    assert respawner.tick() == []  # notes the shortfall
    clock.tick(599_000)
    assert respawner.tick() == []
    clock.tick(1_000)
    assert respawner.tick() == [("isle:beach", "isle:sea-glass", 1)]
    assert game.world.floor["isle:beach"]["isle:sea-glass"] == 3
    assert game.store.room_items()["isle:beach"]["isle:sea-glass"] == 3
