"""The operator's whole flow in the real client against HQ on loopback (uvicorn), online and offline.

A case enters at HQ's intake; the client's sync engine pulls it; the alarm controller rings; the
operator acknowledges from the banner and records dispatch, reached, outcome and a counselling note
through the forms; HQ ends up holding every event. Offline, the same flow completes locally and
reaches HQ when the link returns. No part is mocked.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.e2e.kit import fill, hq_events, start_client, stop_client

# The offscreen platform plugin warns that it cannot raise windows or propagate size hints.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

SUBJECT = {
    "name": "Meera Ziptest (synthetic)",
    "phones": ["9000000777"],
    "post_text": "अब और नहीं। Goodbye.",
    "language": "hi",
}
FLOW = (
    ("dispatch", {"officer": "SI Rakesh Yadav", "phone": "9000000555", "team": "PRV 112-07"}),
    ("reached", {"place": "Gomti bridge, east end"}),
    ("outcome", {"outcome": "safe_counselled", "detail": "Talked down; family called."}),
    (
        "note",
        {
            "officer_name": "Anita Sharma",
            "officer_rank": "DSP",
            "text": "Counselled the person and mother; no immediate risk.",
            "family_contacted": True,
            "referral": "Tele-MANAS 14416",
        },
    ),
)
RECORDED = {"acknowledged", "dispatched", "reached", "outcome_recorded", "counselling_note"}


def wait_ringing(qtbot: Any, window: Any, case_id: str, timeout: int = 15_000) -> None:
    qtbot.waitUntil(lambda: any(r.case_id == case_id for r in window.alarm.ringing), timeout=timeout)


def acknowledge_from_banner(qtbot: Any, window: Any, case_id: str) -> None:
    assert window.banner.isVisible() and window.banner.current_case_id == case_id
    qtbot.mouseClick(window.banner.ack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.alarm.is_ringing, timeout=5000)


def submit(qtbot: Any, window: Any, case_id: str, form_id: str, values: dict[str, Any]) -> None:
    window.open_case(case_id)
    qtbot.waitUntil(lambda: window.detail.state is not None and window.detail.case_id == case_id, timeout=5000)
    form = window.open_form(form_id, case_id)
    assert form is not None
    fill(qtbot, form, values)
    with qtbot.waitSignal(form.recorded, timeout=5000):
        qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    assert not form.error.isVisible(), form.error.text()


def walk_flow(qtbot: Any, window: Any, case_id: str) -> None:
    acknowledge_from_banner(qtbot, window, case_id)
    for form_id, values in FLOW:
        submit(qtbot, window, case_id, form_id, values)
    qtbot.waitUntil(lambda: window.detail.state is not None and window.detail.state.outcome == "safe_counselled")


def test_case_from_hq_rings_and_whole_flow_reaches_hq(qtbot, hq_server, tmp_path):
    client = start_client(qtbot, tmp_path, hq_server.url)
    window = client.window
    try:
        case_id = hq_server.intake("LKO", subject=SUBJECT)
        wait_ringing(qtbot, window, case_id)
        assert "Meera Ziptest" in window.banner.details.text()
        walk_flow(qtbot, window, case_id)

        qtbot.waitUntil(lambda: {e["type"] for e in hq_events(hq_server, case_id)} >= RECORDED, timeout=15_000)
        # "syncing" while the pushed events come back on the feed and are applied; then "online"
        qtbot.waitUntil(lambda: getattr(window.status.status, "pending", 1) == 0
                        and str(window.status.status.state) == "online", timeout=10_000)
        # The timeline shows every entry synced once HQ has accepted it (the push result refreshes the case).
        qtbot.waitUntil(lambda: all(str(s.sync_state) != "pending" for s in window.detail.history), timeout=5000)
        assert window.detail.timeline.item(0, 4).text() == "synced"
        note = next(e for e in hq_events(hq_server, case_id) if e["type"] == "counselling_note")
        assert note["payload"]["referral"] == "Tele-MANAS 14416"
        assert note["payload"]["family_contacted"] is True
    finally:
        stop_client(qtbot, client)


def test_same_flow_offline_then_syncs_when_hq_returns(qtbot, hq_server, tmp_path):
    client = start_client(qtbot, tmp_path, hq_server.url)
    window = client.window
    try:
        case_id = hq_server.intake("LKO", subject=SUBJECT)
        wait_ringing(qtbot, window, case_id)
        hq_server.stop()
        window.sync_now()
        qtbot.waitUntil(lambda: str(getattr(window.status.status, "state", "")) == "offline", timeout=15_000)
        assert "Offline" in window.status.connection.text()

        walk_flow(qtbot, window, case_id)  # every action works with HQ gone
        qtbot.waitUntil(lambda: getattr(window.status.status, "pending", 0) == 5, timeout=10_000)
        assert all(str(s.sync_state) == "pending" for s in window.detail.history if s.event.author_id != "hq"
                   and s.event.type.value in RECORDED)

        hq_server.start()  # same port: the link returns
        qtbot.waitUntil(lambda: {e["type"] for e in _events_or_empty(hq_server, case_id)} >= RECORDED, timeout=20_000)
        qtbot.waitUntil(lambda: getattr(window.status.status, "pending", 1) == 0, timeout=10_000)
        qtbot.waitUntil(lambda: str(window.status.status.state) == "online", timeout=10_000)
    finally:
        stop_client(qtbot, client)


def _events_or_empty(hq: Any, case_id: str) -> list[dict[str, Any]]:
    try:
        return hq_events(hq, case_id)
    except Exception:
        return []


def test_restart_with_unacknowledged_case_resumes_alarm_without_hq(qtbot, hq_server, tmp_path):
    client = start_client(qtbot, tmp_path, hq_server.url)
    case_id = hq_server.intake("LKO", subject=SUBJECT)
    wait_ringing(qtbot, client.window, case_id)
    stop_client(qtbot, client)
    hq_server.stop()  # the restarted client must ring from its own store, before reaching HQ

    client = start_client(qtbot, tmp_path, hq_server.url)  # restores the saved login from the keyring
    try:
        wait_ringing(qtbot, client.window, case_id, timeout=5000)
        assert client.window.banner.isVisible()
        assert "Meera Ziptest" in client.window.banner.details.text()
    finally:
        stop_client(qtbot, client)
