"""A district's console (pytest-qt, offscreen, a real encrypted replica): its window has the tabs
Cases (the default) and Complaints; the Complaints tab's title carries the soft breach signal; the
composer (HQ's) is hidden with a line saying who replies; "Open as a case" shows the complaint in the
Cases tab; and a suicide-risk alert that starts ringing while the operator reads the complaints
brings the Cases tab to the front."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from core.complaints import complaint_payload
from core.events import Author, EventType, ItemKind, Source, new_event, utcnow
from tests.e2e.kit import UiEnv, add_cases_from_hq, created_event, make_context, wait_idle
from ui.complaints.model import ComplaintModel
from ui.district_layout import CASES_TAB, COMPLAINTS_TAB, DistrictLayout

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

HQ = Author("hq-op", "HQ operator")


def _routed_complaint(env: UiEnv, minutes_old: int) -> str:
    """A complaint HQ took ``minutes_old`` minutes after its post and routed to the console's district."""
    case_id = str(uuid.uuid4())
    now = utcnow()
    payload = complaint_payload(platform=Source.X, item=ItemKind.MENTION, platform_id=uuid.uuid4().hex,
                                posted_at=now - timedelta(minutes=minutes_old), author_handle="citizen42",
                                text="@police my phone was snatched near the bus stand", received_at=now)  # fmt: skip
    made = new_event(case_id=case_id, type=EventType.CREATED, payload=payload, author=HQ, device_id="hq",
                     hlc=env.hq_clock.now(), wall_time=now)  # fmt: skip
    routed = new_event(case_id=case_id, type=EventType.ASSIGNED, payload={"district": "Lucknow"}, author=HQ,
                       device_id="hq", hlc=env.hq_clock.now(), wall_time=now)  # fmt: skip
    add_cases_from_hq(env.store, [made, routed])
    return case_id


@pytest.fixture
def window(qtbot: Any, ui_env: UiEnv) -> Iterator[Any]:
    from ui.main_window import MainWindow

    ui_env.complaint = _routed_complaint(ui_env, 130)  # type: ignore[attr-defined]
    ctx = make_context(ui_env)
    win = MainWindow(ctx, with_sound=False)
    qtbot.addWidget(win)
    win.show()
    tabs = win.tabs
    assert isinstance(tabs, DistrictLayout) and win.hq is None and tabs.complaints is not None
    qtbot.waitUntil(lambda: tabs.complaints.loaded and bool(tabs.complaints.model.all_rows), timeout=5000)
    try:
        yield win
    finally:
        win.close()
        wait_idle(qtbot, ctx)
        ctx.taskman.shutdown()


def test_the_district_console_shows_its_complaints_in_a_second_tab(qtbot: Any, ui_env: UiEnv, window: Any) -> None:
    tabs: DistrictLayout = window.tabs
    view = tabs.complaints
    assert view is not None
    assert tabs.currentIndex() == CASES_TAB and tabs.tabText(CASES_TAB) == "Cases"
    qtbot.waitUntil(lambda: tabs.tabText(COMPLAINTS_TAB) == "Complaints (1 breached)", timeout=5000)
    assert tabs.open_complaints() is view
    assert view.signal.isVisible() and "past the deadline" in view.signal.text()
    assert not view.district.isVisible() and view.table.isColumnHidden(ComplaintModel.COL_DISTRICT)  # its own only
    complaint = ui_env.complaint  # type: ignore[attr-defined]
    assert view.open_case(complaint)
    pane = view.pane
    assert not pane.composer.isVisible() and pane.reply_note.isVisible()  # HQ replies; said, not offered
    assert not pane.approve_button.isVisible()
    assert pane.open_case_button.isVisible() and pane.open_case_button.isEnabled()

    pane.open_case_button.click()
    assert tabs.currentIndex() == CASES_TAB
    qtbot.waitUntil(lambda: window.detail.state is not None and window.detail.case_id == complaint, timeout=5000)
    assert not window.alarm.is_ringing  # a complaint never rings the siren


def test_a_ringing_alert_brings_cases_forward_from_the_complaints(qtbot: Any, ui_env: UiEnv, window: Any) -> None:
    """Even while the operator works (a note form open on the complaint, so the detail pane keeps it and
    the window does not open the ringing case), the alarm brings the Cases tab forward."""
    tabs: DistrictLayout = window.tabs
    complaint = ui_env.complaint  # type: ignore[attr-defined]
    window.open_case(complaint)
    qtbot.waitUntil(lambda: window.detail.state is not None, timeout=5000)
    assert window.open_form("note", complaint) is not None and window.opener.any_open()
    tabs.open_complaints()
    assert tabs.currentIndex() == COMPLAINTS_TAB and not window.alarm.is_ringing
    alert = created_event(ui_env.hq_clock, name="Ravi Kumar")
    add_cases_from_hq(ui_env.store, [alert])
    window.ctx.taskman.cases_changed.emit(frozenset({alert.case_id}))
    qtbot.waitUntil(lambda: window.alarm.is_ringing, timeout=5000)
    assert tabs.currentIndex() == CASES_TAB
    assert window.banner.isVisible() and window.detail.case_id == complaint  # the operator's work stays
    window.close_forms()


def test_the_complaints_wait_for_the_alarm_queue_unless_their_tab_is_opened(qtbot: Any, ui_env: UiEnv) -> None:
    import time

    from ui.complaints.view import BESIDE_ALARMS_START_MS
    from ui.main_window import MainWindow

    _routed_complaint(ui_env, 30)
    add_cases_from_hq(ui_env.store, [created_event(ui_env.hq_clock, name="Sunita Devi", kind="tip")])
    ctx = make_context(ui_env)
    t0 = time.monotonic()
    win = MainWindow(ctx, with_sound=False)
    qtbot.addWidget(win)
    try:
        win.show()
        view = win.tabs.complaints
        assert view is not None
        qtbot.waitUntil(lambda: win.queue.model.rowCount() > 0, timeout=5000)  # the alarm queue first
        qtbot.wait(300)
        assert not view.loaded and not view.model.all_rows  # nothing read for the complaints yet
        win.tabs.open_complaints()  # the operator opens the tab: read at once, not when the delay ends
        qtbot.waitUntil(lambda: view.loaded and bool(view.model.all_rows), timeout=5000)
        assert time.monotonic() - t0 < BESIDE_ALARMS_START_MS / 1000
    finally:
        win.close()
        wait_idle(qtbot, ctx)
        ctx.taskman.shutdown()
