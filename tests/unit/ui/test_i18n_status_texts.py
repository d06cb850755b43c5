"""Hindi for texts that come from below the UI: the audio check's finding, the sync error, and the login
dialog's own labels when the language is switched inside it.

The English originals stay where English readers need them: the audio check's ``detail`` goes to HQ
with the heartbeat, the sync layer's error text stays in the status bar's tooltip for the IT desk.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sync import ConnectionState, ErrorCause, Session, SyncEngine, SyncStatus
from tests.e2e.kit import make_context, wait_idle
from ui.alarm import AlarmSound, AudioCheck, NoAudioWarning
from ui.alarm.audio_check import CheckReason
from ui.fonts import resource_path
from ui.i18n import install_translator
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.operations import TaskManager
from ui.status_bar import SyncStatusBar

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

DEVANAGARI = re.compile(r"[\u0900-\u097F]")
NOW = datetime(2026, 11, 22, 16, 0, tzinfo=UTC)
TS = resource_path("i18n", "rakshak_hi.ts")


def ts_messages(context: str) -> dict[str, ElementTree.Element | None]:
    """Source text -> <translation> element, for one context of the shipped .ts."""
    out: dict[str, ElementTree.Element | None] = {}
    for ctx in ElementTree.parse(TS).getroot().iter("context"):
        if ctx.findtext("name") == context:
            for message in ctx.iter("message"):
                out[message.findtext("source") or ""] = message.find("translation")
    return out


def hindi_in(text: str) -> bool:
    return bool(DEVANAGARI.search(text))


@pytest.fixture
def hindi(app: QApplication) -> QApplication:
    assert install_translator(app, "hi") is not None
    return app


def broken_sound(
    qtbot: QtBot, tmp_path: Path, warning: NoAudioWarning | None = None
) -> tuple[AlarmSound, AudioCheck]:
    """A real AlarmSound whose WAV cannot be decoded (wired to ``warning``), and the failed check it reports."""
    broken = tmp_path / "alarm.wav"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WAVEthis is not audio")
    sound = AlarmSound(alarm_wav=broken)
    if warning is not None:
        sound.audio_checked.connect(warning.set_check)
    with qtbot.waitSignal(sound.audio_ok_changed, check_params_cb=lambda ok: ok is False, timeout=3000):
        sound.start_monitoring()
    check = sound.last_check
    assert check is not None and not check.ok
    return sound, check


# ------------------------------------------------------------------------------------------ audio check


@pytest.mark.parametrize("reason", list(CheckReason))
def test_every_audio_finding_has_hindi_with_the_device_name(app: QApplication, reason: CheckReason) -> None:
    english_detail = "English detail for HQ"
    check = AudioCheck(False, english_detail, NOW, device="USB Speaker", reason=reason)
    english = check.text
    assert install_translator(app, "hi") is not None
    hindi = check.text  # translated when read: the same check follows the language
    assert hindi_in(hindi) and hindi != english, (reason, hindi)
    assert english_detail not in hindi and "%1" not in hindi
    assert ("USB Speaker" in english) == ("USB Speaker" in hindi), (reason, english, hindi)


def test_a_check_without_a_reason_shows_its_detail(hindi: QApplication) -> None:
    assert AudioCheck(False, "custom finding", NOW).text == "custom finding"


@pytest.mark.qt_log_ignore("Could not open media", "QSoundEffect: Error decoding")
def test_no_audio_warning_shows_the_failed_check_in_hindi(hindi: QApplication, qtbot: QtBot, tmp_path: Path) -> None:
    warning = NoAudioWarning()
    qtbot.addWidget(warning)
    _sound, check = broken_sound(qtbot, tmp_path, warning)
    assert warning.check == check
    assert not warning.isHidden()
    shown = warning.detail.text()
    assert hindi_in(shown), shown
    assert warning.check.detail not in shown, shown  # the raw English detail is not what the operator reads
    assert re.search(r"[A-Za-z]{4,}", shown.replace("UTC", "")) is None, shown  # no English words at all
    assert warning.check.detail.isascii() and "cannot be loaded or played" in warning.check.detail


def test_a_real_test_alarm_outcome_reads_hindi_but_keeps_english_detail(hindi: QApplication, qtbot: QtBot) -> None:
    sound = AlarmSound(ramp_s=20)
    sound.test_alarm(seconds=30)
    with qtbot.waitSignal(sound.test_finished) as finished:
        sound.start()
    result: AudioCheck = finished.args[0]
    assert result.detail == "test interrupted: a real alarm started"
    assert result.text == "परीक्षण बीच में रुका: असली अलार्म शुरू हो गया"
    sound.stop()


@pytest.mark.qt_log_ignore("Could not open media", "QSoundEffect: Error decoding")
def test_hq_receives_the_english_detail_while_the_window_shows_hindi(
    hindi: QApplication, qtbot: QtBot, ui_env: Any, tmp_path: Path
) -> None:
    ctx = make_context(ui_env)
    session = Session("http://127.0.0.1:9", ui_env.store.device_id)  # never started: no request is made
    ctx = dataclasses.replace(ctx, engine=SyncEngine(ui_env.store, session, ctx.clock, settings=ctx.settings))
    win = MainWindow(ctx, with_sound=True)
    qtbot.addWidget(win)
    try:
        ready = win.sound.last_check  # the null sink's check at start-up went through the window's wiring
        assert ready is not None and ready.ok
        assert ctx.engine._audio["detail"] == ready.detail == "alarm ready on audio output 'Null Output'"
        assert ready.text == "अलार्म ऑडियो आउटपुट “Null Output” पर तैयार है"

        _other, failed = broken_sound(qtbot, tmp_path)
        win.sound.audio_checked.emit(failed)  # as if the window's own player had failed
        heartbeat_audio = ctx.engine._audio  # what the next heartbeat sends to HQ
        assert heartbeat_audio["ok"] is False
        assert heartbeat_audio["detail"] == failed.detail
        assert not hindi_in(str(heartbeat_audio["detail"]))
        assert not win.no_audio.isHidden()
        assert hindi_in(win.no_audio.detail.text()) and failed.detail not in win.no_audio.detail.text()
    finally:
        win.close()
        wait_idle(qtbot, ctx)
        ctx.taskman.shutdown()


def test_every_audio_check_string_is_translated_in_the_ts() -> None:
    shipped = ts_messages("AudioCheck")
    assert len(shipped) == len(CheckReason)
    for source, translation in shipped.items():
        assert translation is not None and translation.get("type") is None, source
        assert hindi_in(translation.text or ""), source
        assert ("%1" in source) == ("%1" in (translation.text or "")), source


# ------------------------------------------------------------------------------------------ status bar


def test_hq_unreachable_reads_hindi_with_the_raw_error_in_the_tooltip(hindi: QApplication, qtbot: QtBot) -> None:
    bar = SyncStatusBar()
    qtbot.addWidget(bar)
    raw = "cannot reach HQ: ConnectError"
    bar.set_status(SyncStatus(state=ConnectionState.OFFLINE, pending=2, last_error=raw,
                              error_cause=ErrorCause.UNREACHABLE))
    assert bar.error.text() == "मुख्यालय से संपर्क नहीं हो पा रहा; बदलाव सुरक्षित हैं और कनेक्शन लौटने पर भेज दिए जाएंगे।"
    assert bar.error.toolTip().endswith(raw)  # after the whole sentence if it is cut


@pytest.mark.parametrize(
    ("state", "raw", "cause", "english"),
    [
        (ConnectionState.OFFLINE, "HQ did not answer in time (ReadTimeout)", ErrorCause.UNREACHABLE,
         "HQ cannot be reached"),
        # (error, unreachable) means the link works again and one direction is stale: shown as online
        # (tests/unit/ui/test_night_shift.py, one consistent sync state).
        (ConnectionState.ERROR, "push reply.results: expected a list", ErrorCause.PROTOCOL,
         "HQ's reply could not be used"),
        (ConnectionState.ERROR, "HQ refused the request (400 bad_request): nope", ErrorCause.REFUSED,
         "HQ refused a request"),
        (ConnectionState.ERROR, "interrupted; will retry", ErrorCause.INTERRUPTED, "Sync was interrupted"),
        (ConnectionState.ERROR, "internal error: KeyError: 'x'", ErrorCause.INTERNAL, "Sync hit an internal error"),
        (ConnectionState.ERROR, "the local store failed: disk I/O error", ErrorCause.LOCAL_STORE,
         "The local store on this workstation"),
        (ConnectionState.LOGIN_REQUIRED, "not logged in", ErrorCause.LOGIN, "Sign-in needed"),
        (ConnectionState.LOGIN_REQUIRED, "the login has expired or was revoked: revoked", ErrorCause.LOGIN_EXPIRED,
         "Your session with HQ has expired"),
    ],
)
def test_each_sync_cause_has_its_own_sentence_in_both_languages(
    app: QApplication, qtbot: QtBot, state: ConnectionState, raw: str, cause: ErrorCause, english: str
) -> None:
    bar = SyncStatusBar()
    qtbot.addWidget(bar)
    status = SyncStatus(state=state, last_error=raw, error_cause=cause)
    bar.set_status(status)
    assert bar.error.text().startswith(english), bar.error.text()
    assert raw not in bar.error.text() and bar.error.toolTip().endswith(raw)
    english_text = bar.error.text()
    assert install_translator(app, "hi") is not None
    hindi_bar = SyncStatusBar()
    qtbot.addWidget(hindi_bar)
    hindi_bar.set_status(status)
    assert hindi_in(hindi_bar.error.text()) and not re.search(r"[A-Za-z]", hindi_bar.error.text())
    assert hindi_bar.error.text() != english_text and hindi_bar.error.toolTip().endswith(raw)


def test_online_shows_no_error_and_no_tooltip(hindi: QApplication, qtbot: QtBot) -> None:
    bar = SyncStatusBar()
    qtbot.addWidget(bar)
    bar.set_status(SyncStatus(state=ConnectionState.OFFLINE, last_error="cannot reach HQ: ConnectError"))
    bar.set_status(SyncStatus(state=ConnectionState.ONLINE, last_error="left over"))
    assert bar.error.text() == "" and bar.error.toolTip() == ""


# ------------------------------------------------------------------------------------------ login dialog


def test_login_dialog_retranslates_when_the_language_is_switched_in_it(app: QApplication, qtbot: QtBot) -> None:
    taskman = TaskManager()
    dialog = LoginDialog(taskman, "device-lang", lang="en")
    qtbot.addWidget(dialog)
    dialog.language_chosen.connect(lambda lang: install_translator(app, lang))  # what ClientApp does
    try:
        dialog.submit()  # empty form: an error is showing when the language changes
        assert dialog.error.text() == "Fill in the HQ address, your username and your password."
        assert dialog.hq_label.text() == "HQ address" and dialog.ok.text() == "Log in"

        dialog.language.setCurrentIndex(dialog.language.findData("hi"))
        qtbot.waitUntil(lambda: dialog.windowTitle() == "रक्षक — लॉगिन", timeout=2000)
        texts = [
            dialog.intro.text(),
            dialog.hq_label.text(),
            dialog.username_label.text(),
            dialog.password_label.text(),
            dialog.ok.text(),
            dialog.cancel.text(),
            dialog.error.text(),
            dialog.hq_url.accessibleName(),
        ]
        for text in texts:
            assert hindi_in(text), texts
        assert dialog.ok.text() == QCoreApplication.translate("LoginDialog", "Log in") == "लॉगिन करें"
        assert dialog.cancel.text() == "रद्द करें"

        dialog.language.setCurrentIndex(dialog.language.findData("en"))
        qtbot.waitUntil(lambda: dialog.windowTitle() == "Rakshak — log in", timeout=2000)
        assert dialog.hq_label.text() == "HQ address" and dialog.cancel.text() == "Cancel"
        assert dialog.error.text() == "Fill in the HQ address, your username and your password."
    finally:
        taskman.shutdown()


def test_a_callers_message_is_kept_as_given_across_a_switch(app: QApplication, qtbot: QtBot) -> None:
    taskman = TaskManager()
    dialog = LoginDialog(taskman, "device-msg", lang="en", message="Your login has expired.")
    qtbot.addWidget(dialog)
    try:
        install_translator(app, "hi")
        qtbot.waitUntil(lambda: dialog.ok.text() == "लॉगिन करें", timeout=2000)
        assert dialog.intro.text() == "Your login has expired."
    finally:
        taskman.shutdown()


def test_an_expired_session_says_so_and_what_to_do_not_just_login_needed(app: QApplication, qtbot: QtBot) -> None:
    bar = SyncStatusBar()
    qtbot.addWidget(bar)
    bar.set_status(SyncStatus(state=ConnectionState.LOGIN_REQUIRED, last_error="not logged in",
                              error_cause=ErrorCause.LOGIN))
    assert bar.connection.text() == "● Login needed"
    expired = SyncStatus(state=ConnectionState.LOGIN_REQUIRED, last_error="the login has expired or was revoked: x",
                         error_cause=ErrorCause.LOGIN_EXPIRED)
    bar.set_status(expired)
    assert bar.connection.text() == "● Session expired"
    assert "expired" in bar.error.text() and "log in again" in bar.error.text()
    assert install_translator(app, "hi") is not None
    hindi_bar = SyncStatusBar()
    qtbot.addWidget(hindi_bar)
    hindi_bar.set_status(expired)
    assert hindi_in(hindi_bar.connection.text()) and not re.search(r"[A-Za-z]", hindi_bar.connection.text())


def test_events_held_for_review_are_shown_apart_from_refused_ones(app: QApplication, qtbot: QtBot) -> None:
    bar = SyncStatusBar()
    qtbot.addWidget(bar)
    bar.set_status(SyncStatus(state=ConnectionState.ONLINE, held=2))
    assert bar.refused.isVisibleTo(bar) and bar.refused.text() == "2 held for review at HQ…"
    bar.set_status(SyncStatus(state=ConnectionState.ONLINE, held=1, rejected=1))
    assert "1 refused by HQ" in bar.refused.text() and "1 held for review at HQ" in bar.refused.text()
    bar.set_status(SyncStatus(state=ConnectionState.ONLINE))
    assert not bar.refused.isVisibleTo(bar)
    assert install_translator(app, "hi") is not None
    hindi_bar = SyncStatusBar()
    qtbot.addWidget(hindi_bar)
    hindi_bar.set_status(SyncStatus(state=ConnectionState.ONLINE, held=2))
    assert hindi_in(hindi_bar.refused.text()) and "held" not in hindi_bar.refused.text()
