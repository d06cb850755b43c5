"""Idle lock and drafts in the real client against HQ on loopback.

The lock test reads every text the window can show (labels, edits, buttons, tooltips, accessible
names, every cell of every view) and asserts that none of the person's data is among them.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.e2e.kit import all_texts, fill, start_client, stop_client
from tests.e2e.test_whole_flow import SUBJECT, acknowledge_from_banner, wait_ringing

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

PERSONAL = ("Meera", "Ziptest", "9000000777", "अब और नहीं")


def joined(window: Any) -> str:
    return "\n".join(all_texts(window))


def unlock(qtbot: Any, window: Any, password: str) -> None:
    window.lock_screen.password.setText(password)
    qtbot.mouseClick(window.lock_screen.button, Qt.MouseButton.LeftButton)


def test_idle_lock_hides_personal_data_alarm_keeps_ringing(qtbot, hq_server, tmp_path):
    client = start_client(qtbot, tmp_path, hq_server.url)
    window = client.window
    try:
        case_id = hq_server.intake("LKO", subject=SUBJECT)
        wait_ringing(qtbot, window, case_id)
        window.open_case(case_id)
        qtbot.waitUntil(lambda: window.detail.state is not None, timeout=5000)
        assert "Meera Ziptest (synthetic)" in joined(window)  # the probe can see the name when unlocked

        window.idle.idle_s = 0.3
        window.idle.set_check_interval_ms(50)
        qtbot.waitUntil(lambda: window.locked, timeout=5000)
        window.idle.idle_s = 3600
        texts = joined(window)
        for secret in PERSONAL:
            assert secret not in texts
        assert window.alarm.is_ringing  # alarms still sound while locked
        assert "unlock to view" in window.banner.headline.text()
        assert not window.banner.acknowledge_action.isEnabled()

        # A new alert while locked: it rings, and the banner still shows no personal data.
        second = hq_server.intake("LKO", subject={**SUBJECT, "name": "Kavya Nulltest (synthetic)"})
        wait_ringing(qtbot, window, second)
        assert "Kavya" not in joined(window)

        unlock(qtbot, window, "not-my-password")
        qtbot.waitUntil(lambda: "Wrong user name or password" in window.lock_screen.error.text(), timeout=10_000)
        assert window.locked

        unlock(qtbot, window, "demo-password")  # online: checked by HQ
        qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
        qtbot.waitUntil(lambda: "Meera Ziptest (synthetic)" in joined(window), timeout=5000)

        # Offline: HQ is gone; the verifier kept in the encrypted store unlocks.
        window.lock()
        hq_server.stop()
        window.sync_now()
        qtbot.waitUntil(lambda: str(getattr(window.status.status, "state", "")) == "offline", timeout=15_000)
        unlock(qtbot, window, "wrong-again")
        qtbot.waitUntil(lambda: "Wrong user name or password" in window.lock_screen.error.text(), timeout=10_000)
        unlock(qtbot, window, "demo-password")
        qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
        # Nothing readable of the password is stored: only a PBKDF2 verifier.
        with client.store.reader() as uow:
            verifier = uow.meta.get("unlock_verifier")
        assert verifier.startswith("pbkdf2_sha256$") and "demo-password" not in verifier
    finally:
        stop_client(qtbot, client)


def test_drafts_survive_closing_the_window_and_restarting(qtbot, hq_server, tmp_path):
    client = start_client(qtbot, tmp_path, hq_server.url)
    window = client.window
    case_id = hq_server.intake("LKO", subject=SUBJECT)
    wait_ringing(qtbot, window, case_id)
    acknowledge_from_banner(qtbot, window, case_id)
    form = window.open_form("dispatch", case_id)
    assert form is not None
    with qtbot.waitSignal(form.draft_saved, timeout=5000):  # saved while typing (debounced)
        fill(qtbot, form, {"officer": "SI Draft Kumar"})
    fill(qtbot, form, {"team": "PRV 9"})  # typed just before the window closes: saved on close
    stop_client(qtbot, client)

    client = start_client(qtbot, tmp_path, hq_server.url)
    window = client.window
    try:
        form = window.open_form("dispatch", case_id)
        assert form is not None
        # (the lookup may already be done: showing a dialog can run the event loop)
        qtbot.waitUntil(lambda: form.draft_found is not None, timeout=5000)
        assert form.draft_found is True
        values = form.values()
        assert values["officer"] == "SI Draft Kumar"
        assert values["team"] == "PRV 9"
        assert "Draft restored" in form.draft_note.text()

        fill(qtbot, form, {"phone": "9000000555"})
        with qtbot.waitSignal(form.recorded, timeout=5000):
            qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
        with client.store.reader() as uow:
            assert uow.drafts.load(case_id, "dispatch") is None  # submitted: the draft is gone
    finally:
        stop_client(qtbot, client)
