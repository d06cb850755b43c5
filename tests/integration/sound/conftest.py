"""Sound tests: a private PulseAudio null sink, up before anything in this process touches QtMultimedia."""

from __future__ import annotations

import pytest

from tests.fixtures.pulse import PulseServer, pulse_server, sink_recording  # noqa: F401
from ui.alarm import pyside_fixes


@pytest.fixture(scope="session", autouse=True)
def _audio_server_before_qtmultimedia(pulse_server: PulseServer) -> PulseServer:  # noqa: F811
    # Also the PySide6 6.12.0 emit reference-count work-around (ui/alarm/pyside_fixes.py): without it a
    # long test session aborts with "bool_dealloc".
    pyside_fixes.install()
    return pulse_server
