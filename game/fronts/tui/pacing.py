"""How often one session repaints: a short tick when the server is quiet, longer when busy.

Every repaint of a session costs about a millisecond of the one event loop's CPU whatever it
carries (the compositor redraws the whole log when it scrolls), so with 100 players in a room
and ten ``say`` lines a second, painting each line as it comes (30 ms tick) asks for more CPU
than there is: frames queue up and every player sees chat seconds late. Painting less often,
more lines per frame, is the only lever that scales, but it adds latency a quiet server does
not need.

:class:`Pacer` picks the interval from how late this session's last flush ran: the time
from when its timer was due to when the app handled it is the event loop's backlog, measured
for free. Late -> grow the interval (multiplicatively, up to ``ceiling``); on time -> shrink
it back towards ``base``. The interval settles where the loop just keeps up. Each session has
its own pacer; they all see the same loop, so they move together.
"""

from __future__ import annotations

from dataclasses import dataclass

CEILING = 0.075
"""Seconds: the longest tick. A reply in a busy room waits up to a tick, so the ceiling is
most of the p95 latency. When a frame cost ~2 ms, 200 ms kept say-to-all p95 above 300 ms
at N=100 and 150 ms gave 253 ms at 84% CPU; with frames at ~0.1 ms (direct paint, scroll
regions) 150 ms gave look/say p95 of 146/170 ms at 48%, 100 ms 102/123 ms at 44% and 75 ms
100/111 ms at 43% (bench/ssh_bench.py, N=100 TUI, one run each on 2026-12-06)."""
LATE = 0.015
"""Seconds of lateness above which the loop counts as busy."""
GROW = 1.3
SHRINK = 0.9


@dataclass
class Pacer:
    """The current flush interval of one session, adapted to the loop's backlog."""

    base: float
    ceiling: float = CEILING
    late: float = LATE
    interval: float = 0.0

    def __post_init__(self) -> None:
        self.ceiling = max(self.base, self.ceiling)
        self.interval = self.base

    def observe(self, lateness: float) -> float:
        """Record how late a flush ran (seconds); returns the new interval."""
        if lateness > max(self.late, self.interval / 4):
            self.interval = min(self.ceiling, self.interval * GROW + 0.005)
        else:
            self.interval = max(self.base, self.interval * SHRINK)
        return self.interval
