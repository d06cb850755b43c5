"""Police stations and districts by name, from a real HQ over loopback, kept for an offline restart."""

from __future__ import annotations

import pytest

from tests.e2e.kit import start_client, stop_client
from tests.e2e.test_whole_flow import wait_ringing

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


def test_queue_banner_and_detail_name_the_police_station(qtbot, hq_server, tmp_path):
    client = start_client(qtbot, tmp_path, hq_server.url)
    window = client.window
    try:
        case_id = hq_server.intake("LKO")
        wait_ringing(qtbot, window, case_id)
        model = window.queue.model
        qtbot.waitUntil(lambda: window.ctx.places.known("LKO"), timeout=10_000)
        # ringing comes from the alarm's own query; the queue's page may be a moment behind it
        qtbot.waitUntil(lambda: model.case_row(model.row_of(case_id)) is not None, timeout=10_000)
        code = model.case_row(model.row_of(case_id)).police_station
        assert code in ("HAZ", "GOM", "ALM")
        name = {"HAZ": "Hazratganj", "GOM": "Gomti Nagar", "ALM": "Alambagh"}[code]
        qtbot.waitUntil(lambda: model.index(model.row_of(case_id), model.COL_STATION).data() == name, timeout=5000)
        # the banner repaints with the names on its own next update: wait for it rather than race it
        qtbot.waitUntil(lambda: f"Police station: {name}" in window.banner.details.text(), timeout=5000)
        window.open_case(case_id)
        qtbot.waitUntil(lambda: f"Lucknow / {name}" in window.detail.meta.text(), timeout=5000)
    finally:
        stop_client(qtbot, client)
    # Restarted with HQ gone: the names come from the encrypted store.
    hq_server.stop()
    client = start_client(qtbot, tmp_path, hq_server.url)
    try:
        qtbot.waitUntil(lambda: client.window.ctx.places.name("GOM") == "Gomti Nagar", timeout=10_000)
    finally:
        stop_client(qtbot, client)
