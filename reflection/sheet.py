"""A player's stored insight as plain sentences, for the ``growth`` command and the TUI panel.

Plain text only: screen readers read it line by line, and the TUI shows the same lines in
sections. Player names and texts are never parsed as markup by either front end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

STYLE_NAMES = {
    "achieve": "achiever",
    "explore": "explorer",
    "socialize": "socializer",
    "trade": "trader",
    "mixed": "a bit of everything",
}


@dataclass(frozen=True, slots=True)
class GrowthSheet:
    """Titled sections of plain lines; ``lines()`` is the same content for line mode."""

    sections: tuple[tuple[str, tuple[str, ...]], ...]

    def lines(self) -> list[str]:
        out: list[str] = []
        for title, body in self.sections:
            out.extend(f"{title}: {line}" for line in body)
        return out


def build(
    body: Mapping[str, object] | None,
    cycle_id: str,
    unlocks: Sequence[tuple[str, str]],
    titles: Mapping[str, str],
) -> GrowthSheet:
    """From a stored insight (or None before the first cycle), unlocks as (name, reason)
    and milestone titles by id."""
    sections: list[tuple[str, tuple[str, ...]]] = []
    if body is None:
        sections.append(
            (
                "Growth",
                (
                    "Cal has not looked at your play yet; insights appear after the next "
                    "reflection cycle.",
                ),
            )
        )
    else:
        shares = body.get("shares", {})
        assert isinstance(shares, Mapping)
        mix = ", ".join(f"{k} {float(v):.0%}" for k, v in shares.items())
        style = STYLE_NAMES.get(str(body.get("style")), str(body.get("style")))
        sections.append(("Play style", (f"{style} ({mix}).",)))
        reached = body.get("milestones") or []
        assert isinstance(reached, list)
        done = ", ".join(titles.get(str(m), str(m)) for m in reached) or "none yet"
        progress = [f"Reached: {done}."]
        if body.get("next_milestone"):
            progress.append(f"Next: {body['next_milestone']}.")
        sections.append(("Milestones", tuple(progress)))
        suggestions = body.get("suggestions") or []
        assert isinstance(suggestions, list)
        if suggestions:
            sections.append(("Suggestion", tuple(str(s["text"]) for s in suggestions)))
        if body.get("prompt"):
            sections.append(("Think about", (str(body["prompt"]),)))
        sections.append(("As of", (f"reflection cycle {cycle_id}.",)))
    if unlocks:
        sections.append(("Unlocked", tuple(f"{name}: {reason}" for name, reason in unlocks)))
    return GrowthSheet(tuple(sections))
