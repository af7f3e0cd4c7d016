"""The plan in a real terminal: OpenSSH in tmux watches someone walk about, and after every
step the screen shows exactly the plan the server holds for that player (most frames go out
painted directly, game/fronts/tui/direct.py, so this is where a wrong cursor move would show)."""

from __future__ import annotations

import random
from pathlib import Path

import asyncssh

from game.app import Server
from game.fronts.tui.runner import TuiSession
from tests.e2e.conftest import Reader, connect
from tests.e2e.tmux import Tmux, client_key, needs_tmux, ssh_command
from tests.game.fronts.tui.test_driver import wait_for

pytestmark = needs_tmux


async def test_the_terminal_shows_the_plan_after_every_step(
    plaza: Server, tmux: Tmux, tmp_path: Path
) -> None:
    game = plaza.game
    game.unlocks.grant("ana", "form:visual", "test", "test")
    key = client_key(tmp_path)
    ssh = ssh_command(plaza.ssh_port, key, "ana")
    await tmux.run("new-session", "-d", "-s", "game", "-x", "100", "-y", "30", ssh)
    await tmux.wait_for(lambda s: "Type a command" in s, "the prompt")
    await tmux.run("send-keys", "-t", "game", "form visual", "Enter")
    await tmux.wait_for(lambda s: "@a" in s, "ana's avatar")
    session = next(s for s in game.sessions if s.player.name == "ana")
    assert isinstance(session.front_end, TuiSession)
    app = session.front_end.app
    assert app is not None
    plan = app.plan

    def matches(screen: str) -> bool:
        region = plan.region
        lines = screen.splitlines()[region.y : region.bottom]
        return [line[region.x : region.right].rstrip() for line in lines] == plan.visible_rows()

    bob_key = asyncssh.generate_private_key("ssh-ed25519")
    async with await connect(plaza.ssh_port, "bob", bob_key) as b:
        bob_line = Reader(await b.create_process(encoding=None))
        await bob_line.until("Fountain Square")
        bob = game.world.find_online("bob")
        assert bob is not None
        rng = random.Random(2)
        for _ in range(12):
            free = [
                (x, y)
                for x, y, tile in game.positions.layout(bob.room).cells()
                if tile.kind == "floor" and (x, y) not in game.positions.occupied(bob.room)
            ]
            spot = rng.choice(free)
            game.positions.move_to(bob, spot)
            game.positions.push(bob.room)
            await wait_for(
                lambda spot=spot: (
                    plan.view is not None
                    and any((a.name, a.x, a.y) == ("bob", *spot) for a in plan.view.avatars)
                )
            )
            await tmux.wait_for(
                lambda s: matches(s) and "@b" in s, "the plan as the server holds it"
            )
    assert plan.direct_frames > 0
