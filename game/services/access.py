"""Who may go where and take what: ``requires:`` gates (skills, quests, tier, unlocks) and
premium areas, checked against a player with one plain sentence saying what is missing."""

from __future__ import annotations

from game.services.progress import Skills, Unlocks
from game.services.quests import QuestBook
from game.services.wallet import Wallet
from game.world.model import Exit, Requires
from game.world.state import World


class Access:
    def __init__(
        self, world: World, skills: Skills, quests: QuestBook, wallet: Wallet, unlocks: Unlocks
    ) -> None:
        self.world = world
        self.skills = skills
        self.quests = quests
        self.wallet = wallet
        self.unlocks = unlocks

    def unmet(self, player: str, req: Requires) -> str | None:
        """The first missing condition as a sentence for the player, or None if all hold."""
        if not req:
            return None
        for skill, level in req.skills.items():
            have = self.skills.level(player, skill)
            if have < level:
                label = self.world.content.economy.skills.get(skill)
                name = label.label if label else skill
                return f"You need {name} level {level} for that; you are level {have}."
        for quest in req.quests:
            if not self.quests.done(player, quest):
                title = self.world.content.quests.get(quest)
                return f"You must first finish the quest {title.title if title else quest}."
        if req.tier == "premium" and self.wallet.tier(player) != "premium":
            return "Only premium players may go there. Type premium to learn more."
        for unlock in req.unlocks:
            if not self.unlocks.has(player, unlock):
                return f"That is not open to you yet; it needs the unlock {unlock}."
        return None

    def area_refusal(self, player: str, area_id: str) -> str | None:
        """A premium area admits premium players and those holding the area's unlock."""
        area = self.world.content.areas.get(area_id)
        if area is None or not area.premium:
            return None
        if self.wallet.tier(player) == "premium":
            return None
        if self.unlocks.has(player, area.unlock or f"area:{area.id}"):
            return None
        return (
            f"{area.title} is a premium area. Premium players and those granted its unlock may "
            "enter; type premium to learn more."
        )

    def exit_refusal(self, player: str, from_room: str, ex: Exit) -> str | None:
        """Why ``player`` may not take ``ex`` (the exit's gate, the room's, a premium area)."""
        content = self.world.content
        target = content.rooms.get(ex.to)
        if target is None:
            return None
        refusal = self.unmet(player, ex.requires) or self.unmet(player, target.requires)
        if refusal is None and content.rooms[from_room].area != target.area:
            refusal = self.area_refusal(player, target.area)
        return refusal
