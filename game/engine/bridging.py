"""The game's side of the plugin bridge: the state plugins read, the handler that acts for
them, and the component that runs the plugin host inside the server.

The bridge package never imports the game (DESIGN.md); this module is where the two meet.
``GameState`` answers ``StateView`` from live presence and the game's own tables, so a
plugin always sees what a player would see. ``GameRequests`` (game/engine/bridge_requests.py) is
the single writer. ``BridgeComponent`` maps the server settings onto a ``BridgeConfig`` and
owns the ``PluginHost``; the admin console reaches plugins through it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from bridge.builtin.http_api import HttpApiPlugin
from bridge.plugin import PluginFactory
from bridge.registry import PluginHost, PluginStatus
from bridge.state import PlayerInfo, Progress
from game.core.config import Settings
from game.engine.bridge_requests import GameRequests
from game.services.bridge_settings import bridge_config
from game.services.narration import reword
from game.services.wallet import account_of

if TYPE_CHECKING:
    from game.engine.game import Game

QuestReader = Callable[[str], tuple[str, ...]]


def _quest_reader(game: Game) -> QuestReader:
    """Finished quest ids from the game's quest book."""
    return lambda player: tuple(q.id for q in game.quests.finished(player))


class GameState:
    """``StateView`` over the live game: presence, room and role from the session table,
    the rest from the store, ledger and progress tables on the one local connection.

    ``player`` asks the wallet and progress objects; ``players`` (every ``GET /universal``)
    reads each table once for everyone instead, which keeps 500 players to a few
    milliseconds on the loop. A test holds the two paths to the same answers.
    """

    def __init__(self, game: Game, quests: QuestReader | None = None) -> None:
        self.game = game
        self.quests = quests or _quest_reader(game)

    def player(self, name: str) -> PlayerInfo | None:
        account = self.game.store.account(name)
        if account is None:
            return None
        game, name = self.game, account.name
        skills = {s: level for s, (_, level) in game.skills.all(name).items()}
        return self._info(
            name,
            account.role,
            account.room,
            game.wallet.balance(name),
            game.wallet.tier(name),
            Progress(skills, self.quests(name), tuple(game.unlocks.all(name))),
        )

    def players(self) -> list[PlayerInfo]:
        conn, rules = self.game.conn, self.game.world.content.economy
        balances = dict(conn.execute("SELECT name, balance FROM accounts WHERE kind = 'player'"))
        premium = {
            str(a)
            for (a,) in conn.execute(
                "SELECT account FROM tiers WHERE premium_until > ?", (self.game.clock(),)
            )
        }
        xp: dict[str, dict[str, int]] = defaultdict(dict)
        for player, skill, points in conn.execute("SELECT player, skill, xp FROM player_skills"):
            xp[str(player).lower()][str(skill)] = int(points)
        unlocks: dict[str, list[str]] = defaultdict(list)
        for player, unlock in conn.execute(
            "SELECT player, unlock FROM player_unlocks ORDER BY granted_ms, unlock"
        ):
            unlocks[str(player).lower()].append(str(unlock))
        out = []
        for name, role, room in conn.execute(
            "SELECT display, role, room FROM players ORDER BY name COLLATE NOCASE"
        ).fetchall():
            key = str(name).lower()
            mine = xp.get(key, {})
            skills = {s: rules.level(mine.get(s, 0)) for s in rules.skills}
            progress = Progress(skills, self.quests(name), tuple(unlocks.get(key, ())))
            balance = int(balances.get(account_of(name), 0))
            tier = "premium" if key in premium else "free"
            out.append(self._info(str(name), str(role), room, balance, tier, progress))
        return out

    def _info(
        self,
        name: str,
        role: str,
        stored_room: str | None,
        balance: int,
        tier: str,
        progress: Progress,
    ) -> PlayerInfo:
        session = self.game.sessions.get(name)
        body = session.player if session is not None else None
        return PlayerInfo(
            name=name,
            online=session is not None,
            room=body.room if body is not None else stored_room,
            balance=balance,
            tier=tier,
            role=body.role if body is not None else role,
            progress=progress,
        )


class BridgeComponent:
    """Runs the plugin host for one server (a ``Component`` in ``Server.components``).

    For the admin console: ``status()`` lists every plugin's state and counters,
    ``restart(name)`` restarts one, and ``http`` is the live HTTP API plugin (``approve``,
    ``revoke``, ``pending``, ``client_list``) or ``None`` while it is not running.
    """

    def __init__(
        self,
        game: Game,
        settings: Settings,
        *,
        factories: Mapping[str, PluginFactory] | None = None,
    ) -> None:
        self.game = game
        self.config = bridge_config(settings)
        self.state = GameState(game)
        self.requests = GameRequests(game)
        self.host = PluginHost(
            bus=game.bus,
            state=self.state,
            handler=self.requests,
            config=self.config,
            factories=factories,
        )

    async def start(self) -> None:
        """Start every allowed plugin; a plugin that fails shows up in ``status()``."""
        await self.host.start()

    async def stop(self) -> None:
        await self.host.stop()

    def status(self) -> list[PluginStatus]:
        return self.host.status()

    async def restart(self, name: str) -> bool:
        return await self.host.restart(name)

    async def reword(self, text: str, context: Mapping[str, Any], within: float = 2.0) -> str:
        """``text`` reworded by a narrator plugin if one runs, else unchanged (see
        game/services/narration.py), for Cal's suggestions. Never raises; waits at most
        ``within``."""
        names = [s.name for s in self.host.status()]  # allow-list order
        return await reword(self.host, names, text, context, within=within)

    @property
    def http(self) -> HttpApiPlugin | None:
        plugin = self.host.plugin("http")
        return plugin if isinstance(plugin, HttpApiPlugin) else None
