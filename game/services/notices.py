"""Comings and goings told to the people who care: friends and group members.

A listener on the game's events: when a player comes online, everyone who has them on their
friends list hears it; when their last session ends, friends hear they left, and their
group hears they are gone (a leader leaving ends the group). A takeover (logging in again
from elsewhere) is neither.
"""

from __future__ import annotations

from collections.abc import Callable

from bridge.events import Event, PlayerJoined, PlayerLeft
from game.core.outbox import Outbox
from game.core.reply import Kind, Reply
from game.services.groups import Groups
from game.services.people import People


class Notices:
    def __init__(
        self, people: People, groups: Groups, outbox: Outbox, online: Callable[[str], bool]
    ) -> None:
        self.people = people
        self.groups = groups
        self.outbox = outbox
        self.online = online
        self._announced: set[str] = set()  # online, as friends were told

    def __call__(self, event: Event) -> None:
        if isinstance(event, PlayerJoined) and event.front_end != "exec":
            key = event.player.lower()
            if key not in self._announced:
                self._announced.add(key)
                self._tell_friends(event.player, f"Your friend {event.player} is online.")
        elif isinstance(event, PlayerLeft) and not self.online(event.player):
            key = event.player.lower()
            if key in self._announced:
                self._announced.discard(key)
                self._tell_friends(event.player, f"Your friend {event.player} has gone offline.")
            group = self.groups.forget(event.player)
            if group is not None:
                ended = group.leader.lower() == key
                text = (
                    f"{event.player} left the realm; the group has ended."
                    if ended
                    else f"{event.player} left the realm and the group."
                )
                for member in group.members:
                    if member.lower() != key:
                        self.outbox.tell(member, Reply(Kind.SYSTEM, text))

    def _tell_friends(self, player: str, text: str) -> None:
        for friend in self.people.friended_by(player):
            if self.online(friend):
                self.outbox.tell(friend, Reply(Kind.SYSTEM, text))
