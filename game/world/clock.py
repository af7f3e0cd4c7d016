"""The day/night clock: the time of day in the world, a pure function of the game clock.

A game day lasts ``day_minutes`` real minutes (``economy.yaml``, 120 by default), counted
from the epoch, so every process and every restart agrees on the hour without storing
anything. The day has four phases that triggers (``on_time``, ``if: {phase: ...}``) and
room descriptions (``night:``) use: dawn 05:00-07:00, day 07:00-18:00, dusk 18:00-20:00,
night 20:00-05:00.
"""

from __future__ import annotations

from dataclasses import dataclass

PHASES = ("dawn", "day", "dusk", "night")
MINUTES_PER_DAY = 24 * 60
# (phase, first game minute of it), in the order of the day
PHASE_STARTS = (
    ("night", 0),
    ("dawn", 5 * 60),
    ("day", 7 * 60),
    ("dusk", 18 * 60),
    ("night", 20 * 60),
)
DEFAULT_DAY_MINUTES = 120


@dataclass(frozen=True, slots=True)
class DayClock:
    """Reads the time of day from a clock value in milliseconds."""

    day_minutes: int = DEFAULT_DAY_MINUTES  # real minutes in one game day

    @property
    def day_ms(self) -> int:
        return max(1, self.day_minutes) * 60_000

    def game_minutes(self, now_ms: int) -> int:
        """Game minutes since the epoch (every N game minutes counts these)."""
        return now_ms * MINUTES_PER_DAY // self.day_ms

    def minute_of_day(self, now_ms: int) -> int:
        return self.game_minutes(now_ms) % MINUTES_PER_DAY

    def phase(self, now_ms: int) -> str:
        minute = self.minute_of_day(now_ms)
        current = "night"
        for name, start in PHASE_STARTS:
            if minute >= start:
                current = name
        return current

    def clock_face(self, now_ms: int) -> str:
        """``"06:30"``: the game hour and minute."""
        hours, minutes = divmod(self.minute_of_day(now_ms), 60)
        return f"{hours:02d}:{minutes:02d}"

    def ms_at(self, game_minute: int) -> int:
        """The first clock value (ms) at which ``game_minutes`` reaches ``game_minute``."""
        return -(-game_minute * self.day_ms // MINUTES_PER_DAY)


PHASE_SENTENCES = {
    "dawn": "Dawn breaks; the sky greys in the east.",
    "day": "It is day.",
    "dusk": "Dusk falls; the light turns gold and then grey.",
    "night": "It is night; stars show between the clouds.",
}
