"""The end-to-end fixtures (test keys) for the bridge tests on the real server."""

from __future__ import annotations

from tests.e2e.conftest import keys  # noqa: F401
