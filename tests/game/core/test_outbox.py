"""The outbox releases a step's deliveries in order on commit and drops them on rollback."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from game.core.outbox import Delivery, Outbox, RoomChanged, ToPlayer, ToSession
from game.core.reply import Reply


def line(text: str) -> ToPlayer:
    return ToPlayer("ana", (Reply.info(text),))


class Recorder:
    def __init__(self) -> None:
        self.batches: list[list[Delivery]] = []
        self.outbox = Outbox(self.release)
        self.then: list[Delivery] = []  # queued by the first release, as a listener would

    def release(self, batch: Sequence[Delivery]) -> None:
        self.batches.append(list(batch))
        while self.then:
            self.outbox.put(self.then.pop(0))

    @property
    def texts(self) -> list[str]:
        return [
            r.text
            for batch in self.batches
            for d in batch
            if isinstance(d, ToPlayer | ToSession)
            for r in d.replies
        ]


def test_outside_a_step_a_delivery_leaves_at_once() -> None:
    rec = Recorder()
    rec.outbox.put(line("now"))
    assert rec.texts == ["now"]


def test_a_step_releases_on_commit_with_its_head_first() -> None:
    rec = Recorder()
    with rec.outbox.step() as first:
        rec.outbox.put(line("Quest complete"))
        assert rec.texts == []
        first(ToSession("s1", (Reply.info("You hand over two herrings."),)))
    assert rec.texts == ["You hand over two herrings.", "Quest complete"]
    assert len(rec.batches) == 1


def test_a_failed_step_drops_its_deliveries_and_undoes_in_reverse() -> None:
    rec = Recorder()
    undone: list[str] = []
    rec.outbox.put(line("before"))

    def failing_step() -> None:
        with rec.outbox.step():
            rec.outbox.put(line("ana arrives"))
            rec.outbox.on_rollback(lambda: undone.append("move back"))
            rec.outbox.on_rollback(lambda: undone.append("take the item back"))
            raise RuntimeError("the charge failed")

    with pytest.raises(RuntimeError, match="the charge failed"):
        failing_step()
    assert rec.texts == ["before"]
    assert undone == ["take the item back", "move back"]


def test_nested_steps_release_once_and_an_inner_failure_drops_only_its_part() -> None:
    rec = Recorder()
    with rec.outbox.step():
        rec.outbox.put(line("outer"))

        def inner() -> None:
            with rec.outbox.step():
                rec.outbox.put(line("inner"))
                raise ValueError("inner failed")

        with pytest.raises(ValueError, match="inner failed"):
            inner()
        with rec.outbox.step():
            rec.outbox.put(line("kept"))
        assert rec.batches == []
    assert rec.texts == ["outer", "kept"]


def test_what_a_release_queues_follows_in_the_same_flush() -> None:
    rec = Recorder()
    rec.then = [line("First visit: +1 token"), RoomChanged("town:hall")]
    with rec.outbox.step():
        rec.outbox.put(line("The Old Hall"))
    assert rec.texts == ["The Old Hall", "First visit: +1 token"]
    assert rec.batches[1][-1] == RoomChanged("town:hall")


def test_outside_a_step_undo_is_not_kept() -> None:
    rec = Recorder()
    rec.outbox.on_rollback(lambda: pytest.fail("nothing to roll back outside a step"))
    with rec.outbox.step():
        pass


# -- the outbox in the game: what a failed step must leave as it was ---------------------------

from game.commands.base import CommandSpec, Context, Result  # noqa: E402
from game.engine.execute import APOLOGY  # noqa: E402
from game.engine.game import Game  # noqa: E402
from tests.conftest import join, run  # noqa: E402


def _failing(game: Game, name: str, act: Callable[[Context], None]) -> None:
    def doomed(ctx: Context, args: str) -> Result:
        """Do something, then fail (a fault planted by the test).

        Usage:
          doomed
        """
        act(ctx)
        raise RuntimeError("after the fact")

    game.registry.add(CommandSpec(name, (), doomed, role="admin"))


def test_a_kick_in_a_failed_step_leaves_the_session_playing(game: Game) -> None:
    root, _ = join(game, "root")
    game.store.set_role("root", "admin")
    root.player.role = "admin"
    bob, bob_screen = join(game, "bob")
    _failing(game, "kickfail", lambda ctx: game.sessions.get("bob").close("kicked"))  # type: ignore[union-attr]
    assert run(root, "kickfail").text == APOLOGY
    assert not bob.closed
    assert bob_screen.closed is None
    assert game.sessions.get("bob") is bob
    assert run(bob, "look").ok


def test_one_broken_front_end_does_not_silence_the_room(game: Game) -> None:
    ana, _ = join(game, "ana")
    bob, bob_screen = join(game, "bob")
    _cyra, cyra_screen = join(game, "cyra")

    def broken(replies: object) -> None:
        raise BrokenPipeError("gone")

    bob.front_end.deliver = broken  # type: ignore[method-assign]
    run(ana, "say hello all")
    assert "ana says" in cyra_screen.text.lower()
    assert bob_screen.text.count("hello all") == 0


def test_a_pack_change_in_a_failed_step_is_undone(game: Game) -> None:
    root, _ = join(game, "root")
    game.store.set_role("root", "admin")
    root.player.role = "admin"
    before = dict(root.player.inventory)
    _failing(game, "packfail", lambda ctx: game.world.change_pack(ctx.player, {"town:bread": 2}))
    assert run(root, "packfail").text == APOLOGY
    assert dict(root.player.inventory) == before
    assert game.store.inventory("root") == before
