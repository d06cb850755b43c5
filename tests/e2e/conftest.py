"""End-to-end desktop-client tests: the real client (store, sync engine, window) against HQ on loopback."""

from __future__ import annotations

import pytest

from tests.e2e.kit import ui_env  # noqa: F401
from tests.fixtures.hq import hq_factory, hq_server, hq_sqlite_template  # noqa: F401
from ui.alarm import pyside_fixes


@pytest.fixture(scope="session", autouse=True)
def _pyside_emit_fix() -> None:
    # PySide6 6.12.0 drops a reference to True on every Signal.emit (ui/alarm/pyside_fixes.py).
    pyside_fixes.install()
