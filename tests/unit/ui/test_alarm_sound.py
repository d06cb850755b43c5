"""AlarmSound against the real PulseAudio null sink (started by conftest): ramp, test alarm, audio checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ui.alarm import AlarmSound, AudioCheck


def test_ramp_goes_from_a_third_to_max(qtbot: QtBot) -> None:
    sound = AlarmSound(max_volume=0.9, ramp_s=20)
    assert sound.target_volume(0) == pytest.approx(0.3)
    assert sound.target_volume(10) == pytest.approx(0.6)
    assert sound.target_volume(20) == pytest.approx(0.9)
    assert sound.target_volume(500) == pytest.approx(0.9)
    assert AlarmSound(max_volume=0.9, ramp_s=0).target_volume(0) == pytest.approx(0.9)
    assert AlarmSound(max_volume=7).max_volume == 1.0  # a hand-edited setting cannot overdrive
    assert AlarmSound(check_interval_h=3).check_interval_ms == 3 * 3600 * 1000
    assert AlarmSound(check_interval_h=0).check_interval_ms == 60_000
    assert AlarmSound(check_interval_h=10_000).check_interval_ms == 24 * 3600 * 1000


def test_start_ramps_the_player_volume_then_stop(qtbot: QtBot) -> None:
    sound = AlarmSound(max_volume=1.0, ramp_s=0.6)
    with qtbot.waitSignal(sound.playing_changed) as started:
        sound.start()
    assert started.args == [True]
    assert sound.is_playing
    assert sound.volume == pytest.approx(1 / 3, abs=0.05)
    qtbot.waitUntil(lambda: sound.player_playing, timeout=3000)
    qtbot.waitUntil(lambda: sound.volume > 0.99, timeout=3000)
    with qtbot.waitSignal(sound.playing_changed) as stopped:
        sound.stop()
    assert stopped.args == [False]
    assert not sound.is_playing


def test_audio_check_passes_on_the_null_sink(qtbot: QtBot) -> None:
    sound = AlarmSound()
    with qtbot.waitSignal(sound.audio_ok_changed) as verdict:
        check = sound.start_monitoring()
    assert verdict.args == [True]
    assert isinstance(check, AudioCheck) and check.ok, check
    assert check.device == "Null Output"
    assert sound.last_check == check


def test_test_alarm_plays_then_reports(qtbot: QtBot) -> None:
    sound = AlarmSound(max_volume=0.8)
    with qtbot.waitSignal(sound.test_finished, timeout=5000) as finished:
        started = sound.test_alarm(seconds=0.4)
        assert started.ok, started
        assert sound.is_testing and sound.is_playing
        assert sound.volume == pytest.approx(0.8, abs=0.01)  # a test plays at full alarm volume
    result: AudioCheck = finished.args[0]
    assert result.ok and "confirm everyone heard it" in result.detail
    assert not sound.is_playing and not sound.is_testing


def test_a_real_alarm_takes_over_a_running_test(qtbot: QtBot) -> None:
    sound = AlarmSound(ramp_s=20)
    sound.test_alarm(seconds=30)
    with qtbot.waitSignal(sound.test_finished) as finished:
        sound.start()
    assert not finished.args[0].ok and "real alarm" in finished.args[0].detail
    assert sound.is_playing and not sound.is_testing
    qtbot.wait(300)  # the ramp timer runs: the real alarm stays at full volume, it does not drop to a third
    assert sound.volume == pytest.approx(sound.max_volume, abs=0.01)
    refused = sound.test_alarm()
    assert refused.ok and "already sounding" in refused.detail
    assert sound.is_playing  # the refused test did not stop the real alarm
    sound.stop()


@pytest.mark.qt_log_ignore("Could not open media", "QSoundEffect: Error decoding")
def test_an_unplayable_alarm_file_is_reported_not_silent(qtbot: QtBot, tmp_path: Path) -> None:
    broken = tmp_path / "alarm.wav"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WAVEthis is not audio")
    sound = AlarmSound(alarm_wav=broken)
    failures: list[str] = []
    sound.playback_failed.connect(failures.append)
    with qtbot.waitSignal(sound.audio_ok_changed, check_params_cb=lambda ok: ok is False, timeout=3000):
        sound.start_monitoring()
        sound.start()
    assert sound.last_check is not None and not sound.last_check.ok
    qtbot.waitUntil(lambda: bool(failures), timeout=3000)
    assert not sound.is_playing
    sound.stop()
