"""Action forms, detail pane and shortcuts in the main window, against a real SQLCipher store (no HQ).

Without a sync engine the window is exactly what an operator has offline: every action is recorded
locally as a pending event.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from core.events import EventType
from tests.e2e.kit import fill, wait_idle
from tests.unit.ui.conftest import main_window

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


@pytest.fixture
def window(qtbot, ui_env) -> Iterator[Any]:
    with main_window(qtbot, ui_env, "Ravi Formtest", phones=("+91 98765 43210",), shown=True) as win:
        yield win


def history_types(win: Any) -> list[str]:
    with win.ctx.store.reader() as uow:
        return [str(s.event.type) for s in uow.events.history(win.case_id)]


def submit(qtbot: Any, form: Any) -> None:
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)


def test_required_fields_are_named_and_nothing_is_stored(qtbot, window):
    window.acknowledge(window.case_id)
    qtbot.waitUntil(lambda: "acknowledged" in history_types(window), timeout=5000)
    form = window.open_form("dispatch")
    fill(qtbot, form, {"team": "PRV 3"})
    submit(qtbot, form)
    assert form.error.isVisible()
    assert "Officer in charge" in form.error.text() and "Officer's phone" in form.error.text()
    wait_idle(qtbot, window.ctx)
    assert "dispatched" not in history_types(window)


def test_refusal_from_commands_is_shown_in_the_form(qtbot, window):
    form = window.open_form("outcome")  # not acknowledged yet: core.commands refuses
    fill(qtbot, form, {"outcome": "safe_counselled"})
    submit(qtbot, form)
    qtbot.waitUntil(lambda: form.error.isVisible(), timeout=5000)
    assert "acknowledge the case first" in form.error.text()
    assert form.isEnabled() and form.values()["outcome"] == "safe_counselled"  # still filled in
    assert "outcome_recorded" not in history_types(window)


def test_outcome_reason_appears_and_is_required(qtbot, window):
    window.acknowledge(window.case_id)
    qtbot.waitUntil(lambda: "acknowledged" in history_types(window), timeout=5000)
    form = window.open_form("outcome")
    assert form.widgets["not_reached_reason"].isHidden()
    fill(qtbot, form, {"outcome": "not_reached"})
    assert not form.widgets["not_reached_reason"].isHidden()
    submit(qtbot, form)
    assert "Why not reached" in form.error.text()
    fill(qtbot, form, {"not_reached_reason": "phone_switched_off"})
    with qtbot.waitSignal(form.recorded, timeout=5000) as rec:
        submit(qtbot, form)
    event = rec.args[0]
    assert event.payload == {"outcome": "not_reached", "not_reached_reason": "phone_switched_off"}


def test_invalid_coordinates_are_refused_with_the_field_named(qtbot, window):
    form = window.open_form("locate")
    fill(qtbot, form, {"location.text": "Near the temple", "location.latitude": "200", "location.longitude": "80.9",
                       "method": "cdr_tower"})
    submit(qtbot, form)
    qtbot.waitUntil(lambda: form.error.isVisible(), timeout=5000)
    # The operator's words: the field as the form labels it, no payload path.
    assert form.error.text() == "Latitude must be between -90 and 90."
    fill(qtbot, form, {"location.latitude": "26.85"})
    with qtbot.waitSignal(form.recorded, timeout=5000):
        submit(qtbot, form)
    qtbot.waitUntil(lambda: window.detail.state.traced_location is not None, timeout=5000)
    assert window.detail.traced.coords.text().startswith("26.850000, 80.900000")
    assert "mlat=26.850000&mlon=80.900000" in window.detail.traced.link.text()


def test_reveal_phone_is_audited_before_unmasking(qtbot, window):
    assert window.detail.phone_labels[0].text() == "+•• ••••• •••10"
    qtbot.mouseClick(window.detail.reveal_buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.detail.phone_labels[0].text() == "+91 98765 43210", timeout=5000)
    with window.ctx.store.reader() as uow:
        revealed = [s.event for s in uow.events.history(window.case_id) if s.event.type is EventType.CONTACT_REVEALED]
    assert len(revealed) == 1 and revealed[0].payload == {"field": "phones[0]"}
    assert str(revealed[0].author_id) == window.ctx.author.user_id


def test_amend_corrects_an_earlier_entry(qtbot, window):
    window.acknowledge(window.case_id)
    qtbot.waitUntil(lambda: "acknowledged" in history_types(window), timeout=5000)
    form = window.open_form("dispatch")
    fill(qtbot, form, {"officer": "SI Wrong Name", "phone": "9000000555"})
    with qtbot.waitSignal(form.recorded, timeout=5000):
        submit(qtbot, form)
    qtbot.waitUntil(lambda: window.detail.state.dispatch is not None, timeout=5000)
    amend = window.open_form("amend")
    target = amend.widgets["target_event_id"]
    index = next(i for i in range(target.count()) if "dispatched" in target.itemText(i).lower()
                 or "Team dispatched" in target.itemText(i))
    target.setCurrentIndex(index)
    amend.amend_widgets["officer"].setText("SI Right Name")
    fill(qtbot, amend, {"reason": "typo in the officer's name"})
    with qtbot.waitSignal(amend.recorded, timeout=5000) as rec:
        submit(qtbot, amend)
    assert rec.args[0].payload["fields"] == {"officer": "SI Right Name"}
    qtbot.waitUntil(lambda: window.detail.state.dispatch["officer"] == "SI Right Name", timeout=5000)


def test_shortcuts_acknowledge_and_open_forms(qtbot, window):
    window.activateWindow()
    # While the banner shows the alert, Ctrl+K is the banner's; the window's own action stands aside.
    assert window.banner.acknowledge_action.isEnabled() and not window.ack_action.isEnabled()
    window.banner.acknowledge_action.trigger()
    qtbot.waitUntil(lambda: not window.alarm.is_ringing, timeout=5000)
    qtbot.waitUntil(lambda: window.ack_action.isEnabled(), timeout=5000)
    assert window.ack_action.shortcut().toString() == "Ctrl+K"
    assert window.form_actions["dispatch"].shortcut().toString() == "Ctrl+D"
    assert window.form_actions["outcome"].shortcut().toString() == "Ctrl+O"
    assert window.form_actions["note"].shortcut().toString() == "Ctrl+N"
    window.form_actions["dispatch"].trigger()
    assert (window.case_id, "dispatch") in window.forms and window.forms[(window.case_id, "dispatch")].isVisible()
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(window.detail.probable.copy, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text().startswith("26.846700, 80.946200")


def test_close_and_escape_hide_the_form_and_keep_the_draft(qtbot, window):
    form = window.open_form("locate")
    fill(qtbot, form, {"location.text": "Behind the bus stand"})
    form.close()
    assert not form.isVisible()
    wait_idle(qtbot, window.ctx)
    with window.ctx.store.reader() as uow:
        assert uow.drafts.load(window.case_id, "locate")["location.text"] == "Behind the bus stand"
    again = window.open_form("locate")
    assert again is not form
    qtbot.waitUntil(lambda: again.values()["location.text"] == "Behind the bus stand", timeout=5000)
    qtbot.keyClick(again, Qt.Key.Key_Escape)
    assert not again.isVisible()
    window.lock()  # locking closes every open form (drafts saved), so no typed text stays on screen
    assert not any(f.isVisible() for f in window.forms.values())


def test_controls_have_accessible_names(qtbot, window):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit

    unnamed = [
        w.objectName() or w.metaObject().className()
        for w in window.findChildren(QAbstractButton) + window.findChildren(QLineEdit) + window.findChildren(QComboBox)
        if w.isVisible() and not (w.accessibleName() or (isinstance(w, QAbstractButton) and w.text()))
    ]
    assert unnamed == []


def test_refused_quick_action_and_store_failure_are_shown_without_blocking(qtbot, window):
    from PySide6.QtWidgets import QMessageBox

    window.acknowledge(window.case_id)
    qtbot.waitUntil(lambda: "acknowledged" in history_types(window), timeout=5000)
    window.record(window.case_id, EventType.ACKNOWLEDGED, {})  # a second console's worth: refused
    qtbot.waitUntil(lambda: any(b.isVisible() for b in window.findChildren(QMessageBox, "notice")), timeout=5000)
    box = next(b for b in window.findChildren(QMessageBox, "notice") if b.isVisible())
    assert "already acknowledged by Operator Sunita" in box.text()
    box.close()

    window.ctx.taskman.environment_error.emit("database or disk is full")
    box = next(b for b in window.findChildren(QMessageBox, "notice") if b.isVisible())
    assert "disk is full" in box.text() and "drafts are kept" in box.text()
    box.close()


def test_mute_from_banner_records_alarm_muted_and_silences(qtbot, window):
    from ui.alarm import MuteDialog

    assert window.alarm.is_ringing
    qtbot.mouseClick(window.banner.mute_button, Qt.MouseButton.LeftButton)
    dialog = window.mute_dialog
    assert isinstance(dialog, MuteDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.reason_edit, "caller on the line, handling it")
    dialog.minutes_spin.setValue(5)
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "alarm_muted" in history_types(window), timeout=5000)
    qtbot.waitUntil(lambda: not window.alarm.is_ringing, timeout=5000)
    with window.ctx.store.reader() as uow:
        muted = [s.event for s in uow.events.history(window.case_id) if s.event.type is EventType.ALARM_MUTED]
    assert muted[0].payload["reason"] == "caller on the line, handling it"
