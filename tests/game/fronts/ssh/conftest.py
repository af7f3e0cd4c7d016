"""The SSH front's tests run against the operations fixture: a real server, tight limits."""

from tests.game.ops.conftest import keys, ops_server  # noqa: F401  (fixtures)
