"""Proof that the alarm makes sound: record the null sink's monitor while the controller rings, and
measure it. Not "a method was called": samples in the sink, rising, then silence after acknowledgement."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from core.events import iso
from core.store import CaseRow
from tests.fixtures.pulse import RATE_HZ, Recorder, first_loud_frame, read_samples, rms
from ui.alarm import AlarmController, AlarmSound

pytestmark = [pytest.mark.sound, pytest.mark.slow]

RAMP_S = 2
WINDOW = RATE_HZ * 4 // 10  # 0.4 s: a whole hi/lo siren period is 1 s, so 0.4 s windows hold 1-2 tones


def alarming_row() -> CaseRow:
    return CaseRow(
        case_id="case-1",
        kind="suicide_risk",
        status="new",
        priority=1,
        received_at=iso(datetime.now(UTC) - timedelta(minutes=1)),
        district="Lucknow",
        police_station="Hazratganj",
        summary=None,
        subject_name="Pooja Yadav",
        needs_alarm=True,
        acknowledged_at=None,
        dispatched_at=None,
        muted_until=None,
        pending_count=0,
        rejected_count=0,
        updated_hlc=None,
        purged=False,
    )


def test_alarm_sounds_rises_and_stops_on_acknowledgement(qtbot: QtBot, sink_recording: Recorder) -> None:
    sound = AlarmSound(max_volume=1.0, ramp_s=RAMP_S)
    controller = AlarmController(sound)
    row = alarming_row()

    qtbot.wait(300)  # lead-in of silence in the recording
    sink_recording.mark()
    controller.update_rows([row])
    sink_recording.mark()
    qtbot.wait(RAMP_S * 1000 + 900)
    controller.update_rows(
        [dataclasses.replace(row, status="acknowledged", needs_alarm=False, acknowledged_at=iso(datetime.now(UTC)))]
    )
    assert not controller.is_ringing
    qtbot.wait(700)
    sink_recording.stop()

    samples = read_samples(sink_recording.path)
    lead_in = rms(samples, 0, RATE_HZ // 10)
    onset = first_loud_frame(samples, threshold=0.05)
    assert onset is not None, f"the sink stayed silent (RMS {rms(samples):.4f})"
    start = rms(samples, onset, onset + WINDOW)
    peak_from = onset + RATE_HZ * RAMP_S + RATE_HZ // 10
    peak = rms(samples, peak_from, peak_from + WINDOW)
    tail = rms(samples, len(samples) - RATE_HZ // 5)

    assert lead_in < 0.001, lead_in
    # The siren peaks at -1 dBFS with a square-ish wave (RMS ~0.7 of full scale at volume 1).
    assert start > 0.15, start  # a third of full volume: clearly audible from the first second
    assert peak > 0.55, peak
    assert peak / start > 2.2, (start, peak)  # the ramp: ~3x from a third to full
    assert tail < 0.001, tail  # acknowledged: silence

    # Delay from rows delivered to sound in the sink (an upper bound: see Recorder.timeline).
    _, frames_before = sink_recording.timeline[0]
    delay_s = (onset - frames_before) / RATE_HZ
    assert delay_s < 1.0, delay_s
