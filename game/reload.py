"""Live content reload: validate the whole tree, then swap it in one assignment.

With any error the running world is untouched and the problems go back to whoever asked.
Otherwise nobody is disconnected: players standing in rooms that no longer exist are moved
to their area's start room, new rooms get their items, every screen is refreshed, and
``ContentReloaded`` carries the diff. :class:`ContentWatcher` is the opt-in file watcher
(``reload watch on``): it polls file times and sizes, off the event loop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import structlog

from bridge.events import ContentReloaded
from game.periodic import Periodic
from game.reply import Kind, Reply
from game.world.loader import check_content
from game.world.model import Content
from game.world.problems import Problem

if TYPE_CHECKING:
    from game.game import Game

log = structlog.get_logger("sshrealm.reload")
KINDS = ("areas", "rooms", "items", "npcs", "quests", "shops")


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    problems: tuple[Problem, ...] = ()
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    moved: tuple[str, ...] = ()  # players moved out of removed rooms
    duration_ms: float = 0.0
    errors: tuple[Problem, ...] = field(default=())

    def summary(self) -> str:
        """What an admin reads: the errors, or the diff in one line per kind of change."""
        if not self.ok:
            lines = [f"Reload refused: {len(self.errors)} error(s); the world is unchanged."]
            return "\n".join(lines + [str(p) for p in self.errors])
        lines = [
            f"Reloaded in {self.duration_ms:.0f} ms: {len(self.added)} added, "
            f"{len(self.changed)} changed, {len(self.removed)} removed."
        ]
        for label, refs in (("Added", self.added), ("Changed", self.changed)):
            if refs:
                lines.append(f"{label}: {', '.join(refs)}.")
        if self.removed:
            lines.append(f"Removed: {', '.join(self.removed)}.")
        if self.moved:
            lines.append(f"Moved to their area's start: {', '.join(self.moved)}.")
        return "\n".join(lines)


def diff(old: Content, new: Content) -> tuple[list[str], list[str], list[str]]:
    """(added, changed, removed) as ``kind:area:id`` strings, e.g. ``room town:square``."""
    added, changed, removed = [], [], []
    for kind in KINDS:
        before: Mapping[str, object] = getattr(old, kind)
        after: Mapping[str, object] = getattr(new, kind)
        label = kind.removesuffix("s")
        added += [f"{label} {r}" for r in after if r not in before]
        removed += [f"{label} {r}" for r in before if r not in after]
        changed += [f"{label} {r}" for r in after if r in before and before[r] != after[r]]
    if old.economy != new.economy:
        changed.append("economy")
    return added, changed, removed


def reload_content(game: Game, by: str, root: Path | None = None) -> ReloadResult:
    """Validate ``root`` (the configured content folder by default) and swap it in."""
    started = time.perf_counter()
    content, problems = check_content(root or game.settings.content_dir, warnings=False)
    return apply_content(game, content, problems, by, started)


def apply_content(
    game: Game, content: Content | None, problems: list[Problem], by: str, started: float
) -> ReloadResult:
    errors = tuple(p for p in problems if p.severity == "error")
    if content is None:
        log.warning("reload_refused", by=by, errors=len(errors))
        return ReloadResult(False, tuple(problems), errors=errors)
    world = game.world
    added, changed, removed = diff(world.content, content)
    world.content = content  # the swap: one assignment, between two commands
    moved = []
    for player in list(world.online.values()):
        if player.room not in content.rooms:
            world.move(player, content.area_start(player.room))
            moved.append(player.name)
            game.sessions.to_player(
                player.name,
                [Reply(Kind.SYSTEM, "The world shifts around you; you find yourself elsewhere.")],
            )
    world.npc_rooms = {
        n: r for n, r in world.npc_rooms.items() if n in content.npcs and r in content.rooms
    }
    world.seed_items(content.rooms[r.split(" ", 1)[1]] for r in added if r.startswith("room "))
    for session in game.sessions:
        game.refresh_room(session.player.room)
        session.refresh_status()
    elapsed = (time.perf_counter() - started) * 1000
    game.publish(
        ContentReloaded(
            ts=game.now(), added=tuple(added), changed=tuple(changed), removed=tuple(removed), by=by
        )
    )
    log.info("content_reloaded", by=by, added=len(added), changed=len(changed), ms=elapsed)
    return ReloadResult(
        True, tuple(problems), tuple(added), tuple(changed), tuple(removed), tuple(moved), elapsed
    )


def fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of every YAML file under ``root``."""
    out = []
    for path in sorted(root.rglob("*.yaml")):
        stat = path.stat()
        out.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(out)


class ContentWatcher(Periodic):
    """Opt-in: reload when content files change. Off until an admin turns it on.

    ``check()`` does one poll and is what tests call; as a
    :class:`~game.periodic.Periodic` it runs every ``interval`` seconds in production.
    The poll and the parse run in a thread.
    """

    def __init__(self, game: Game, interval: float = 1.0) -> None:
        super().__init__()
        self.game = game
        self.interval_s = interval
        self.enabled = False
        self.notify: str | None = None  # the admin who turned it on hears the results
        self._seen: tuple[tuple[str, int, int], ...] | None = None

    def enable(self, admin: str) -> None:
        self.enabled, self.notify = True, admin
        self._seen = fingerprint(self.game.settings.content_dir)

    def disable(self) -> None:
        self.enabled = False

    async def check(self) -> ReloadResult | None:
        if not self.enabled:
            return None
        root = self.game.settings.content_dir
        seen = await asyncio.to_thread(fingerprint, root)
        if seen == self._seen:
            return None
        self._seen = seen
        started = time.perf_counter()
        content, problems = await asyncio.to_thread(check_content, root, warnings=False)
        result = apply_content(self.game, content, problems, "watcher", started)
        if self.notify:
            self.game.sessions.to_player(self.notify, [Reply(Kind.SYSTEM, result.summary())])
        return result

    async def step(self) -> None:
        await self.check()
