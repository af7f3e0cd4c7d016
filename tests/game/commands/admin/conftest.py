"""The end-to-end fixtures (real server on port 0, test keys) for the admin tests."""

from __future__ import annotations

from tests.e2e.conftest import keys, server  # noqa: F401
