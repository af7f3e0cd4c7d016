"""Scale-out: the world role, the gateway role and the Redis bus between them.

``game/cluster`` sits beside the fronts: the world side (world_link.py) uses the engine, the
gateway side (gateway_link.py, remote.py) only the core types and the fronts' ports, so a
gateway process never loads the world, the ledger or the content.
"""
