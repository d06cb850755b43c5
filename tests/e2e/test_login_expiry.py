"""A login that HQ ends mid-shift: the client keeps working, asks for the password, and sends what waited."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from hq import admin
from tests.e2e.kit import hq_events, start_client, stop_client
from tests.e2e.test_whole_flow import SUBJECT, acknowledge_from_banner, wait_ringing
from tests.fixtures.hq import SEED_USERS

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


def test_login_required_asks_again_and_pending_work_is_sent(qtbot, hq_server, tmp_path):
    client = start_client(qtbot, tmp_path, hq_server.url)
    window = client.window
    db = hq_server.database()
    try:
        case_id = hq_server.intake("LKO", subject=SUBJECT)
        wait_ringing(qtbot, window, case_id)
        admin.set_active(db, "demo", False)  # HQ ends the operator's sessions
        acknowledge_from_banner(qtbot, window, case_id)  # still works: recorded locally
        window.sync_now()
        qtbot.waitUntil(lambda: getattr(window, "_login_dialog", None) is not None, timeout=20_000)
        dialog = window._login_dialog
        assert dialog.isVisible() and "Your login has expired" in dialog.intro.text()
        assert dialog.username.text() == "demo" and dialog.hq_url.text() == hq_server.url  # only the password
        qtbot.waitUntil(lambda: "Session expired" in window.status.connection.text(), timeout=10_000)
        assert "log in again" in window.status.error.text()  # what happened and what to do

        admin.set_active(db, "demo", True)
        qtbot.keyClicks(dialog.password, SEED_USERS["demo"])
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "acknowledged" in {e["type"] for e in hq_events(hq_server, case_id)}, timeout=20_000)
        qtbot.waitUntil(lambda: getattr(window.status.status, "pending", 1) == 0, timeout=10_000)
    finally:
        db.dispose()
        stop_client(qtbot, client)
