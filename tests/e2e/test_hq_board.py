"""The HQ board, end to end: an alert taken in at HQ shows its district waiting on the HQ console's
board with a ticking age; the district's console acknowledges; the board clears. Two real clients
(store, sync engine, window) against HQ on loopback (uvicorn); nothing mocked."""

from __future__ import annotations

from typing import Any

import pytest

from core.board import BoardStep, Severity
from tests.e2e.kit import start_client, stop_client
from tests.fixtures.hq import SEED_USERS
from ui.hq.model import BoardModel

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

FAST_BOARD = {"board_refresh_s": 1}


def _lko(window: Any) -> Any:
    model = window.hq.board.model
    i = next((n for n in range(model.districts) if model.row_at(n).code == "LKO"), -1)
    return model.row_at(i) if i >= 0 else None


def _waiting_text(window: Any) -> str:
    model = window.hq.board.model
    return str(model.index_of("LKO", BoardModel.COL_WAITING).data() or "")


def test_intake_shows_the_district_waiting_and_its_acknowledgement_clears_the_board(qtbot, hq_server, tmp_path):
    hq_console = start_client(qtbot, tmp_path / "hq", hq_server.url, username="hq", password=SEED_USERS["hq"],
                              settings=FAST_BOARD)
    district = start_client(qtbot, tmp_path / "lko", hq_server.url)
    try:
        board_window, lko_window = hq_console.window, district.window
        assert board_window.hq is not None and board_window.hq.currentWidget() is board_window.hq.board
        assert lko_window.hq is None  # a district console keeps its own layout
        qtbot.waitUntil(lambda: _lko(board_window) is not None, timeout=15_000)
        assert _lko(board_window).district.name == "Lucknow"
        assert _lko(board_window).district.oldest_unack_at is None

        case_id = hq_server.intake("LKO")  # an alert taken in at HQ

        qtbot.waitUntil(lambda: _lko(board_window).district.oldest_unack_at is not None, timeout=15_000)
        row = _lko(board_window)
        assert row.district.by_step.get(str(BoardStep.UNACKNOWLEDGED)) == 1
        assert row.severity in (Severity.WAITING, Severity.CRITICAL)
        assert board_window.hq.board.model.row_at(0).code == "LKO"  # the only district waiting: on top
        first = _waiting_text(board_window)
        assert first  # its age, as a clock
        qtbot.waitUntil(lambda: _waiting_text(board_window) not in ("", first), timeout=5000)  # ticking

        qtbot.waitUntil(lambda: any(r.case_id == case_id for r in lko_window.alarm.ringing), timeout=15_000)
        lko_window.acknowledge(case_id)  # the district console acknowledges

        qtbot.waitUntil(lambda: _lko(board_window).district.oldest_unack_at is None, timeout=20_000)
        row = _lko(board_window)
        assert _waiting_text(board_window) == ""
        assert str(BoardStep.UNACKNOWLEDGED) not in row.district.by_step
        assert row.district.by_step.get(str(BoardStep.ACKNOWLEDGED)) == 1
        assert row.severity not in (Severity.CRITICAL, Severity.OVERDUE, Severity.WAITING)
        # one step from the district to its cases: the HQ console's queue, filtered to Lucknow
        board_window.hq.board.district_opened.emit("LKO")
        assert board_window.hq.currentIndex() == 1
        assert board_window.queue.model.queue_filter.district == "LKO"
    finally:
        stop_client(qtbot, district)
        stop_client(qtbot, hq_console)
