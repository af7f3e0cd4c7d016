"""The outbox releases a step's deliveries in order on commit and drops them on rollback."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from game.outbox import Delivery, Outbox, RoomChanged, ToPlayer, ToSession
from game.reply import Reply


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
