"""Shift change at the lock screen against a real HQ on loopback: another operator of this district signs
in as themselves and acknowledges the ringing alert in the same step; HQ records their name. An operator
of another district is refused and never takes over the console's sync."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from hq import admin
from tests.e2e.kit import hq_events, start_client, stop_client
from tests.e2e.test_whole_flow import wait_ringing

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


def sign_in(qtbot: Any, window: Any, username: str, password: str, *, acknowledge: bool) -> None:
    window.lock_screen.username.setText(username)
    window.lock_screen.password.setText(password)
    button = window.lock_screen.ack_button if acknowledge else window.lock_screen.button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_next_operator_signs_in_and_acknowledges_in_one_step(qtbot, hq_server, tmp_path):
    db = hq_server.database()
    try:
        admin.create_user(db, "rekha", "rekha-password", "district_operator", "Operator Rekha", "LKO")
    finally:
        db.dispose()
    client = start_client(qtbot, tmp_path, hq_server.url)  # "demo" (Lucknow) is signed in
    window = client.window
    try:
        qtbot.waitUntil(lambda: str(getattr(window.status.status, "state", "")) == "online", timeout=15_000)
        window.lock()
        case_id = hq_server.intake("LKO")
        wait_ringing(qtbot, window, case_id)
        assert window.lock_screen.ack_button.isVisible()

        sign_in(qtbot, window, "demo-knp", "demo-password", acknowledge=True)  # Kanpur's operator
        qtbot.waitUntil(lambda: "not an operator of this console" in window.lock_screen.error.text(),
                        timeout=15_000)
        assert window.locked and window.ctx.session.user.username == "demo"  # sync stays with Lucknow

        sign_in(qtbot, window, "rekha", "not-her-password", acknowledge=True)
        qtbot.waitUntil(lambda: "Wrong user name or password" in window.lock_screen.error.text(), timeout=15_000)

        sign_in(qtbot, window, "rekha", "rekha-password", acknowledge=True)
        qtbot.waitUntil(lambda: not window.locked, timeout=15_000)
        qtbot.waitUntil(lambda: not window.alarm.is_ringing, timeout=10_000)
        assert window.ctx.author.display_name == "Operator Rekha"
        assert window.ctx.session.user.username == "rekha"

        def acknowledged_at_hq() -> list[dict[str, Any]]:
            return [e for e in hq_events(hq_server, case_id) if e["type"] == "acknowledged"]

        qtbot.waitUntil(lambda: len(acknowledged_at_hq()) == 1, timeout=15_000)
        assert acknowledged_at_hq()[0]["author_name"] == "Operator Rekha"
        # Her verifier is kept: she can come back in offline later.
        with client.store.reader() as uow:
            assert uow.meta.get("unlock_verifier:rekha").startswith("pbkdf2_sha256$")
    finally:
        stop_client(qtbot, client)
