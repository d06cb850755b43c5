"""The shift-change test alarm is confirmed by a human, and HQ sees the answer.

Software only sees that Qt plays into a device, not a switched-off speaker: when a test alarm has
played its full time the window asks whether everyone heard it. "No" raises the permanent no-audio
warning and reports ok=False to HQ, and a later software check that is ok does not undo that: only a
later test confirmed heard does.

Real MainWindow on a real store with a real (never started) SyncEngine; ``engine._audio`` is what
the next heartbeat sends to HQ. With ``with_sound=False`` there is no AlarmSound, so a small QObject
emits the checks through real signals, built with the helper AlarmSound itself uses.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from sync import Session, SyncEngine
from tests.e2e.kit import make_context, wait_idle
from ui.alarm.audio_check import AudioCheck, CheckReason, played_test_check
from ui.i18n import install_translator
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

DEVANAGARI = re.compile(r"[\u0900-\u097F]")
DEVICE = "Null Output"


class FakeSoundSignals(QObject):
    """The two AlarmSound signals the confirmation depends on, emitted for real."""

    audio_checked = Signal(object)
    test_finished = Signal(object)


def now() -> datetime:
    return datetime.now(UTC)


def software_ok() -> AudioCheck:
    return AudioCheck(True, f"alarm ready on audio output {DEVICE!r}", now(), device=DEVICE, reason=CheckReason.READY)


@pytest.fixture
def window(app: QApplication, qtbot: QtBot, ui_env: Any) -> Iterator[tuple[MainWindow, FakeSoundSignals]]:
    ctx = make_context(ui_env)
    session = Session("http://127.0.0.1:9", ui_env.store.device_id)  # never started: no request is made
    ctx = dataclasses.replace(ctx, engine=SyncEngine(ui_env.store, session, ctx.clock, settings=ctx.settings))
    win = MainWindow(ctx, with_sound=False)
    qtbot.addWidget(win)
    sound = FakeSoundSignals()
    sound.audio_checked.connect(win._audio_checked)
    sound.test_finished.connect(win._test_finished)
    win.show()
    try:
        yield win, sound
    finally:
        win.close()
        wait_idle(qtbot, ctx)
        ctx.taskman.shutdown()


def heartbeat(win: MainWindow) -> dict[str, Any]:
    assert win.ctx.engine is not None
    return dict(win.ctx.engine._audio)  # what the next heartbeat sends to HQ


def open_questions(win: MainWindow) -> list[QMessageBox]:
    # An answered box is only hidden until its deferred delete: look for the visible one.
    return [b for b in win.findChildren(QMessageBox, "test-alarm-question") if b.isVisible()]


def question(qtbot: QtBot, win: MainWindow) -> QMessageBox:
    qtbot.waitUntil(lambda: len(open_questions(win)) == 1, timeout=3000)
    return open_questions(win)[0]


def answer(qtbot: QtBot, win: MainWindow, button: str) -> None:
    box = question(qtbot, win)
    target = box.findChild(QPushButton, button)
    assert isinstance(target, QPushButton), button
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not open_questions(win), timeout=3000)


def no_open_question(win: MainWindow) -> bool:
    return not open_questions(win)


def test_a_test_that_played_asks_whether_it_was_heard(qtbot: QtBot, window: Any) -> None:
    win, sound = window
    assert no_open_question(win)
    sound.test_finished.emit(played_test_check(DEVICE, now()))
    box = question(qtbot, win)
    assert box.text() == "Test alarm finished. Did everyone in the control room hear it clearly?"
    assert box.windowModality() == Qt.WindowModality.WindowModal  # opened with open(), not exec()
    heard = box.findChild(QPushButton, "heard")
    not_heard = box.findChild(QPushButton, "not-heard")
    assert isinstance(heard, QPushButton) and heard.text() == "Yes, we heard it"
    assert isinstance(not_heard, QPushButton) and not_heard.text() == "No, it was not heard"


def test_heard_reports_ok_to_hq_naming_the_operator(qtbot: QtBot, window: Any) -> None:
    win, sound = window
    sound.test_finished.emit(played_test_check(DEVICE, now()))
    answer(qtbot, win, "heard")
    audio = heartbeat(win)
    name = win.ctx.author.display_name
    assert audio["ok"] is True
    assert re.fullmatch(
        rf"test alarm heard, confirmed by {re.escape(name)} at \d{{4}}-\d\d-\d\d \d\d:\d\d UTC", audio["detail"]
    ), audio
    assert win.no_audio.isHidden()


def test_not_heard_shows_the_warning_and_reports_failure(qtbot: QtBot, window: Any) -> None:
    win, sound = window
    sound.test_finished.emit(played_test_check(DEVICE, now()))
    answer(qtbot, win, "not-heard")
    assert not win.no_audio.isHidden()
    title = win.no_audio.title.text()
    assert "TEST ALARM NOT HEARD" in title and "speakers" in title and "volume" in title and "cable" in title
    assert "IT desk" in title
    assert "did not hear the test alarm" in win.no_audio.detail.text()
    assert win.no_audio.recheck_button.text() == "Test alarm again"
    audio = heartbeat(win)
    assert audio["ok"] is False
    assert audio["detail"].startswith(f"test alarm NOT heard (confirmed by {win.ctx.author.display_name} at ")
    assert audio["detail"].endswith("): speakers, volume or cable")


def test_a_software_ok_does_not_outrank_not_heard_until_a_test_is_heard(qtbot: QtBot, window: Any) -> None:
    win, sound = window
    sound.test_finished.emit(played_test_check(DEVICE, now()))
    answer(qtbot, win, "not-heard")
    not_heard_detail = heartbeat(win)["detail"]

    sound.audio_checked.emit(software_ok())  # the periodic check: Qt plays into a device, fine
    assert not win.no_audio.isHidden()
    assert win.no_audio.check is not None and win.no_audio.check.reason == CheckReason.NOT_HEARD
    assert heartbeat(win)["ok"] is False and heartbeat(win)["detail"] == not_heard_detail

    sound.test_finished.emit(played_test_check(DEVICE, now()))  # the next test, confirmed heard
    answer(qtbot, win, "heard")
    assert win.no_audio.isHidden()
    assert heartbeat(win)["ok"] is True and heartbeat(win)["detail"].startswith("test alarm heard")

    sound.audio_checked.emit(software_ok())  # and the software check counts again
    assert win.no_audio.isHidden()
    assert heartbeat(win)["ok"] is True and heartbeat(win)["detail"] == software_ok().detail


def test_not_heard_survives_the_window_being_rebuilt(qtbot: QtBot, window: Any) -> None:
    """A language switch rebuilds the main window on the same context: the answer must not be lost."""
    win, sound = window
    sound.test_finished.emit(played_test_check(DEVICE, now()))
    answer(qtbot, win, "not-heard")
    rebuilt = MainWindow(win.ctx, with_sound=False)
    qtbot.addWidget(rebuilt)
    signals = FakeSoundSignals()
    signals.audio_checked.connect(rebuilt._audio_checked)
    rebuilt.show()
    signals.audio_checked.emit(software_ok())  # the new window's first software check
    assert not rebuilt.no_audio.isHidden()
    assert rebuilt.no_audio.check is not None and rebuilt.no_audio.check.reason == CheckReason.NOT_HEARD
    assert heartbeat(rebuilt)["ok"] is False
    rebuilt.close()


def test_a_software_failure_still_shows_while_not_heard(qtbot: QtBot, window: Any) -> None:
    win, sound = window
    sound.test_finished.emit(played_test_check(DEVICE, now()))
    answer(qtbot, win, "not-heard")
    failed = AudioCheck(False, "no audio output device", now(), reason=CheckReason.NO_DEVICE)
    sound.audio_checked.emit(failed)
    assert not win.no_audio.isHidden() and win.no_audio.check == failed
    assert heartbeat(win)["ok"] is False and heartbeat(win)["detail"] == failed.detail
    sound.audio_checked.emit(software_ok())  # the device is back, but nobody has heard a test yet
    assert not win.no_audio.isHidden()
    assert win.no_audio.check is not None and win.no_audio.check.reason == CheckReason.NOT_HEARD
    assert heartbeat(win)["ok"] is False


@pytest.mark.parametrize("reason", [CheckReason.TEST_STOPPED, CheckReason.TEST_INTERRUPTED, CheckReason.NO_DEVICE])
def test_a_test_that_did_not_play_through_asks_nothing(qtbot: QtBot, window: Any, reason: CheckReason) -> None:
    win, sound = window
    before = heartbeat(win)
    sound.test_finished.emit(AudioCheck(False, "test stopped before it finished", now(), reason=reason))
    qtbot.wait(100)
    assert no_open_question(win)
    assert heartbeat(win) == before
    # and the same window does ask after a test that played
    sound.test_finished.emit(played_test_check(DEVICE, now()))
    question(qtbot, win)


def test_the_question_and_answers_read_hindi(app: QApplication, qtbot: QtBot, window: Any) -> None:
    win, sound = window
    assert install_translator(app, "hi") is not None
    sound.test_finished.emit(played_test_check(DEVICE, now()))
    box = question(qtbot, win)
    assert DEVANAGARI.search(box.text()), box.text()
    for name in ("heard", "not-heard"):
        button = box.findChild(QPushButton, name)
        assert isinstance(button, QPushButton) and DEVANAGARI.search(button.text()), name
    answer(qtbot, win, "not-heard")
    assert DEVANAGARI.search(win.no_audio.title.text()), win.no_audio.title.text()
    assert not DEVANAGARI.search(heartbeat(win)["detail"])  # HQ reads English
