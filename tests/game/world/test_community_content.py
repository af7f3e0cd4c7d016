"""community.yaml: channels and socials load, and every mistake is located to its line."""

from __future__ import annotations

import shutil
from pathlib import Path

from game.world.loader import check_content
from tests.conftest import ROOT


def world_with(tmp_path: Path, community: str) -> tuple[object, list[str]]:
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    (root / "community.yaml").write_text(community, encoding="utf-8")
    world, problems = check_content(root, warnings=False)
    return world, [str(p) for p in problems]


def test_the_starter_world_has_channels_and_socials() -> None:
    world, problems = check_content(ROOT / "content", warnings=False)
    assert problems == []
    assert world is not None
    assert {"chat", "newbie", "trade", "staff"} <= set(world.community.channels)
    assert world.community.socials["smile"].room_target == "{actor} smiles at {target}."


def test_mistakes_are_located(tmp_path: Path) -> None:
    _, problems = world_with(
        tmp_path,
        "channels:\n"
        "  Chat!: {title: x}\n"
        "  ok:\n"
        "    title: Ok\n"
        "    read: wizard\n"
        "    colour: red\n"
        "  mods: {title: Mods, read: admin, write: player}\n"
        "socials:\n"
        "  wave:\n"
        "    you: You wave.\n"
        "    room: '{actor} waves at {who}.'\n"
        "  poke:\n"
        "    you: You poke.\n"
        "    room: '{actor} pokes.'\n"
        "    target: '{actor} pokes you.'\n",
    )
    assert problems == [
        "content/community.yaml:2:10: error: channel name 'Chat!' must be 2-20 lower-case"
        " letters, digits or '-'",
        "content/community.yaml:6:13: error: unknown field 'colour' in channel",
        "content/community.yaml:5:11: error: 'read' must be one of player, builder, admin",
        "content/community.yaml:7:43: error: who may write must also be allowed to read",
        "content/community.yaml:11:11: error: 'room' may only use {actor}, not ['who']",
        "content/community.yaml:13:5: error: social 'poke' aimed at someone also needs"
        " ['room_target', 'you_target']",
    ]


def test_no_file_means_no_channels_or_socials(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    (root / "community.yaml").unlink()
    world, problems = check_content(root, warnings=False)
    assert problems == []
    assert world is not None
    assert world.community.channels == {}
