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


def _lko_console(window: Any, device_id: str) -> Any:
    row = _lko(window)
    return next((c for c in row.district.consoles if c.device_id == device_id), None) if row else None


def test_a_test_alarm_confirmed_at_a_console_shows_on_the_board_and_outlives_a_software_check(
    qtbot, hq_server, tmp_path
):
    from datetime import UTC, datetime

    from ui.alarm.audio_check import AudioCheck, CheckReason

    hq_console = start_client(qtbot, tmp_path / "hq", hq_server.url, username="hq", password=SEED_USERS["hq"],
                              settings=FAST_BOARD)
    district = start_client(qtbot, tmp_path / "lko", hq_server.url, settings={"heartbeat_interval_s": 1})
    device = district.store.device_id
    try:
        board_window, lko_window = hq_console.window, district.window
        qtbot.waitUntil(lambda: _lko_console(board_window, device) is not None, timeout=15_000)
        assert _lko_console(board_window, device).test_heard is None  # no test alarm answered yet

        lko_window.health.test_confirmed(True, "Speakers")  # "Yes, we heard it" at the district
        qtbot.waitUntil(lambda: _lko_console(board_window, device).test_heard is True, timeout=15_000)
        answered = _lko_console(board_window, device)
        name = lko_window.ctx.author.display_name
        assert answered.test_confirmed_by == name
        assert answered.test_confirmed_at is not None
        assert abs((datetime.now(UTC) - answered.test_confirmed_at).total_seconds()) < 60

        # a later software check replaces the verdict HQ sees, not the human's answer
        software = AudioCheck(True, "alarm ready on audio output 'Speakers'", datetime.now(UTC), device="Speakers",
                              reason=CheckReason.READY)
        lko_window.health.audio_checked(software)
        qtbot.waitUntil(lambda: (_lko_console(board_window, device).audio_detail or "").startswith("alarm ready"),
                        timeout=15_000)
        now = _lko_console(board_window, device)
        assert (now.test_heard, now.test_confirmed_by, now.test_confirmed_at) == (
            True, name, answered.test_confirmed_at)

        # the consoles of the district, one step from the board, say it with when and by whom
        dialog = board_window.hq.board.open_consoles("LKO")
        assert dialog is not None
        row = next(r for r in range(dialog.table.rowCount())
                   if _lko(board_window).district.consoles[r].device_id == device)
        cell = dialog.table.item(row, 5).text()
        assert cell.startswith("heard ") and name in cell, cell
        dialog.close()
    finally:
        stop_client(qtbot, district)
        stop_client(qtbot, hq_console)
