"""The case rules a night shift hits, in the main window against a real SQLCipher store (no HQ):
raising a case to suicide-risk makes it ring, a counselling note's follow-up date is a due
follow-up that can be completed and is found by the queue's "Follow-ups due" filter, and an HQ
console is quiet once HQ has acknowledged while the district's console keeps ringing."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt

from core.events import EventType, Tier, iso
from tests.e2e.kit import add_cases_from_hq, created_event, fill, make_context, wait_idle
from ui.main_window import MainWindow
from ui.queue_view import FOLLOW_UPS_DUE, follow_ups_due_by

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")


def _window(qtbot: Any, ui_env: Any, kind: str, tier: Tier = Tier.DISTRICT) -> Any:
    ev = created_event(ui_env.hq_clock, name="Sunil Nightshift", kind=kind)
    add_cases_from_hq(ui_env.store, [ev])
    ctx = make_context(ui_env)
    ctx.user.author = dataclasses.replace(ctx.author, tier=tier)
    win = MainWindow(ctx, with_sound=False)
    qtbot.addWidget(win)
    win.show()
    win.case_id = ev.case_id
    win.open_case(ev.case_id)
    qtbot.waitUntil(lambda: win.detail.state is not None, timeout=5000)
    return win


def _close(qtbot: Any, win: Any) -> None:
    win.close()
    wait_idle(qtbot, win.ctx)
    win.ctx.taskman.shutdown()


def _submit(qtbot: Any, form: Any) -> None:
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)


def test_a_complaint_raised_to_suicide_risk_rings(qtbot, ui_env):
    win = _window(qtbot, ui_env, "complaint")
    try:
        wait_idle(qtbot, win.ctx)
        assert not win.alarm.is_ringing
        button = win.detail.buttons["raise_risk"]
        assert button.isEnabled()
        form = win.open_form("raise_risk")
        _submit(qtbot, form)
        assert form.error.isVisible() and "Why" in form.error.text()  # a reason is required
        fill(qtbot, form, {"reason": "The complaint's text says goodbye to the family"})
        _submit(qtbot, form)
        qtbot.waitUntil(lambda: win.alarm.is_ringing, timeout=5000)
        assert [r.case_id for r in win.alarm.ringing] == [win.case_id]
        qtbot.waitUntil(lambda: not win.detail.buttons["raise_risk"].isEnabled(), timeout=5000)
        assert win.detail.state.risk_raised_reason == "The complaint's text says goodbye to the family"
        win.acknowledge(win.case_id)
        qtbot.waitUntil(lambda: not win.alarm.is_ringing, timeout=5000)
    finally:
        _close(qtbot, win)


def test_a_notes_follow_up_date_is_due_listed_and_completed(qtbot, ui_env):
    win = _window(qtbot, ui_env, "tip")
    try:
        assert not win.detail.buttons["follow_up_done"].isEnabled()
        due = datetime.now(UTC) - timedelta(hours=1)
        payload = {
            "officer_name": "DSP Rao",
            "officer_rank": "DSP",
            "text": "Counselled with the mother present; call again tomorrow.",
            "follow_up_date": iso(due),
        }
        win.record(win.case_id, EventType.COUNSELLING_NOTE, payload)
        qtbot.waitUntil(lambda: win.detail.buttons["follow_up_done"].isEnabled(), timeout=5000)

        queue = win.queue
        queue.status_filter.setCurrentIndex(queue.status_filter.findData(FOLLOW_UPS_DUE))
        assert queue.model.queue_filter.follow_ups_due_by == follow_ups_due_by()
        qtbot.waitUntil(lambda: queue.model.rowCount() == 1, timeout=5000)
        assert queue.model.case_row(0).case_id == win.case_id

        form = win.open_form("follow_up_done")
        choices = [form.widgets["follow_up_id"].itemData(i) for i in range(form.widgets["follow_up_id"].count())]
        assert win.detail.state.open_follow_ups()[0].id in choices
        fill(qtbot, form, {"follow_up_id": win.detail.state.open_follow_ups()[0].id, "note": "He is well."})
        _submit(qtbot, form)
        qtbot.waitUntil(lambda: not win.detail.buttons["follow_up_done"].isEnabled(), timeout=5000)
        queue.refresh()
        qtbot.waitUntil(lambda: queue.model.rowCount() == 0, timeout=5000)
    finally:
        _close(qtbot, win)


def test_follow_ups_due_by_is_the_end_of_the_local_day() -> None:
    morning = datetime(2026, 11, 29, 9, 0).astimezone()
    end = datetime.fromisoformat(follow_ups_due_by(morning)).astimezone(morning.tzinfo)
    assert (end.date(), end.hour, end.minute) == (morning.date(), 23, 59)


def test_an_hq_console_is_quiet_once_hq_acknowledges(qtbot, ui_env):
    win = _window(qtbot, ui_env, "suicide_risk", tier=Tier.HQ)
    try:
        qtbot.waitUntil(lambda: win.alarm.is_ringing, timeout=5000)
        win.acknowledge(win.case_id)
        qtbot.waitUntil(lambda: not win.alarm.is_ringing, timeout=5000)
        with win.ctx.store.reader() as uow:
            row = uow.cases.get(win.case_id)
        assert row is not None and row.hq_acknowledged_at is not None
        assert row.needs_alarm and row.status == "new"  # the district's consoles still ring
        qtbot.waitUntil(lambda: not win.detail.buttons["acknowledge"].isEnabled(), timeout=5000)
    finally:
        _close(qtbot, win)


def test_a_refused_acknowledgement_silences_the_console_and_the_window_says_why(qtbot, ui_env):
    from core.store import service

    win = _window(qtbot, ui_env, "suicide_risk")
    try:
        qtbot.waitUntil(lambda: win.alarm.is_ringing, timeout=5000)
        ctx = win.ctx
        ack = service.record(
            ctx.store, clock=ctx.clock, author=ctx.author, case_id=win.case_id, etype=EventType.ACKNOWLEDGED, payload={}
        )
        with ctx.store.unit_of_work() as uow:  # what the sync engine does with HQ's refusal
            uow.outbox.mark_rejected(ack.id, "HQ has no such case", "unknown_case")
            uow.commit()
        ctx.taskman.cases_changed.emit(frozenset({win.case_id}))
        qtbot.waitUntil(lambda: "HQ has no such case" in win.status.message.text(), timeout=5000)
        assert "Alarm silenced on this console" in win.status.message.text()
        assert not win.alarm.is_ringing
        assert [r.case_id for r in win.alarm.refusals] == [win.case_id]
        assert "Sunil" not in win.status.message.text()  # no personal data (the console may be locked)
    finally:
        _close(qtbot, win)
