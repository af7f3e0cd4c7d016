"""The adaptive repaint tick: short while the loop keeps up, longer while it falls behind."""

from __future__ import annotations

from game.fronts.tui.pacing import Pacer


def test_on_time_flushes_keep_the_base_tick() -> None:
    pacer = Pacer(0.03, 0.2)
    for _ in range(50):
        pacer.observe(0.001)
    assert pacer.interval == 0.03


def test_late_flushes_grow_the_tick_up_to_the_ceiling_then_it_shrinks_back() -> None:
    pacer = Pacer(0.03, 0.2)
    seen = [pacer.observe(0.1) for _ in range(30)]
    assert seen == sorted(seen)
    assert pacer.interval == 0.2
    for _ in range(100):
        pacer.observe(0.0)
    assert pacer.interval == 0.03


def test_a_ceiling_below_the_base_means_a_fixed_tick() -> None:
    pacer = Pacer(0.04, 0.01)
    pacer.observe(1.0)
    assert pacer.interval == 0.04
