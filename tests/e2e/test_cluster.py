"""The scaled-out roles end to end: real redis-server, a world, two gateways, real SSH clients.

Two players on different gateways see each other; the full-screen UI works through a
gateway; the world restarts under connected players; a gateway that dies lets its players'
bodies go and they take over from another gateway; nothing acknowledged is lost.
"""

from __future__ import annotations

import asyncio

import asyncssh

from game.cluster.gateway_link import BACK, RESTARTING
from game.cluster.processes import free_port
from game.cluster.roles import WorldServer
from game.ops.haproxy import HaproxyProcess, render_config
from tests.e2e.cluster import Cluster, needs_redis
from tests.e2e.conftest import Reader, connect
from tests.e2e.test_haproxy import needs_haproxy, refusal_from
from tests.e2e.test_proxy_header import connect_from

pytestmark = needs_redis


async def line_player(
    port: int, name: str, key: asyncssh.SSHKey
) -> tuple[asyncssh.SSHClientConnection, Reader]:
    conn = await connect(port, name, key)
    return conn, await line_reader(conn)


async def line_reader(conn: asyncssh.SSHClientConnection) -> Reader:
    """A line-mode session on ``conn``, read up to its greeting."""
    reader = Reader(await conn.create_process(term_type=None, encoding=None))
    await reader.until("Type help")
    return reader


async def ana_and_bob(
    cluster: Cluster, keys: dict[str, asyncssh.SSHKey]
) -> tuple[asyncssh.SSHClientConnection, Reader, asyncssh.SSHClientConnection, Reader]:
    """ana on the first gateway, bob on the second, each having seen the other arrive."""
    one, two = cluster.gateways
    ana_conn, ana = await line_player(one.ssh_port, "ana", keys["ana"])
    bob_conn, bob = await line_player(two.ssh_port, "bob", keys["bob"])
    await ana.until("bob arrives.")
    return ana_conn, ana, bob_conn, bob


async def test_players_on_two_gateways_see_and_hear_each_other(
    cluster: Cluster, keys: dict[str, asyncssh.SSHKey]
) -> None:
    one, two = cluster.gateways
    ana_conn, ana, bob_conn, bob = await ana_and_bob(cluster, keys)
    bob.send("say hello from the second gateway")
    await ana.until('bob says, "hello from the second gateway"')
    ana.send("look")
    await ana.until("bob is here.")
    # The world holds both bodies; each gateway holds its own connection only.
    world = cluster.world
    assert {s.name for s in world.game.sessions} == {"ana", "bob"}
    assert len(one.link.sessions) == 1
    assert len(two.link.sessions) == 1
    # Every gateway shows the world's host key (they share its key file).
    keys_shown = {g.ssh.host_fingerprint() for g in (one, two)} | {world.ssh.host_fingerprint()}
    assert len(keys_shown) == 1
    # An exec command through a gateway runs in the world and exits with its status.
    done = await bob_conn.run("balance", encoding=None)
    assert done.exit_status == 0
    assert b"tokens" in done.stdout
    failed = await bob_conn.run("fly away", encoding=None)
    assert failed.exit_status == 1
    ana_conn.close()
    await bob.until("ana leaves the realm.")
    bob_conn.close()


async def test_full_screen_ui_through_a_gateway(
    cluster: Cluster, keys: dict[str, asyncssh.SSHKey]
) -> None:
    gateway = cluster.gateways[0]
    async with await connect(gateway.ssh_port, "cyra", keys["cyra"]) as conn:
        process = await conn.create_process(
            term_type="xterm-256color", term_size=(100, 30), encoding=None
        )
        screen = Reader(process)
        await screen.until("Town Square")  # the room panel, from the world's view
        process.stdin.write(b"say drawn by the gateway\r")
        await screen.until("drawn by the gateway")
        process.stdin.write(b"quit\r")
        await screen.until("Goodbye")


async def test_the_world_restarts_under_connected_players(
    cluster: Cluster, keys: dict[str, asyncssh.SSHKey]
) -> None:
    one, _two = cluster.gateways
    ana_conn, ana, bob_conn, bob = await ana_and_bob(cluster, keys)
    await cluster.world.stop()
    await ana.until(RESTARTING)
    await bob.until(RESTARTING)
    ana.send("say typed while the world was away")  # waits in the stream
    await asyncio.sleep(0.2)
    assert one.link.sessions[next(iter(one.link.sessions))].waiting == 1
    await cluster.restart_world()
    await ana.until(BACK)
    await ana.until('You say, "typed while the world was away"')
    await bob.until('ana says, "typed while the world was away"')
    assert {s.name for s in cluster.world.game.sessions} == {"ana", "bob"}
    bob.send("look")
    await bob.until("ana is here.")
    assert not ana_conn.is_closed()
    assert not bob_conn.is_closed()
    ana_conn.close()
    bob_conn.close()


async def test_a_crashed_world_is_noticed_and_its_unfinished_commands_run_once(
    cluster: Cluster, keys: dict[str, asyncssh.SSHKey]
) -> None:
    """The world dies without a word: the gateways notice its heartbeat is gone, tell their
    players, and what was typed meanwhile (and what the dead world had read but not
    acknowledged) runs once in the next world."""
    one, two = cluster.gateways
    _, ana = await line_player(one.ssh_port, "ana", keys["ana"])
    _, bob = await line_player(two.ssh_port, "bob", keys["bob"])
    await ana.until("bob arrives.")
    dead = cluster.world
    for task in dead.link._tasks:  # the process is gone: nothing more is read or written
        task.cancel()
    await asyncio.gather(*dead.link._tasks, return_exceptions=True)
    await dead.redis.delete(dead.link.keys.world)  # as Redis does when its key expires
    await ana.until(RESTARTING, within=5)
    ana.send("say said to a dead world")
    await asyncio.sleep(0.2)
    cluster.world = WorldServer(cluster.settings)
    await cluster.world.start()
    await bob.until('ana says, "said to a dead world"')
    await ana.until(BACK)
    ana.send("say and after")
    await bob.until('ana says, "and after"')
    assert bob.seen.count(b"said to a dead world") == 1
    dead.conn.close()


async def test_a_lost_gateway_lets_its_bodies_go_and_players_come_back_elsewhere(
    cluster: Cluster, keys: dict[str, asyncssh.SSHKey]
) -> None:
    one, two = cluster.gateways
    ana_conn, ana, bob_conn, bob = await ana_and_bob(cluster, keys)
    ana.send("give 5 tokens to bob")
    ana.send("balance")
    await ana.until("You have")
    paid = cluster.world.game.wallet.balance("bob")
    # The gateway dies without a word: its tasks stop, its heartbeat key expires (deleted
    # here, as Redis does at expiry), its connections drop.
    for task in one.link._tasks:
        task.cancel()
    await cluster.world.redis.delete(one.link.keys.gateway(one.id))
    await bob.until("ana leaves the realm.", within=5)
    await one.ssh.stop()
    # ana reconnects through the other gateway and takes over her body as before.
    ana_conn2, ana2 = await line_player(two.ssh_port, "ana", keys["ana"])
    await bob.until("ana arrives.")
    assert cluster.world.game.wallet.balance("bob") == paid  # the transfer stands
    ana2.send("look")
    await ana2.until("bob is here.")
    ana_conn.close()
    ana_conn2.close()
    bob_conn.close()
    cluster.gateways.remove(one)


async def test_a_name_taken_on_another_gateway_meanwhile_is_refused(
    cluster: Cluster, keys: dict[str, asyncssh.SSHKey]
) -> None:
    """Two first logins of one new name with two keys, on two gateways, both before either
    opened a session: the world binds the name to the first session's key; the second
    session is closed with why, and its key is bound to nothing."""
    one, two = cluster.gateways
    first = await connect(one.ssh_port, "eve", keys["eve"])
    second = await connect(two.ssh_port, "eve", keys["ana"])
    eve = await line_reader(first)
    process = await second.create_process(term_type=None, encoding=None)
    late = Reader(process)
    await late.until("was just taken by someone else")
    store = cluster.world.game.store
    assert store.keys("eve") == [keys["eve"].get_fingerprint()]
    assert store.key_owner(keys["ana"].get_fingerprint()) is None
    eve.send("look")
    await eve.until("Town Square")
    first.close()
    second.close()


@needs_haproxy
async def test_behind_haproxy_gateways_see_real_addresses_and_bans_hold(
    cluster: Cluster, keys: dict[str, asyncssh.SSHKey]
) -> None:
    """HAProxy (PROXY v2) in front of two gateways that trust it: the world sees each
    client's own address, and an address ban set in the world refuses that client at any
    gateway while a neighbour still gets in."""
    proxied = [await cluster.add_gateway(proxy_from=("127.0.0.1",)) for _ in range(2)]
    port = free_port()
    config = render_config(("127.0.0.1", port), [("127.0.0.1", g.ssh_port) for g in proxied])
    async with (
        HaproxyProcess(config, port),
        await connect_from("127.0.0.6", port, "bob", keys["bob"]) as b,
    ):
        rb = Reader(await b.create_process(term_type=None, encoding=None))
        await rb.until("Type help")
        (session,) = cluster.world.game.sessions
        assert session.address == "127.0.0.6"
        cluster.world.game.moderation.ban("address", "127.0.0.5", "spam", "admin", None)
        banner = await refusal_from("127.0.0.5", port, "ana", keys["ana"])
        assert "You are banned from sshrealm. Reason: spam" in banner
        rb.send("look")
        await rb.until("Town Square")
