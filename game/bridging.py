"""The game's side of the plugin bridge: the state plugins read, the handler that acts for
them, and the component that runs the plugin host inside the server.

The bridge package never imports the game (DESIGN.md); this module is where the two meet.
``GameState`` answers ``StateView`` from live presence and the game's own tables, so a
plugin always sees what a player would see. ``GameRequests`` (game/bridge_requests.py) is
the single writer. ``BridgeComponent`` maps the server settings onto a ``BridgeConfig`` and
owns the ``PluginHost``; the admin console reaches plugins through it.
"""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from bridge.builtin.http_api import HttpApiPlugin
from bridge.config import BridgeConfig
from bridge.config import ConfigError as BridgeConfigError
from bridge.plugin import PluginFactory
from bridge.registry import PluginHost, PluginStatus
from bridge.state import PlayerInfo, Progress
from game.bridge_requests import GameRequests
from game.config import ConfigError, Settings

if TYPE_CHECKING:
    from game.game import Game

QuestReader = Callable[[str], tuple[str, ...]]


def bridge_config(settings: Settings) -> BridgeConfig:
    """The ``BridgeConfig`` for these settings; raises ``ConfigError`` saying what is wrong.

    ``[bridge]`` is the primary form. The older flat settings still work: ``plugins`` adds
    names to ``[bridge].enabled`` and ``plugin_settings.NAME`` fills in
    ``[bridge.plugin.NAME.settings]`` (the ``[bridge]`` table wins on a clash). The ``http``
    plugin listens on ``bridge_port`` (``SSHREALM_BRIDGE_PORT``), its one port setting.
    """
    raw: dict[str, Any] = copy.deepcopy(dict(settings.bridge))
    enabled = raw.get("enabled", [])
    if not isinstance(enabled, list):
        raise ConfigError("bridge.enabled must be a list of plugin names")
    raw["enabled"] = enabled + [p for p in settings.plugins if p not in enabled]
    tables = raw.setdefault("plugin", {})
    if not isinstance(tables, dict):
        raise ConfigError("bridge.plugin must be a table of plugin tables")
    for name, extra in settings.plugin_settings.items():
        table = tables.setdefault(name, {})
        if not isinstance(extra, Mapping) or not isinstance(table, dict):
            raise ConfigError(f"plugin_settings.{name} must be a table")
        table["settings"] = {**extra, **table.get("settings", {})}
    if "http" in raw["enabled"]:
        http = tables.setdefault("http", {})
        http_settings = dict(http.get("settings", {})) if isinstance(http, dict) else {}
        if "port" in http_settings:
            raise ConfigError(
                "bridge.plugin.http.settings.port: set the HTTP bridge port with bridge_port "
                "([bridge] port = N, or SSHREALM_BRIDGE_PORT), so there is only one"
            )
        if isinstance(http, dict):
            http["settings"] = {**http_settings, "port": settings.bridge_port}
    try:
        return BridgeConfig.from_mapping(raw)
    except BridgeConfigError as exc:
        raise ConfigError(str(exc)) from exc


def read_quests_done(conn: sqlite3.Connection) -> QuestReader:
    """How to list a player's finished quests, whatever the quest store looks like now.

    Quests are written by the quest engine (a separate module); until its table exists
    every player has done none. The table is found by name (``player_quests``) and read
    through the columns it has: rows with ``completed_ms`` set, or ``state = 'done'``.
    """

    def columns() -> set[str]:
        return {str(r[1]) for r in conn.execute("PRAGMA table_info(player_quests)")}

    def read(player: str) -> tuple[str, ...]:
        cols = columns()
        if not {"player", "quest"} <= cols:
            return ()
        if "completed_ms" in cols:
            where, order = "completed_ms IS NOT NULL", "completed_ms, quest"
        elif "state" in cols:
            where, order = "state = 'done'", "quest"
        else:
            where, order = "1", "quest"
        rows = conn.execute(
            f"SELECT quest FROM player_quests WHERE player = ? COLLATE NOCASE AND {where}"
            f" ORDER BY {order}",
            (player,),
        )
        return tuple(str(r[0]) for r in rows)

    return read


def _quest_reader(game: Game) -> QuestReader:
    """The quest engine's own ``completed(player)`` when the game has one, else the table."""
    completed = getattr(getattr(game, "quests", None), "completed", None)
    if callable(completed):
        return lambda player: tuple(str(q) for q in completed(player))
    return read_quests_done(game.conn)


class GameState:
    """``StateView`` over the live game: presence from the session table, the rest from the
    store, the wallet and the progress tables (each an indexed lookup on the one local
    connection, well under a millisecond per player)."""

    def __init__(self, game: Game, quests: QuestReader | None = None) -> None:
        self.game = game
        self.quests = quests or _quest_reader(game)

    def players(self) -> list[PlayerInfo]:
        rows = self.game.conn.execute(
            "SELECT display, role, room FROM players ORDER BY name COLLATE NOCASE"
        ).fetchall()
        return [self._info(str(n), str(role), room) for n, role, room in rows]

    def player(self, name: str) -> PlayerInfo | None:
        account = self.game.store.account(name)
        if account is None:
            return None
        return self._info(account.name, account.role, account.room)

    def _info(self, name: str, role: str, stored_room: str | None) -> PlayerInfo:
        session = self.game.sessions.get(name)
        body = session.player if session is not None else None
        skills = {s: level for s, (_, level) in self.game.skills.all(name).items()}
        return PlayerInfo(
            name=name,
            online=session is not None,
            room=body.room if body is not None else stored_room,
            balance=self.game.wallet.balance(name),
            tier=self.game.wallet.tier(name),
            role=body.role if body is not None else role,
            progress=Progress(
                skills=skills,
                quests_done=self.quests(name),
                unlocks=tuple(self.game.unlocks.all(name)),
            ),
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

    @property
    def http(self) -> HttpApiPlugin | None:
        plugin = self.host.plugin("http")
        return plugin if isinstance(plugin, HttpApiPlugin) else None
