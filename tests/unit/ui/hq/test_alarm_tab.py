"""At the HQ workstation (pytest-qt, offscreen, a real encrypted replica) a suicide-risk alarm that
starts while the operator is on another tab brings the Cases tab, where the ringing case is shown
and acknowledged, to the front; the Board, HQ's other view of the same alarm, is left in front; an
open form stays open with its text and its focus."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.kit import UiEnv, add_cases_from_hq, created_event, wait_idle
from tests.unit.ui.complaint_cases import hq_context, routed_complaint
from ui.hq.layout import BOARD_TAB, CASES_TAB, COMPLAINTS_TAB, POLICY_TAB, HQLayout

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


@pytest.fixture
def hq_window(qtbot: Any, ui_env: UiEnv) -> Iterator[Any]:
    """An HQ operator's window (no sound) over a replica holding one routed complaint, its
    Complaints tab loaded; ``win.complaint`` is that complaint's case id."""
    from ui.main_window import MainWindow

    complaint = routed_complaint(ui_env)
    ctx = hq_context(ui_env)
    win = MainWindow(ctx, with_sound=False)
    qtbot.addWidget(win)
    win.show()
    win.complaint = complaint
    assert isinstance(win.hq, HQLayout) and win.tabs is win.hq
    qtbot.waitUntil(lambda: win.hq.complaints.loaded and bool(win.hq.complaints.model.all_rows), timeout=5000)
    try:
        yield win
    finally:
        win.close()
        wait_idle(qtbot, ctx)
        ctx.taskman.shutdown()


def ring(qtbot: Any, env: UiEnv, win: Any) -> str:
    """A new suicide-risk alert from HQ reaches the replica; returns once the alarm rings."""
    alert = created_event(env.hq_clock, name="Ravi Kumar")
    add_cases_from_hq(env.store, [alert])
    win.ctx.taskman.cases_changed.emit(frozenset({alert.case_id}))
    qtbot.waitUntil(lambda: win.alarm.is_ringing, timeout=5000)
    return alert.case_id


def test_a_ringing_alarm_brings_cases_forward_from_complaints_and_keeps_the_form(
    qtbot: Any, ui_env: UiEnv, hq_window: Any
) -> None:
    """The operator is at work (a note form open with typed text, so the window does not open the
    ringing case itself): the Cases tab still comes forward, and the form is untouched."""
    win, hq = hq_window, hq_window.hq
    win.open_case(win.complaint)
    qtbot.waitUntil(lambda: win.detail.state is not None and win.detail.case_id == win.complaint, timeout=5000)
    form = win.open_form("note", win.complaint)
    assert form is not None and win.opener.any_open()
    officer = form.widgets["officer_name"]
    officer.setFocus()
    qtbot.keyClicks(officer, "DSP Meera Rawat")
    assert hq.open_complaints() is hq.complaints and hq.currentIndex() == COMPLAINTS_TAB
    assert not win.alarm.is_ringing  # a complaint never rings

    ring(qtbot, ui_env, win)

    assert hq.currentIndex() == CASES_TAB and win.banner.isVisible()
    assert form.isVisible() and officer.text() == "DSP Meera Rawat"
    assert form.focusWidget() is officer
    assert win.detail.case_id == win.complaint  # the operator's case stays in the detail pane
    win.close_forms()


def test_only_the_board_and_cases_stay_in_front(qtbot: Any, hq_window: Any) -> None:
    """Board and Cases show the alarm (the district's row, the case): left as they are. Every other
    tab, the escalation policies included, gives way to Cases."""
    hq = hq_window.hq
    for shown, expected in ((BOARD_TAB, BOARD_TAB), (CASES_TAB, CASES_TAB), (POLICY_TAB, CASES_TAB),
                            (COMPLAINTS_TAB, CASES_TAB)):  # fmt: skip
        hq.setCurrentIndex(shown)
        assert hq.currentIndex() == shown
        hq.show_alarm_target("a-case")
        assert hq.currentIndex() == expected, (shown, expected)


def test_open_as_a_case_from_hqs_complaints_shows_it_in_cases(qtbot: Any, hq_window: Any) -> None:
    """The Cases queue leaves complaints out at HQ; the complaint's pane reaches it in one click."""
    win, hq = hq_window, hq_window.hq
    hq.open_complaints()
    assert hq.complaints.open_case(win.complaint)
    button = hq.complaints.pane.open_case_button
    assert button.isVisible() and button.isEnabled()
    button.click()
    assert hq.currentIndex() == CASES_TAB
    qtbot.waitUntil(lambda: win.detail.state is not None and win.detail.case_id == win.complaint, timeout=5000)
