"""Following and groups, which last while the players are online.

``follow ana`` makes a player walk after Ana whenever she leaves the room they share. A
group has a leader who invites, members who accept and may leave, and a chat of its own;
members follow the leader. Everything here is in memory: logging out leaves the group
and stops any following, by or of the player who left (``forget``). Commands change it
only after every check has passed, so there is nothing to undo.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_GROUP = 8


@dataclass
class Group:
    leader: str
    members: list[str] = field(default_factory=list)  # display names, the leader first


class Groups:
    def __init__(self) -> None:
        self._leader_of: dict[str, str] = {}  # follower (lower) -> leader (lower)
        self._groups: dict[str, Group] = {}  # member (lower) -> their group
        self._invites: dict[str, str] = {}  # invitee (lower) -> inviting leader (display)

    # -- following -------------------------------------------------------------------------------
    def following(self, player: str) -> str | None:
        return self._leader_of.get(player.lower())

    def follow(self, player: str, leader: str) -> None:
        self._leader_of[player.lower()] = leader.lower()

    def unfollow(self, player: str) -> bool:
        return self._leader_of.pop(player.lower(), None) is not None

    def followers(self, leader: str) -> list[str]:
        key = leader.lower()
        return [f for f, lead in self._leader_of.items() if lead == key]

    def leads_to(self, player: str, leader: str) -> bool:
        """Whether following ``leader`` would make ``player`` follow themselves round a loop."""
        seen, key = set(), leader.lower()
        while key and key not in seen:
            if key == player.lower():
                return True
            seen.add(key)
            key = self._leader_of.get(key, "")
        return False

    # -- groups ----------------------------------------------------------------------------------
    def group(self, player: str) -> Group | None:
        return self._groups.get(player.lower())

    def invite(self, leader: str, invitee: str) -> None:
        self._invites[invitee.lower()] = leader

    def invited_by(self, player: str) -> str | None:
        return self._invites.get(player.lower())

    def accept(self, player: str) -> Group | None:
        """Join the group of whoever invited ``player``; None if no invite stands."""
        leader = self._invites.pop(player.lower(), None)
        if leader is None:
            return None
        group = self._groups.get(leader.lower())
        if group is None:
            group = self._groups[leader.lower()] = Group(leader, [leader])
        if len(group.members) >= MAX_GROUP:
            return None
        group.members.append(player)
        self._groups[player.lower()] = group
        self.follow(player, group.leader)
        return group

    def leave(self, player: str) -> Group | None:
        """Leave the group; when the leader leaves, the group ends. Returns the group left."""
        key = player.lower()
        group = self._groups.pop(key, None)
        if group is None:
            return None
        if group.leader.lower() == key:
            for member in group.members:
                self._groups.pop(member.lower(), None)
                if self._leader_of.get(member.lower()) == key:
                    self._leader_of.pop(member.lower(), None)
        else:
            group.members = [m for m in group.members if m.lower() != key]
            if self._leader_of.get(key) == group.leader.lower():
                self._leader_of.pop(key, None)
            if len(group.members) == 1:  # only the leader is left
                self._groups.pop(group.leader.lower(), None)
        return group

    def forget(self, player: str) -> Group | None:
        """``player`` logged out: out of their group, nobody follows them, they follow nobody."""
        key = player.lower()
        self._invites.pop(key, None)
        self._leader_of.pop(key, None)
        for follower in self.followers(key):
            self._leader_of.pop(follower, None)
        return self.leave(player)
