"""The escalation policy editor of the HQ layout against a real HQ on loopback: an admin edits a
district's policy (HQ's own rules refuse a wrong one before it is sent) and saves it, and HQ stores
it; an HQ operator reads and cannot save (HQ refuses the PUT too); a shift change at an HQ console
refuses a district operator with a sentence saying why, and an admin taking over may edit; an
admin edits the complaints' breach policy (an alarm step refused before it is sent)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from core.escalation import COMPLAINT_BREACH_KEY, DEFAULT_KEY, DEFAULT_POLICY, ChannelName, ContactRole, StepAction
from hq.escalation import store as escalation_store
from hq.escalation.policy import COMPLAINT_BREACH_POLICY
from sync.errors import HQRefused
from tests.e2e.kit import start_client, stop_client
from tests.e2e.test_shift_change_lock import sign_in
from tests.fixtures.hq import API, SEED_USERS
from ui.hq.policy import FIXED_ENTRIES

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


def _loaded(editor: Any, code: str) -> bool:
    return editor.loaded is not None and editor.loaded.district == code


def _open(qtbot: Any, window: Any) -> Any:
    editor = window.hq.open_policies()
    assert window.hq.currentWidget() is editor
    qtbot.waitUntil(lambda: _loaded(editor, DEFAULT_KEY), timeout=15_000)
    qtbot.waitUntil(lambda: editor.districts.count() > FIXED_ENTRIES, timeout=10_000)  # the districts HQ sent
    return editor


def test_an_admin_edits_and_saves_a_districts_policy(qtbot, hq_server, tmp_path) -> None:
    db = hq_server.database()
    try:
        escalation_store.add_contact(db, "LKO", "sp_control_room", "SP Control Room Lucknow", phone="+915220000100")
        escalation_store.add_contact(db, "LKO", "sho", "SHO Hazratganj", phone="+915220000200", station="LKO-HZG")
    finally:
        db.dispose()
    client = start_client(qtbot, tmp_path, hq_server.url, username="admin", password=SEED_USERS["admin"])
    try:
        editor = _open(qtbot, client.window)
        assert editor.can_edit and editor.read_only.isHidden()
        assert editor.policy() == DEFAULT_POLICY and editor.save_button.isEnabled()
        assert editor.select_district("LKO")
        qtbot.waitUntil(lambda: _loaded(editor, "LKO"), timeout=10_000)
        assert editor.loaded.inherited and "state default" in editor.origin.text()
        qtbot.waitUntil(lambda: editor.contacts.rowCount() == 2, timeout=10_000)  # read-only, from HQ
        shown = {editor.contacts.item(r, 1).text(): editor.contacts.item(r, 3).text() for r in range(2)}
        assert shown == {"SP Control Room Lucknow": "+915220000100", "SHO Hazratganj": "+915220000200"}

        editor.step_list.setCurrentRow(0)  # "wait 5 min" -> 2 min
        assert editor.action.currentData() == StepAction.WAIT
        editor.minutes.setValue(2)
        assert editor.step_list.item(0).text() == "1. Wait 2 min"
        assert editor.state.text() == "Changed here, not saved at HQ yet."
        editor.step_list.setCurrentRow(len(editor.steps) - 1)  # the repeat, moved up: HQ would refuse it
        editor.move_step(-1)
        assert not editor.save_button.isEnabled()
        assert "repeat can only be the last step" in editor.problem.text()
        editor.move_step(1)
        assert editor.save_button.isEnabled() and editor.problem.text() == ""
        editor.step_list.setCurrentRow(0)
        editor.minutes.setValue(5)  # back as stored: nothing to save
        assert editor.state.text() == "As stored at HQ."
        editor.minutes.setValue(2)
        editor.overdue.setValue(10)

        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: editor.loaded is not None and editor.loaded.version == 1, timeout=10_000)
        assert "Saved at HQ" in editor.state.text() and not editor.loaded.inherited

        stored = hq_server.login("hq").http.get(f"{API}/escalation/policies/LKO").json()
        assert stored["version"] == 1 and stored["inherited"] is False and stored["updated_by"] == "admin"
        assert stored["policy"]["steps"][0] == {"action": "wait", "minutes": 2.0}
        assert stored["policy"]["dispatch_overdue_min"] == 10.0
        assert stored["policy"]["steps"][1:] == DEFAULT_POLICY.to_json()["steps"][1:]
        default = hq_server.login("hq").http.get(f"{API}/escalation/policies/KNP").json()
        assert default["inherited"] is True  # the others still follow the state default
    finally:
        stop_client(qtbot, client)


def test_an_hq_operator_reads_and_a_shift_change_keeps_the_layouts_tier(qtbot, hq_server, tmp_path) -> None:
    client = start_client(qtbot, tmp_path, hq_server.url, username="hq", password=SEED_USERS["hq"])
    window = client.window
    try:
        editor = _open(qtbot, window)
        assert not editor.can_edit and not editor.read_only.isHidden()
        assert not editor.save_button.isEnabled() and not editor.action.isEnabled()
        assert not editor.add_button.isEnabled() and not editor.overdue.isEnabled()
        qtbot.waitUntil(lambda: "(0;" in editor.contacts_note.text(), timeout=10_000)  # fetched: none at HQ
        assert editor.contacts.rowCount() == 0
        lko = hq_server.login("demo")
        assert lko.http.get(f"{API}/escalation/contacts/LKO").status_code == 403  # HQ roles only
        assert hq_server.login("hq").http.get(f"{API}/escalation/contacts/NOPE").status_code == 404
        session = window.ctx.session
        with pytest.raises(HQRefused) as refused:  # HQ refuses a non-admin's PUT as well
            session.call(lambda token: session.client.set_escalation_policy(token, "LKO", DEFAULT_POLICY))
        assert refused.value.status == 403

        qtbot.waitUntil(lambda: str(getattr(window.status.status, "state", "")) == "online", timeout=15_000)
        window.lock()
        sign_in(qtbot, window, "demo", "demo-password", acknowledge=False)  # Lucknow's operator
        qtbot.waitUntil(lambda: "is a district operator" in window.lock_screen.error.text(), timeout=15_000)
        assert window.locked and window.ctx.username == "hq" and session.user.username == "hq"

        sign_in(qtbot, window, "admin", SEED_USERS["admin"], acknowledge=False)
        qtbot.waitUntil(lambda: not window.locked, timeout=15_000)
        assert window.ctx.username == "admin" and window.hq is not None
        assert editor.can_edit and editor.read_only.isHidden() and editor.save_button.isEnabled()
    finally:
        stop_client(qtbot, client)


def test_an_hq_account_at_a_district_console_is_told_where_to_sign_in(qtbot, hq_server, tmp_path) -> None:
    client = start_client(qtbot, tmp_path, hq_server.url)  # Lucknow's console
    window = client.window
    try:
        assert window.hq is None
        qtbot.waitUntil(lambda: str(getattr(window.status.status, "state", "")) == "online", timeout=15_000)
        window.lock()
        sign_in(qtbot, window, "hq", SEED_USERS["hq"], acknowledge=False)
        qtbot.waitUntil(lambda: "is an HQ account" in window.lock_screen.error.text(), timeout=15_000)
        assert window.locked and window.ctx.username == "demo" and window.ctx.session.user.username == "demo"
    finally:
        stop_client(qtbot, client)


def test_an_admin_edits_the_complaints_breach_policy(qtbot, hq_server, tmp_path) -> None:
    client = start_client(qtbot, tmp_path, hq_server.url, username="admin", password=SEED_USERS["admin"])
    try:
        editor = _open(qtbot, client.window)
        assert editor.select_district(COMPLAINT_BREACH_KEY)
        qtbot.waitUntil(lambda: _loaded(editor, COMPLAINT_BREACH_KEY), timeout=10_000)
        assert editor.loaded.inherited and "None stored" in editor.origin.text()
        assert editor.policy() == COMPLAINT_BREACH_POLICY and not editor.overdue.isVisibleTo(editor)
        assert "no alarm rings for a complaint" in editor.steps_hint.text()

        editor.step_list.setCurrentRow(0)
        editor.action.setCurrentIndex(editor.action.findData(str(StepAction.ALARM_HQ)))  # HQ would refuse it
        assert not editor.save_button.isEnabled() and "only notifies" in editor.problem.text()
        editor.action.setCurrentIndex(editor.action.findData(str(StepAction.NOTIFY)))
        editor.role_boxes[ContactRole.HQ_DUTY].setChecked(False)
        editor.role_boxes[ContactRole.SP_CONTROL_ROOM].setChecked(True)
        editor.channel_boxes[ChannelName.EMAIL].setChecked(False)
        assert editor.save_button.isEnabled() and editor.problem.text() == ""

        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: editor.loaded is not None and editor.loaded.version == 1, timeout=10_000)
        stored = hq_server.login("hq").http.get(f"{API}/escalation/policies/{COMPLAINT_BREACH_KEY}").json()
        assert stored["version"] == 1 and stored["updated_by"] == "admin"
        assert stored["policy"]["steps"] == [{"action": "notify", "roles": ["sp_control_room"], "channels": ["sms"]}]
        assert editor.select_district(DEFAULT_KEY)  # the state default is untouched
        qtbot.waitUntil(lambda: _loaded(editor, DEFAULT_KEY), timeout=10_000)
        assert editor.policy() == DEFAULT_POLICY and editor.overdue.isVisibleTo(editor)
    finally:
        stop_client(qtbot, client)
