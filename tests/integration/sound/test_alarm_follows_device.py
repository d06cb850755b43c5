"""A headset plugged in mid-alarm becomes the default output: the siren must move to it, not stay on the old one."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.fixtures.pulse import RATE_HZ, PulseServer, Recorder, read_samples, rms
from ui.alarm import AlarmSound

pytestmark = [pytest.mark.sound, pytest.mark.slow]


def test_siren_moves_to_a_new_default_output(qtbot: QtBot, pulse_server: PulseServer, tmp_path: Path) -> None:
    sound = AlarmSound(max_volume=1.0, ramp_s=0)
    sound.start_monitoring()
    sound.start()
    module = pulse_server.pactl(
        "load-module", "module-null-sink", "sink_name=headset", "sink_properties=device.description=Headset"
    ).strip()
    try:
        pulse_server.pactl("set-default-sink", "headset")
        qtbot.waitUntil(lambda: sound.last_check is not None and sound.last_check.device == "Headset", timeout=5000)
        assert sound.is_playing
        headset = PulseServer(
            pulse_server.runtime_dir, pulse_server.socket, pulse_server.process, pulse_server.log_path
        )
        headset.sink = "headset"
        with Recorder(headset, tmp_path / "headset.wav") as rec:
            qtbot.wait(600)
            rec.stop()
        samples = read_samples(rec.path)
        assert rms(samples, len(samples) - RATE_HZ // 4) > 0.3, "the siren did not follow the new default output"
    finally:
        pulse_server.pactl("set-default-sink", pulse_server.sink)
        qtbot.waitUntil(lambda: sound.last_check is not None and sound.last_check.device == "Null Output", timeout=5000)
        sound.stop()
        pulse_server.pactl("unload-module", module)
