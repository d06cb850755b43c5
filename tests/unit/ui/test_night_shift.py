"""What a night shift hits in the window: size on a 1,366 x 768 screen, one sync state, errors and codes
in the operator's words, everything entered shown, local times, the lock screen, mutes, the ringing case.

Real SQLCipher store per test (tests/e2e/kit.py), no HQ: the window as an operator has it offline.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from core.errors import CommandRefused, InvalidEvent
from core.events import PAYLOADS, EventType, iso
from core.store import service
from sync import ConnectionState, SyncStatus
from sync.status import ErrorCause
from tests.e2e.kit import OPERATOR, add_cases_from_hq, created_event, fill, make_context, wait_idle
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

# What a 1,366 x 768 laptop leaves for a window under its panel and title bar.
SCREEN_W, ROOM_H = 1366, 700
NAMES = {"LKO": "Lucknow", "HAZ": "Hazratganj", "GOM": "Gomti Nagar"}


def open_window(qtbot: Any, ui_env: Any, events: list[Any], *, district: str | None = "LKO") -> Any:
    add_cases_from_hq(ui_env.store, events)
    ctx = make_context(ui_env)
    ctx.user.district = district
    win = MainWindow(ctx, with_sound=False)
    qtbot.addWidget(win)
    win.show()
    return win


def close_window(qtbot: Any, win: Any) -> None:
    win.close()
    wait_idle(qtbot, win.ctx)
    win.ctx.taskman.shutdown()


@pytest.fixture
def window(qtbot, ui_env) -> Any:
    ev = created_event(ui_env.hq_clock, name="Night Shift Case", station="GOM")
    win = open_window(qtbot, ui_env, [ev])
    qtbot.waitUntil(lambda: win.alarm.is_ringing, timeout=5000)
    win.case_id = ev.case_id
    yield win
    close_window(qtbot, win)


def record(win: Any, etype: EventType, payload: dict[str, Any], case_id: str | None = None) -> None:
    service.record(win.ctx.store, clock=win.ctx.clock, author=OPERATOR, case_id=case_id or win.case_id,
                   etype=etype, payload=payload)
    win.ctx.taskman.cases_changed.emit(frozenset({case_id or win.case_id}))


def highlighted(win: Any) -> list[str]:
    """Case ids of the rows the queue highlights."""
    model = win.queue.model
    return [i.data(model.CASE_ID_ROLE) for i in win.queue.table.selectionModel().selectedRows()]


def timeline_cells(win: Any, column: int = 3) -> list[str]:
    t = win.detail.timeline
    return [t.item(r, column).text() for r in range(t.rowCount())]


# ---- 3: the window fits the screen -----------------------------------------------------------------
def _worst_case(qtbot: Any, win: Any) -> None:
    """Everything long at once: offline with an error, clock warning, a confirmation, no audio, the banner."""
    from ui.alarm.audio_check import AudioCheck, CheckReason

    win.ctx.bridge.on_status(SyncStatus(
        state=ConnectionState.OFFLINE, pending=12, rejected=3, clock_skew_s=-4200.0,
        last_error="cannot reach HQ: ConnectionError(MaxRetryError(...))", error_cause=ErrorCause.UNREACHABLE,
    ))
    win.no_audio.set_check(AudioCheck(ok=False, detail="no device", checked_at=datetime.now(UTC),
                                      reason=CheckReason.NO_DEVICE))
    win.status.set_user("Operator Sunita Devi Ramaswamy · district_operator · Lucknow Commissionerate")
    form = win.open_form("locate", win.case_id)
    fill(qtbot, form, {"location.text": "Near the old temple", "method": "cdr_tower"})
    with qtbot.waitSignal(form.recorded, timeout=5000):
        qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    win.status.flash("Record traced location ✓ — and a long confirmation text that goes on and on", 8000)
    qtbot.wait(100)


def _widest(win: Any) -> list[tuple[int, str, str]]:
    """The widgets whose minimum width is largest (names the culprit when the size check fails)."""
    from PySide6.QtWidgets import QWidget

    found = [(w.minimumSizeHint().width(), type(w).__name__, w.objectName()) for w in win.findChildren(QWidget)
             if w.isVisible()]
    return sorted(found, reverse=True)[:8]


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_window_fits_a_1366x768_screen_offline_after_a_form(qtbot, ui_env, lang, app):
    from ui.i18n import install_translator

    install_translator(app, lang)
    ev = created_event(ui_env.hq_clock, name="Fit Case " * 6, station="GOM")
    win = open_window(qtbot, ui_env, [ev])
    win.case_id = ev.case_id
    qtbot.waitUntil(lambda: win.alarm.is_ringing, timeout=5000)
    screen = win.screen().availableGeometry()
    qtbot.waitUntil(lambda: win.frameGeometry().height() <= screen.height(), timeout=3000)  # at start, too
    win.open_case(ev.case_id)
    qtbot.waitUntil(lambda: win.detail.state is not None, timeout=5000)
    _worst_case(qtbot, win)
    hint = win.minimumSizeHint()
    assert hint.width() <= SCREEN_W and hint.height() <= ROOM_H, (lang, hint, _widest(win))
    # The window did not grow: it is no larger than at start (the test screen is 800 x 800).
    qtbot.wait(50)
    assert win.width() <= max(screen.width(), hint.width()), (win.geometry(), hint)
    assert win.frameGeometry().height() <= screen.height()
    for button in (win.banner.ack_button, win.banner.mute_button, win.banner.open_button):
        assert button.isVisible() and button.width() >= button.minimumSizeHint().width()  # not cut
    close_window(qtbot, win)


def test_window_never_starts_larger_than_its_screen(qtbot, window):
    screen = window.screen().availableGeometry()
    qtbot.waitUntil(lambda: screen.contains(window.frameGeometry()), timeout=3000)
    window.resize(screen.width() + 400, screen.height() + 300)  # what a layout demanding more room does
    qtbot.waitUntil(lambda: screen.contains(window.frameGeometry()), timeout=3000)


# ---- 4: one consistent sync state --------------------------------------------------------------------
def test_link_back_shows_no_unreachable_beside_all_sent(qtbot, window):
    bar = window.status
    # The push went through (nothing pending), a long pull from before the outage has not yet answered.
    bar.set_status(SyncStatus(state=ConnectionState.ERROR, pending=0, last_error="cannot reach HQ: Timeout",
                              error_cause=ErrorCause.UNREACHABLE))
    assert bar.pending.text() == "All sent"
    assert "Online" in bar.connection.text() and bar.error.text() == ""
    bar.set_status(SyncStatus(state=ConnectionState.SYNCING, pending=0, last_error="cannot reach HQ: Timeout",
                              error_cause=ErrorCause.UNREACHABLE))
    assert bar.error.text() == ""
    bar.set_status(SyncStatus(state=ConnectionState.OFFLINE, pending=2, last_error="cannot reach HQ",
                              error_cause=ErrorCause.UNREACHABLE))
    assert "Offline" in bar.connection.text() and "cannot be reached" in bar.error.text()
    bar.set_status(SyncStatus(state=ConnectionState.ERROR, pending=0, last_error="HQ refused (400)",
                              error_cause=ErrorCause.REFUSED))
    assert "HQ error" in bar.connection.text() and "refused" in bar.error.text()  # a real error stays


# ---- 5: errors in the operator's words ------------------------------------------------------------------
def test_core_refusals_become_sentences_naming_the_form_field(app):
    from ui.forms import specs_for
    from ui.forms.messages import not_saved_text
    from ui.i18n import install_translator

    with pytest.raises(InvalidEvent) as bad:
        PAYLOADS[EventType.LOCATED]({"location": {"text": "x", "latitude": 200.0}, "method": "cdr_tower"},
                                    "event.payload")
    assert str(bad.value) == "event.payload.location.latitude: must be between -90 and 90"
    fields = specs_for()["locate"].fields
    assert not_saved_text(bad.value, fields) == "Not saved: Latitude must be between -90 and 90."
    assert not_saved_text(CommandRefused("acknowledge the case first")) == "Not saved: acknowledge the case first."
    correction = CommandRefused(f"the correction is not valid: fields.location.longitude: {'must be a number'}")
    assert not_saved_text(correction, fields) == "Not saved: Longitude must be a number."

    install_translator(app, "hi")
    fields = specs_for()["locate"].fields
    text = not_saved_text(bad.value, fields)
    assert "event.payload" not in text and "must be" not in text
    assert fields[1].label in text and fields[1].label != "Latitude"  # the Hindi label, as the form shows it
    assert "acknowledge" not in not_saved_text(CommandRefused("acknowledge the case first"))


def test_quick_action_refusal_is_a_sentence(qtbot, window):
    from PySide6.QtWidgets import QMessageBox

    window.record(window.case_id, EventType.EN_ROUTE, {})  # not acknowledged yet
    qtbot.waitUntil(lambda: any(b.isVisible() for b in window.findChildren(QMessageBox, "notice")), timeout=5000)
    box = next(b for b in window.findChildren(QMessageBox, "notice") if b.isVisible())
    assert box.text() == "Not saved: acknowledge the case first."
    box.close()


# ---- 6 and 7: names not codes, everything entered shown -------------------------------------------------
def test_timeline_shows_every_entry_in_words(qtbot, window):
    window.open_case(window.case_id)
    record(window, EventType.ACKNOWLEDGED, {})
    record(window, EventType.LOCATED, {"location": {"text": "Gomti bridge", "latitude": 26.85, "longitude": 80.95},
                                       "method": "cdr_tower"})
    record(window, EventType.CONTACT_REVEALED, {"field": "phones[0]"})
    record(window, EventType.DISPATCHED, {"officer": "SI Verma", "phone": "9000000555", "team": "PRV 12"})
    record(window, EventType.EN_ROUTE, {"eta_min": 12})
    long_note = "Spoke with him for forty minutes. " * 12 + "He agreed to see a counsellor tomorrow."
    record(window, EventType.COUNSELLING_NOTE, {
        "officer_name": "R. Singh", "officer_rank": "DSP", "text": long_note, "family_contacted": True,
        "referral": "Tele-MANAS 14416",
    })
    qtbot.waitUntil(lambda: window.detail.timeline.rowCount() == 7, timeout=5000)
    cells = " | ".join(timeline_cells(window))
    for code in ("cdr_tower", "phones[0]", "9000000555", "{", "eta_min"):
        assert code not in cells, code
    for shown in ("Phone tower (CDR)", "Phone number 1", "12 min", "Tele-MANAS 14416", "Spoke with him"):
        assert shown in cells, shown
    note_item = window.detail.timeline.item(6, 3)
    assert "{" not in note_item.toolTip()  # no raw JSON
    progress = window.detail.progress.text()
    assert "expected in 12 min" in progress and "Tele-MANAS 14416" in progress and "Spoke with him" in progress
    # A long note opens readable, whole, in its own window.
    window.detail.timeline.itemActivated.emit(note_item)
    dialog = window.detail._entry_dialog
    assert dialog is not None and dialog.isVisible()
    from PySide6.QtWidgets import QTextBrowser

    body = dialog.findChild(QTextBrowser, "timeline-entry-text")
    text = body.toPlainText()
    assert long_note.strip() in text and "Referral: Tele-MANAS 14416" in text and "Family contacted: yes" in text
    dialog.close()


def test_places_show_names_with_codes_in_tooltips_and_hq_has_a_district_column(qtbot, ui_env):
    ev = created_event(ui_env.hq_clock, name="Place Case", station="GOM", district="LKO")
    win = open_window(qtbot, ui_env, [ev], district=None)  # an HQ console
    qtbot.waitUntil(lambda: win.queue.model.rowCount() == 1 and win.alarm.is_ringing, timeout=5000)
    model = win.queue.model
    assert not win.queue.table.isColumnHidden(model.COL_DISTRICT)
    win.apply_place_names(NAMES)
    assert model.index(0, model.COL_STATION).data() == "Gomti Nagar"
    assert model.index(0, model.COL_DISTRICT).data() == "Lucknow"
    assert model.index(0, model.COL_STATION).data(Qt.ItemDataRole.ToolTipRole) == "GOM"
    assert "Gomti Nagar" in win.banner.details.text() and "GOM" not in win.banner.details.text()
    win.open_case(ev.case_id)
    qtbot.waitUntil(lambda: "Lucknow / Gomti Nagar" in win.detail.meta.text(), timeout=5000)
    # The names are kept in the store: a console that starts offline shows them too.
    wait_idle(qtbot, win.ctx)
    close_window(qtbot, win)


def test_district_console_hides_the_district_column(qtbot, window):
    assert window.queue.table.isColumnHidden(window.queue.model.COL_DISTRICT)


# ---- 8: local times, words in the UI language ------------------------------------------------------------
def test_no_audio_time_is_local_and_units_and_months_follow_the_language(qtbot, window, app):
    from ui.alarm.audio_check import AudioCheck, CheckReason
    from ui.alarm.banner import age_text
    from ui.i18n import install_translator
    from ui.labels import local_time

    at = datetime(2026, 11, 29, 17, 5, tzinfo=UTC)
    window.no_audio.set_check(AudioCheck(ok=False, detail="x", checked_at=at, reason=CheckReason.NO_DEVICE))
    local = at.astimezone().strftime("%H:%M")
    assert "UTC" not in window.no_audio.detail.text() and local in window.no_audio.detail.text()
    now = datetime(2026, 11, 29, 18, 0, tzinfo=UTC)
    english = age_text(iso(now - timedelta(minutes=3)), now), age_text(iso(now - timedelta(seconds=9)), now)
    assert english == ("3 min", "9 s")
    install_translator(app, "hi")
    hindi = age_text(iso(now - timedelta(minutes=3)), now), age_text(iso(now - timedelta(seconds=9)), now)
    assert hindi[0] != "3 min" and hindi[0].startswith("3") and hindi[1] != "9 s"
    month = QLocale("hi").monthName(11, QLocale.FormatType.ShortFormat)
    assert month in local_time(iso(at)) and "Nov" not in local_time(iso(at))


# ---- 10: the lock screen -----------------------------------------------------------------------------------
def test_wrong_password_does_not_stay_through_a_later_alarm(qtbot, window, ui_env):
    window.lock()
    window.lock_screen.fail("Wrong password.")
    assert window.lock_screen.error.text() == "Wrong password."
    add_cases_from_hq(ui_env.store, [created_event(ui_env.hq_clock, name="Second Alert")])
    window.ctx.taskman.cases_changed.emit(None)
    qtbot.waitUntil(lambda: len(window.alarm_rows) == 2, timeout=5000)
    assert window.lock_screen.error.text() == ""
    window.lock_screen.fail("Wrong password.")
    qtbot.keyClicks(window.lock_screen.password, "x")  # the next try starts clean
    assert window.lock_screen.error.text() == ""


def _sign_in(qtbot: Any, win: Any, username: str, password: str, acknowledge: bool = False) -> None:
    screen = win.lock_screen
    screen.username.setText(username)
    screen.password.setText(password)
    qtbot.mouseClick(screen.ack_button if acknowledge else screen.button, Qt.MouseButton.LeftButton)


def test_shift_change_any_operator_of_this_console_signs_in_and_acknowledges(qtbot, window):
    """Offline (no engine): who signed in here before may come in with their own password; nobody else."""
    from ui.lock import identity_json, make_verifier, user_identity_key, user_verifier_key

    window.save_verifier("op1", "op1-password")  # the locked user's own sign-in
    store = window.ctx.store
    with store.unit_of_work() as uow:  # what a sign-in of these users on this console left behind
        uow.meta.set(user_verifier_key("rekha"), make_verifier("rekha", "rekha-password"))
        uow.meta.set(user_identity_key("rekha"), identity_json("op-2", "rekha", "Operator Rekha",
                                                               "district_operator", "LKO"))
        uow.meta.set(user_verifier_key("knp-op"), make_verifier("knp-op", "knp-password"))
        uow.meta.set(user_identity_key("knp-op"), identity_json("op-9", "knp-op", "Kanpur Operator",
                                                                "district_operator", "KNP"))
        uow.commit()
    wait_idle(qtbot, window.ctx)
    window.lock()
    assert window.alarm.is_ringing and window.lock_screen.ack_button.isVisible()
    assert window.lock_screen.username.text() == "op1"

    _sign_in(qtbot, window, "rekha", "wrong")
    qtbot.waitUntil(lambda: "Wrong user name or password" in window.lock_screen.error.text(), timeout=10_000)
    _sign_in(qtbot, window, "stranger", "whatever")  # never signed in here, and HQ cannot be asked
    qtbot.waitUntil(lambda: "has not signed in on this console" in window.lock_screen.error.text(), timeout=10_000)
    _sign_in(qtbot, window, "knp-op", "knp-password")  # another district's operator
    qtbot.waitUntil(lambda: "not an operator of this console" in window.lock_screen.error.text(), timeout=10_000)
    assert window.locked and window.ctx.author.user_id == "op-1"

    _sign_in(qtbot, window, "rekha", "rekha-password", acknowledge=True)
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    assert window.ctx.author.display_name == "Operator Rekha" and "Operator Rekha" in window.status.user.text()
    qtbot.waitUntil(lambda: not window.alarm.is_ringing, timeout=5000)
    with store.reader() as uow:
        acks = [s.event for s in uow.events.history(window.case_id) if s.event.type is EventType.ACKNOWLEDGED]
    assert len(acks) == 1 and acks[0].author_id == "op-2" and acks[0].author_name == "Operator Rekha"

    window.lock()  # the previous user comes back: still allowed, with the verifier kept for them
    assert window.lock_screen.username.text() == "rekha"
    _sign_in(qtbot, window, "op1", "op1-password")
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    assert window.ctx.author.user_id == "op-1"


# ---- 11: a mute leaves a trace and can be ended early -----------------------------------------------------
def test_mute_shows_who_until_when_and_why_and_unmutes(qtbot, window):
    until = datetime.now(UTC) + timedelta(minutes=5)
    record(window, EventType.ALARM_MUTED, {"reason": "caller on the line", "until": iso(until)})
    qtbot.waitUntil(lambda: not window.alarm.is_ringing, timeout=5000)
    qtbot.waitUntil(lambda: window.mute_notice.isVisible(), timeout=5000)
    text = window.mute_notice.text.text()
    hhmm = QLocale().toString(until.astimezone().time(), "HH:mm")
    assert f"Alarm muted by Operator Sunita until {hhmm} — caller on the line" in text
    qtbot.mouseClick(window.mute_notice.unmute_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.alarm.is_ringing, timeout=5000)
    qtbot.waitUntil(lambda: not window.mute_notice.isVisible(), timeout=5000)
    window.lock()  # locked: no subject name or reason in the notice (nothing muted now anyway)
    assert "Night Shift Case" not in window.mute_notice.text.text()


# ---- 12: the ringing case is shown, or one key away ---------------------------------------------------------
def test_new_alert_replaces_a_closed_case_in_the_detail_pane(qtbot, window, ui_env):
    window.open_case(window.case_id)
    record(window, EventType.ACKNOWLEDGED, {})
    record(window, EventType.OUTCOME_RECORDED, {"outcome": "safe_counselled"})
    record(window, EventType.CLOSED, {})
    qtbot.waitUntil(lambda: window.detail.state is not None and window.detail.state.is_closed, timeout=5000)
    new = created_event(ui_env.hq_clock, name="New Ringing Case")
    add_cases_from_hq(ui_env.store, [new])
    window.ctx.taskman.cases_changed.emit(frozenset({new.case_id}))
    qtbot.waitUntil(lambda: window.detail.case_id == new.case_id, timeout=5000)
    qtbot.waitUntil(lambda: window.detail.state is not None and window.detail.state.case_id == new.case_id,
                    timeout=5000)
    qtbot.waitUntil(lambda: highlighted(window) == [new.case_id], timeout=5000)  # the queue shows the same case


def test_new_alert_replaces_an_open_case_nobody_is_working_on(qtbot, window, ui_env):
    from ui.main_window import RINGING_TAKES_OVER_IDLE_S

    window.open_case(window.case_id)
    record(window, EventType.ACKNOWLEDGED, {})
    qtbot.waitUntil(lambda: window.detail.state is not None and window.detail.state.acknowledged_at, timeout=5000)
    window.idle._last_input -= RINGING_TAKES_OVER_IDLE_S + 1  # nobody touched the console since
    new = created_event(ui_env.hq_clock, name="Unattended Ringing Case")
    add_cases_from_hq(ui_env.store, [new])
    window.ctx.taskman.cases_changed.emit(frozenset({new.case_id}))
    qtbot.waitUntil(lambda: window.detail.case_id == new.case_id, timeout=5000)


def test_ringing_case_is_one_key_away_while_working_an_open_case(qtbot, window, ui_env):
    window.open_case(window.case_id)
    record(window, EventType.ACKNOWLEDGED, {})
    qtbot.waitUntil(lambda: window.detail.state is not None and window.detail.state.acknowledged_at, timeout=5000)
    new = created_event(ui_env.hq_clock, name="Other Ringing Case")
    add_cases_from_hq(ui_env.store, [new])
    window.ctx.taskman.cases_changed.emit(frozenset({new.case_id}))
    qtbot.waitUntil(lambda: window.alarm.is_ringing and window.banner.current_case_id == new.case_id, timeout=5000)
    assert window.detail.case_id == window.case_id  # the open case being worked on stays
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.detail.case_id == new.case_id, timeout=5000)
    assert window.queue.selected_case_id() == new.case_id


# ---- 15: the close form and hints ---------------------------------------------------------------------------
def test_close_form_buttons_and_hints_do_not_mislead(qtbot, window):
    from PySide6.QtWidgets import QComboBox, QLineEdit

    from ui.forms.specs import REFERRALS

    record(window, EventType.ACKNOWLEDGED, {})
    form = window.open_form("close", window.case_id)
    texts = [b.text() for b in form.buttons.findChildren(QPushButton)]
    assert "Close case" in texts
    assert sum(t.startswith("Close") for t in texts) == 1, texts
    form.close()
    note = window.open_form("note", window.case_id)
    referral = note.widgets["referral"]
    assert isinstance(referral, QComboBox) and referral.currentText() == ""
    hint = referral.lineEdit().placeholderText()
    assert hint and not any(r in hint for r in REFERRALS)
    note.close()
    locate = window.open_form("locate", window.case_id)
    accuracy = locate.widgets["location.accuracy_m"]
    assert isinstance(accuracy, QLineEdit)
    assert "26.8467" not in accuracy.placeholderText() and "metres" in accuracy.placeholderText()
    assert "26.8467" in locate.widgets["location.latitude"].placeholderText()
    locate.close()


def test_every_new_string_speaks_hindi(app):
    from ui.i18n import install_translator

    install_translator(app, "hi")
    for context, source in (
        ("FormMessages", "Not saved: %1"),
        ("Timeline", "Phone number %1"),
        ("Labels", "%1 min"),
        ("MuteNotice", "Alarm muted by %1 until %2 — %3"),
        ("AlarmBanner", "Open case (F2)"),
    ):
        assert QCoreApplication.translate(context, source) != source, (context, source)
    assert isinstance(QApplication.instance(), QApplication)


def test_a_case_opened_before_its_queue_row_arrives_is_the_one_highlighted(qtbot, window, ui_env):
    window.open_case(window.case_id)
    qtbot.waitUntil(lambda: highlighted(window) == [window.case_id], timeout=5000)
    new = created_event(ui_env.hq_clock, name="Not Yet In The Queue")
    add_cases_from_hq(ui_env.store, [new])
    window.open_case(new.case_id)  # the queue has not reloaded yet: its row is not there
    assert highlighted(window) != [window.case_id]  # the old case is not left highlighted
    window.queue.refresh()
    qtbot.waitUntil(lambda: highlighted(window) == [new.case_id], timeout=5000)
    assert window.detail.case_id == new.case_id
