"""Exit directions: the short forms players type, and which way leads back.

The lowest module of the world: both the content model (:mod:`game.world.model`, whose rooms
hold a floor plan) and the floor plans (:mod:`game.world.layout`, whose doors name exits)
need these words, so they live below both and import nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

DIRECTIONS: Mapping[str, str] = {
    "n": "north",
    "s": "south",
    "e": "east",
    "w": "west",
    "ne": "northeast",
    "nw": "northwest",
    "se": "southeast",
    "sw": "southwest",
    "u": "up",
    "d": "down",
}
"""Short form -> full direction word."""

OPPOSITE: Mapping[str, str] = {
    "north": "south",
    "south": "north",
    "east": "west",
    "west": "east",
    "northeast": "southwest",
    "southwest": "northeast",
    "northwest": "southeast",
    "southeast": "northwest",
    "up": "down",
    "down": "up",
    "in": "out",
    "out": "in",
}
"""Direction -> the direction that leads back (for two-way exits and arrivals)."""
