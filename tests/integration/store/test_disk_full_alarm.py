"""The alarm keeps sounding while the disk is full: an acknowledgement that cannot be saved leaves
the siren on, audibly (recorded from the PulseAudio null sink), and the operator is told why.

The full disk is the store's own error (``StoreUnavailable`` with cause DISK_FULL, as
``test_disk_full.py`` produces for real on a small filesystem); the window, store, alarm and sound
are real.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from core.errors import StoreCause, StoreUnavailable
from tests.e2e.kit import (
    add_cases_from_hq,
    created_event,
    make_context,
    ui_env,  # noqa: F401 - the fixture
    wait_idle,
)
from tests.fixtures.pulse import RATE_HZ, Recorder, first_loud_frame, read_samples, rms
from ui.main_window import MainWindow
from ui.operations import record as ops_record

pytestmark = [pytest.mark.sound, pytest.mark.slow, pytest.mark.qt_log_ignore(r"This plugin does not support")]

WINDOW = RATE_HZ * 4 // 10  # 0.4 s holds at least one siren tone


def test_the_siren_sounds_on_through_failed_saves_on_a_full_disk(  # type: ignore[no-untyped-def]
    qtbot, request, sink_recording: Recorder, monkeypatch
) -> None:
    env = request.getfixturevalue("ui_env")
    ev = created_event(env.hq_clock, name="Pooja Diskfull")
    add_cases_from_hq(env.store, [ev])
    ctx = make_context(env)
    win: Any = MainWindow(ctx, with_sound=True)
    qtbot.addWidget(win)
    win.show()
    try:
        qtbot.waitUntil(lambda: win.alarm.is_ringing, timeout=5000)
        qtbot.wait(1000)

        def disk_full(*_args: Any, **_kw: Any) -> Any:
            raise StoreUnavailable("database or disk is full", StoreCause.DISK_FULL)

        monkeypatch.setattr(ops_record, "commit_action", disk_full)
        sink_recording.mark()
        win.acknowledge(ev.case_id)
        qtbot.waitUntil(lambda: win.findChild(QMessageBox, "notice") is not None, timeout=5000)
        assert "The disk is full" in win.findChild(QMessageBox, "notice").text()
        win.acknowledge(ev.case_id)  # the operator tries again: refused again by the disk
        qtbot.wait(3000)
        sink_recording.stop()
        assert win.alarm.is_ringing
    finally:
        win.close()
        wait_idle(qtbot, ctx)
        ctx.taskman.shutdown()

    samples = read_samples(sink_recording.path)
    onset = first_loud_frame(samples, threshold=0.05)
    assert onset is not None, f"the sink stayed silent (RMS {rms(samples):.4f})"
    _, from_frame = sink_recording.timeline[0]  # when the failed acknowledgement was sent
    start = max(onset, from_frame)
    windows = [rms(samples, i, i + WINDOW) for i in range(start, len(samples) - WINDOW, WINDOW)]
    assert len(windows) >= 5, len(windows)
    assert min(windows) > 0.1, windows  # never a silent stretch: the siren went on throughout
