"""The Cases queue where complaints have their own tab (pytest-qt, offscreen, a real encrypted
replica): it lists the suicide alerts (a complaint raised to suicide risk among them) and leaves
the complaints out by default ("All but complaints"), through its kind filter; "Complaint" and
"All kinds" still list them. A tip desk, which has no Complaints tab, keeps "All kinds"."""

from __future__ import annotations

from typing import Any

import pytest

from core.events import EventType, new_event
from tests.e2e.kit import UiEnv, add_cases_from_hq, created_event, make_context, wait_idle
from tests.unit.ui.complaint_cases import HQ, routed_complaint
from ui.queue_view import ALL, ALL_BUT_COMPLAINTS, QueueView

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


def listed(queue: QueueView) -> set[str]:
    return {queue.model.case_row(i).case_id for i in range(queue.model.rowCount())}


def choose_kind(qtbot: Any, queue: QueueView, data: str, expected: set[str]) -> None:
    queue.kind_filter.setCurrentIndex(queue.kind_filter.findData(data))
    qtbot.waitUntil(lambda: listed(queue) == expected, timeout=5000)


def test_a_districts_cases_queue_leaves_complaints_to_their_tab(qtbot: Any, ui_env: UiEnv) -> None:
    from ui.main_window import MainWindow

    complaint = routed_complaint(ui_env)
    raised = routed_complaint(ui_env)
    add_cases_from_hq(ui_env.store, [new_event(case_id=raised, type=EventType.RISK_RAISED, author=HQ,
                                               payload={"reason": "threat to life"}, device_id="hq",
                                               hlc=ui_env.hq_clock.now())])  # fmt: skip
    alert = created_event(ui_env.hq_clock, name="Ravi Kumar")
    add_cases_from_hq(ui_env.store, [alert])
    ctx = make_context(ui_env)
    win = MainWindow(ctx, with_sound=False)
    qtbot.addWidget(win)
    queue = win.queue
    # set before the first read: the queue is not read once with the complaints, then again
    assert queue.model.queue_filter.kinds is not None and "complaint" not in queue.model.queue_filter.kinds
    win.show()
    try:
        assert queue.kind_filter.currentData() == ALL_BUT_COMPLAINTS
        qtbot.waitUntil(lambda: listed(queue) == {alert.case_id, raised}, timeout=5000)
        qtbot.waitUntil(lambda: win.alarm.is_ringing, timeout=5000)  # the raised complaint rings: listed
        choose_kind(qtbot, queue, "complaint", {complaint})
        choose_kind(qtbot, queue, ALL, {complaint, raised, alert.case_id})
        choose_kind(qtbot, queue, ALL_BUT_COMPLAINTS, {raised, alert.case_id})
    finally:
        win.close()
        wait_idle(qtbot, ctx)
        ctx.taskman.shutdown()


def test_a_tip_desk_keeps_every_kind(qtbot: Any, ui_env: UiEnv) -> None:
    from ui.main_window import MainWindow

    ctx = make_context(ui_env)
    ctx.user.switch({"id": "u-sp", "username": "sp-lko", "display_name": "SP Lucknow", "role": "sp_office"})
    win = MainWindow(ctx, with_sound=False)
    qtbot.addWidget(win)
    try:
        assert win.tabs.complaints is None
        assert win.queue.kind_filter.findData(ALL_BUT_COMPLAINTS) < 0
        assert win.queue.kind_filter.currentData() == ALL and win.queue.model.queue_filter.kinds is None
    finally:
        win.close()
        wait_idle(qtbot, ctx)
        ctx.taskman.shutdown()
