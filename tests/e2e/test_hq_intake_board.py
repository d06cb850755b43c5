"""The HQ workstation end to end with the real intake form: an HQ console (real client window, HQ
layout) takes an alert by phone through the manual intake form (Ctrl+I, fill, save, routed to
Lucknow); the HQ board shows Lucknow waiting with a ticking age; Lucknow's console acknowledges; the
board clears. Two real clients (store, sync engine, window) against HQ on loopback; nothing mocked."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from core.board import BoardStep
from tests.e2e.kit import fill, hq_events, start_client, stop_client
from tests.fixtures.hq import SEED_USERS
from ui.hq.model import BoardModel
from ui.operations.routing import ROUTING_META_KEY

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

FAST_BOARD = {"board_refresh_s": 1}


def _row(window: Any, code: str) -> Any:
    model = window.hq.board.model
    i = next((n for n in range(model.districts) if model.row_at(n).code == code), -1)
    return model.row_at(i) if i >= 0 else None


def _waiting(window: Any, code: str) -> str:
    return str(window.hq.board.model.index_of(code, BoardModel.COL_WAITING).data() or "")


def _meta(window: Any, key: str) -> str | None:
    with window.ctx.store.reader() as uow:
        return uow.meta.get(key)


def test_an_alert_taken_by_phone_waits_on_the_board_until_the_district_acknowledges(qtbot, hq_server, tmp_path):
    hq_console = start_client(qtbot, tmp_path / "hq", hq_server.url, username="hq", password=SEED_USERS["hq"],
                              settings=FAST_BOARD)
    district = start_client(qtbot, tmp_path / "lko", hq_server.url)
    try:
        window, lko = hq_console.window, district.window
        assert window.hq is not None and lko.hq is None
        qtbot.waitUntil(lambda: _row(window, "LKO") is not None, timeout=15_000)
        assert _row(window, "LKO").district.oldest_unack_at is None
        qtbot.waitUntil(lambda: bool(_meta(window, ROUTING_META_KEY)), timeout=10_000)  # districts to route to

        # Ctrl+I opens the manual intake form
        action = window.form_actions["intake"]
        assert action.shortcut() == QKeySequence("Ctrl+I")
        window.show()
        window.activateWindow()
        qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=5000)
        qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: ("new-case", "intake") in window.forms, timeout=5000)
        form = window.forms[("new-case", "intake")]
        qtbot.waitUntil(lambda: form.draft_found is not None and form.places_loaded, timeout=10_000)
        fill(qtbot, form, {"source": "facebook", "upstream_ref": "META-BOARD-0013", "subject.name": "Caller Alert",
                           "subject.phones": "9000000913", "location.text": "Near Charbagh station"})  # fmt: skip
        fill(qtbot, form, {"district": "Lucknow"})
        made: list[Any] = []
        form.recorded.connect(made.append)
        qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(made), timeout=10_000)
        case_id = str(made[0].case_id)

        # HQ holds it, routed to Lucknow; the board shows Lucknow waiting, its age ticking, on top
        qtbot.waitUntil(lambda: [e["type"] for e in hq_events(hq_server, case_id)] == ["created", "assigned"],
                        timeout=30_000)
        qtbot.waitUntil(lambda: _row(window, "LKO").district.oldest_unack_at is not None, timeout=15_000)
        row = _row(window, "LKO")
        assert row.district.by_step.get(str(BoardStep.UNACKNOWLEDGED)) == 1
        assert window.hq.board.model.row_at(0).code == "LKO"
        first = _waiting(window, "LKO")
        assert first
        qtbot.waitUntil(lambda: _waiting(window, "LKO") not in ("", first), timeout=5000)
        assert _row(window, "KNP").district.oldest_unack_at is None  # routed to one district only

        # Lucknow's console rings and acknowledges; the board clears
        qtbot.waitUntil(lambda: any(r.case_id == case_id for r in lko.alarm.ringing), timeout=20_000)
        lko.acknowledge(case_id)
        qtbot.waitUntil(lambda: _row(window, "LKO").district.oldest_unack_at is None, timeout=20_000)
        row = _row(window, "LKO")
        assert _waiting(window, "LKO") == ""
        assert str(BoardStep.UNACKNOWLEDGED) not in row.district.by_step
        assert row.district.by_step.get(str(BoardStep.ACKNOWLEDGED)) == 1
    finally:
        stop_client(qtbot, district)
        stop_client(qtbot, hq_console)
