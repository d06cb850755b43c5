"""Sound tests: a private PulseAudio null sink, up before anything in this process touches QtMultimedia."""

from __future__ import annotations

import pytest

from tests.fixtures.pulse import PulseServer, pulse_server, sink_recording  # noqa: F401


@pytest.fixture(scope="session", autouse=True)
def _audio_server_before_qtmultimedia(pulse_server: PulseServer) -> PulseServer:  # noqa: F811
    return pulse_server
