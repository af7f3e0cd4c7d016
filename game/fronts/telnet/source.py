"""What the telnet front asks of the game beyond what every front end is pushed.

The engine pushes rooms, statuses and replies to every front end; MUD clients also want a
player's skills, inventory and Cal's suggestions, a room's exit targets and coordinates
(for mappers), and server facts for MSSP crawlers. The front reads them only through
:class:`Source`, so a gateway process (the scale-out issue) can answer it from its copy of
the content and from the world over the wire; :class:`GameSource` answers it in process.
Nothing here is kept between calls: the front holds no game state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from game.engine.game import Game


@dataclass(frozen=True, slots=True)
class RoomFacts:
    """What a mapper needs of a room beyond its :class:`~game.core.reply.RoomView`."""

    area_id: str = ""
    exits: dict[str, str] = field(default_factory=dict)  # direction -> target room id
    doors: dict[str, str] = field(default_factory=dict)  # direction -> "open" / "closed"
    coordinates: tuple[int, int, int] | None = None


class Source(Protocol):
    def room(self, room_id: str) -> RoomFacts: ...

    def skills(self, name: str) -> list[dict[str, Any]]:
        """Every skill the content defines: name, level, xp."""

    def inventory(self, name: str) -> dict[str, Any]:
        """What the player carries: ``{"location": "inv", "items": [...]}``."""

    def growth(self, name: str) -> dict[str, Any]:
        """Cal's last insight for the player, and what they have unlocked."""

    def server(self) -> dict[str, str | list[str]]:
        """Live facts for MSSP: players online, uptime, areas, rooms..."""


class GameSource:
    """:class:`Source` over a :class:`~game.engine.game.Game` in this process."""

    def __init__(self, game: Game, started_s: int, version: str) -> None:
        """``started_s``: when the server started (Unix seconds), MSSP's UPTIME."""
        self.game = game
        self.started_s = started_s
        self.version = version

    def room(self, room_id: str) -> RoomFacts:
        world = self.game.world
        room = world.content.rooms.get(room_id)
        if room is None:
            return RoomFacts()
        doors = {
            ex.direction: "open" if world.is_open(room.id, ex) else "closed"
            for ex in room.exits
            if ex.door is not None
        }
        return RoomFacts(
            area_id=room.area,
            exits={ex.direction: ex.to for ex in room.exits},
            doors=doors,
            coordinates=room.coordinates,
        )

    def skills(self, name: str) -> list[dict[str, Any]]:
        return [
            {"name": skill, "level": level, "xp": xp}
            for skill, (xp, level) in sorted(self.game.skills.all(name).items())
        ]

    def inventory(self, name: str) -> dict[str, Any]:
        player = self.game.world.find_online(name)
        items = []
        if player is not None:
            content = self.game.world.content.items
            for ref, count in sorted(player.inventory.items()):
                if count > 0 and ref in content:
                    items.append({"id": ref, "name": content[ref].name, "count": count})
        return {"location": "inv", "items": items}

    def growth(self, name: str) -> dict[str, Any]:
        insight = self.game.reports.insight(name.lower())
        body: dict[str, Any] = insight[1] if insight else {}
        suggestions = body.get("suggestions") or []
        return {
            "cycle": insight[0] if insight else None,
            "style": body.get("style"),
            "milestones": list(body.get("milestones") or []),
            "next_milestone": body.get("next_milestone"),
            "suggestions": [str(s.get("text", "")) for s in suggestions if isinstance(s, dict)],
            "prompt": body.get("prompt"),
            "unlocks": [
                {"name": unlock, "reason": reason}
                for unlock, reason in self.game.unlocks.with_reasons(name)
            ],
        }

    def server(self) -> dict[str, str | list[str]]:
        game = self.game
        content = game.world.content
        areas = [a.title for a in content.areas.values()]
        settings = game.settings
        facts: dict[str, str | list[str]] = {
            "NAME": "sshrealm",
            "PLAYERS": str(len(game.sessions)),
            "UPTIME": str(self.started_s),
            "CODEBASE": f"sshrealm {self.version}",
            "AREAS": str(len(areas)),
            "ROOMS": str(len(content.rooms)),
            "OBJECTS": str(len(content.items)),
            "MOBILES": str(len(content.npcs)),
            "FAMILY": "Custom",
            "GENRE": "Fantasy",
            "GAMESYSTEM": "None",
            "LANGUAGE": "English",
            "STATUS": "Live",
            "ANSI": "1",
            "UTF-8": "1",
            "GMCP": "1",
            "MSDP": "1",
            "MCCP": "1",
            "SSL": str(settings.telnet_tls_port) if settings.telnet_tls_port > 0 else "0",
            "PORT": str(settings.telnet_port) if settings.telnet_port > 0 else "0",
            "AREA_NAMES": areas,
        }
        return facts
