"""Shared by the desktop-client tests in this folder (main window and alarm engineers: append only)."""

from __future__ import annotations

import pytest

# --- main window: a real SQLCipher store per test (tests/e2e/kit.py) ---
from tests.e2e.kit import ui_env  # noqa: F401

# --- alarm: a private PulseAudio null sink, started before any test touches QtMultimedia ---
from tests.fixtures.pulse import PulseServer, pulse_server, sink_recording  # noqa: F401
from ui.alarm import pyside_fixes


# QtMultimedia binds to the audio server once per process, so the daemon must be up (and PULSE_SERVER
# set) before the first test in this folder runs; a session-scoped autouse fixture guarantees that.
@pytest.fixture(scope="session", autouse=True)
def _audio_server_before_qtmultimedia(pulse_server: PulseServer) -> PulseServer:  # noqa: F811
    # Also the PySide6 6.12.0 emit reference-count work-around (ui/alarm/pyside_fixes.py): without it a
    # long test session aborts with "bool_dealloc".
    pyside_fixes.install()
    return pulse_server
