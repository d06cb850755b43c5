"""End-to-end desktop-client tests: the real client (store, sync engine, window) against HQ on loopback."""

from __future__ import annotations

from tests.e2e.kit import ui_env  # noqa: F401
