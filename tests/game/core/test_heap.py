"""The collector policy: what is alive after boot is frozen, later garbage is still found."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from game.core import heap


@pytest.fixture
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_settle_freezes_the_boot_heap_and_cycles_made_later_are_still_collected(
    unfrozen: None,
) -> None:
    booted = Node()
    heap.settle()
    assert gc.get_freeze_count() > 0
    later = Node()
    gone = weakref.ref(later)
    del later
    gc.collect()
    assert gone() is None
    assert booted.me is booted  # frozen objects stay alive and untouched
