"""Live content reload: validate the whole tree, then swap it in one assignment.

With any error the running world is untouched and the problems go back to whoever asked.
Otherwise nobody is disconnected: players standing in rooms that no longer exist are moved
to their area's start room, new rooms get their items, every screen is refreshed, and
``ContentReloaded`` carries the diff. :class:`ContentWatcher` is the opt-in file watcher
(``reload watch on``): it polls file times and sizes, off the event loop.

Reading and checking the files runs in a worker thread, never on the event loop, so a big
(or hostile) content tree never stalls the other players; only the swap itself runs on the
loop, between two commands. One reload runs at a time. A watched reload that fails is
logged and told to every online builder and admin, not only to whoever turned the
watcher on.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import structlog

from bridge.events import ContentReloaded
from game.core.outbox import Outbox
from game.core.periodic import Periodic
from game.core.reply import Kind, Reply
from game.services.audit import Audit
from game.services.presence import Online
from game.world.loader import check_content
from game.world.model import Content
from game.world.problems import Problem, report_order
from game.world.source import Where
from game.world.state import World
from game.world.store import Store

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
    pending: bool = False  # checking in a worker thread; the outcome is told when done
    note: str = ""  # instead of a diff: why nothing was started

    def summary(self) -> str:
        """What an admin reads: the errors, or the diff in one line per kind of change."""
        if self.note:
            return self.note
        if self.pending:
            return (
                "Checking the content files in the background; the game goes on meanwhile."
                " You will see the result here."
            )
        if not self.ok:
            lines = [f"Reload refused: {len(self.errors)} error(s); the world is unchanged."]
            shown = sorted((p for p in self.problems if p.severity != "warning"), key=report_order)
            return "\n".join(lines + [str(p) for p in shown])
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


def _check(root: Path) -> tuple[Content | None, list[Problem]]:
    """:func:`check_content`, with anything unexpected turned into a problem, not raised."""
    try:
        return check_content(root, warnings=False)
    except (Exception, RecursionError, MemoryError) as exc:
        log.exception("content_check_crashed", root=str(root))
        return None, [Problem(Where(str(root), 1, 1), f"the content check failed: {exc!r}")]


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
    :class:`~game.core.periodic.Periodic` it runs every ``interval`` seconds in production.
    The poll and the parse run in a thread.
    """

    def __init__(
        self,
        content_dir: Path,
        world: World,
        online: Online,
        store: Store,
        audit: Audit,
        outbox: Outbox,
        clock: Callable[[], int],
        interval: float = 1.0,
    ) -> None:
        super().__init__()
        self.content_dir = content_dir
        self.world = world
        self.online = online
        self.store = store
        self.audit = audit
        self.outbox = outbox
        self.clock = clock
        self.interval_s = interval
        self.enabled = False
        self.notify: str | None = None  # the admin who turned it on hears the results
        self._seen: tuple[tuple[str, int, int], ...] | None = None
        self.running: asyncio.Task[ReloadResult] | None = None  # one reload at a time
        self._polling = False  # the watcher is reading the files
        self.last: ReloadResult | None = None  # the outcome of the latest reload, for status

    def reload(self, by: str, root: Path | None = None) -> ReloadResult:
        """Validate ``root`` (the configured content folder by default) and swap it in.

        On the running server (called from a command, on the event loop) the files are read
        and checked in a worker thread: this returns at once with a ``pending`` result and
        ``by`` is told the outcome when it is done (:meth:`ContentWatcher.reload_for`).
        Without a running loop (scripts, tests) it checks and swaps before returning.
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            started = time.perf_counter()
            content, problems = _check(root or self.content_dir)
            return self.apply(content, problems, by, started)
        return self.reload_for(by, root)

    def apply(
        self, content: Content | None, problems: list[Problem], by: str, started: float
    ) -> ReloadResult:
        """Swap in checked content (or refuse it, on errors); move stranded players. One
        step: every screen's room redraw goes out once, after the swap."""
        errors = tuple(p for p in problems if p.severity == "error")
        if content is None:
            log.warning("reload_refused", by=by, errors=len(errors))
            self.last = ReloadResult(False, tuple(problems), errors=errors)
            return self.last
        with self.outbox.step():
            self.last = self._swap(content, problems, by, started)
            return self.last

    def _swap(
        self, content: Content, problems: list[Problem], by: str, started: float
    ) -> ReloadResult:
        world = self.world
        added, changed, removed = diff(world.content, content)
        world.content = content  # the swap: one assignment, between two commands
        moved = []
        for player in list(world.online.values()):
            if player.room not in content.rooms:
                world.move(player, content.area_start(player.room))
                moved.append(player.name)
                self.outbox.tell(
                    player.name,
                    Reply(Kind.SYSTEM, "The world shifts around you; you find yourself elsewhere."),
                )
        world.npc_rooms = {
            n: r for n, r in world.npc_rooms.items() if n in content.npcs and r in content.rooms
        }
        world.seed_items(content.rooms[r.split(" ", 1)[1]] for r in added if r.startswith("room "))
        for session in self.online:
            self.outbox.room_changed(session.player.room)
            self.outbox.status_changed(session.player.name)
        elapsed = (time.perf_counter() - started) * 1000
        self.outbox.publish(
            ContentReloaded(
                ts=float(self.clock()),
                added=tuple(added),
                changed=tuple(changed),
                removed=tuple(removed),
                by=by,
            )
        )
        log.info("content_reloaded", by=by, added=len(added), changed=len(changed), ms=elapsed)
        return ReloadResult(
            True,
            tuple(problems),
            tuple(added),
            tuple(changed),
            tuple(removed),
            tuple(moved),
            elapsed,
        )

    def enable(self, admin: str) -> None:
        self.enabled, self.notify = True, admin
        self._seen = fingerprint(self.content_dir)

    def disable(self) -> None:
        self.enabled = False

    def reload_for(self, by: str, root: Path | None = None) -> ReloadResult:
        """Start a reload in the background for ``by`` (who hears the result); a pending
        result now, or a refusal if one is already running. Needs a running loop."""
        if self.busy:
            return ReloadResult(
                False,
                note="A reload is already running; its result comes here. Nothing new started.",
            )
        self.running = asyncio.get_running_loop().create_task(self._reload(by, root))
        return ReloadResult(True, pending=True)

    @property
    def busy(self) -> bool:
        """A reload (asked for, or by the watcher) is being checked right now."""
        return self._polling or (self.running is not None and not self.running.done())

    async def _reload(self, by: str, root: Path | None) -> ReloadResult:
        started = time.perf_counter()
        where = root or self.content_dir
        content, problems = await asyncio.to_thread(_check, where)
        result = self.apply(content, problems, by, started)
        kind = Kind.SYSTEM if result.ok else Kind.ERROR
        self.audit.record(by, "reload", "content", "", result.summary().split("\n", 1)[0])
        self.outbox.tell(by, Reply(kind, result.summary()))
        return result

    async def check(self) -> ReloadResult | None:
        if not self.enabled or self.busy:
            return None
        root = self.content_dir
        self._polling = True
        try:
            seen = await asyncio.to_thread(fingerprint, root)
            if seen == self._seen:
                return None
            self._seen = seen
            started = time.perf_counter()
            content, problems = await asyncio.to_thread(_check, root)
        finally:
            self._polling = False
        result = self.apply(content, problems, "watcher", started)
        if not result.ok:
            self._tell_staff(result)
        elif self.notify:
            self.outbox.tell(self.notify, Reply(Kind.SYSTEM, result.summary()))
        return result

    def _tell_staff(self, result: ReloadResult) -> None:
        """A watched reload failed: log it, and tell the watcher's owner and every online
        builder and admin (a silent failure leaves the world stale with nobody knowing)."""
        first = str(result.errors[0]) if result.errors else ""
        log.warning("watched_reload_failed", errors=len(result.errors), first=first)
        text = "Content watcher: " + result.summary()
        for session in self.online:
            name = session.player.name
            account = self.store.account(name)
            role = account.role if account is not None else session.player.role
            if role in ("builder", "admin") or name.lower() == (self.notify or "").lower():
                session.send([Reply(Kind.ERROR, text)])

    async def step(self) -> None:
        await self.check()
