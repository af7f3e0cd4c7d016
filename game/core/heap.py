"""The server's garbage-collector policy, set once the world is loaded.

CPython's cyclic collector now and then runs a full pass over every tracked object: the
modules, the world, the content and every session's widgets. While sessions start, each new
TUI session adds thousands of long-lived objects, which is what schedules those full passes,
so they kept rescanning the boot-time heap that can never become garbage. ``gc.freeze()``
moves everything alive after boot to the permanent generation, which no pass scans again:
a session's start-up CPU fell by a fifth (bench/render_bench.py, ``startup_cpu_ms_per_app``).

The young generation's threshold stays at its default: raising it saved a little more CPU
but let cyclic garbage from each frame live longer, about 0.4 MB more per TUI player.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect once, then freeze what survived (called after the world is loaded)."""
    gc.collect()
    gc.freeze()
