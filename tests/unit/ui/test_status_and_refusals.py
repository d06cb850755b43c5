"""Status bar and HQ refusals: what the operator sees when HQ refuses an entry, offline, and clock trouble."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from core.events import EventType
from core.store import service
from sync import ConnectionState, SyncStatus
from tests.e2e.kit import add_cases_from_hq, created_event, make_context, wait_idle
from tests.unit.ui.conftest import main_window
from ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

REASON = "the case is not in your district"


@pytest.fixture
def window(qtbot, ui_env) -> Iterator[Any]:
    with main_window(qtbot, ui_env, "Refusal Case") as win:
        yield win


def test_refused_entry_is_listed_with_hqs_reason(qtbot, window):
    ctx = window.ctx
    ack = service.record(ctx.store, clock=ctx.clock, author=ctx.author, case_id=window.case_id,
                         etype=EventType.ACKNOWLEDGED, payload={})
    with ctx.store.unit_of_work() as uow:  # what the sync engine does with HQ's rejection
        uow.outbox.mark_rejected(ack.id, REASON, "forbidden")
        uow.commit()
    ctx.taskman.cases_changed.emit(frozenset({window.case_id}))
    ctx.bridge.on_status(SyncStatus(state=ConnectionState.ONLINE, rejected=1, rejected_reasons=[(ack.id, REASON)],
                                    last_sync_at="2026-11-22T13:00:00.000Z"))
    qtbot.waitUntil(lambda: window.status.refused.isVisible(), timeout=5000)
    assert window.status.refused.text() == "1 refused by HQ…"
    assert "Online" in window.status.connection.text()
    qtbot.waitUntil(lambda: window.queue.model.rowCount() == 1, timeout=5000)
    sync_col = window.queue.model.COL_SYNC
    qtbot.waitUntil(lambda: window.queue.model.index(0, sync_col).data() == "refused (1)", timeout=5000)

    window.open_case(window.case_id)
    qtbot.waitUntil(lambda: window.detail.timeline.rowCount() == 2, timeout=5000)
    assert window.detail.timeline.item(1, 4).text() == f"refused: {REASON}"
    assert window.detail.state.acknowledged_at is None  # a refused entry is left out of the case

    qtbot.mouseClick(window.status.refused, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(window, "refused_dialog", None) is not None, timeout=5000)
    dialog = window.refused_dialog
    assert dialog.list.count() == 1 and REASON in dialog.list.item(0).text()
    dialog.close()


def test_entry_held_for_review_at_hq_is_listed_with_its_note(qtbot, window):
    ctx = window.ctx
    ack = service.record(ctx.store, clock=ctx.clock, author=ctx.author, case_id=window.case_id,
                         etype=EventType.ACKNOWLEDGED, payload={})
    note = "the event's author (op-a) is disabled: held for review at HQ"
    with ctx.store.unit_of_work() as uow:  # what the sync engine does with a "held" push result
        uow.outbox.mark_held(ack.id, note)
        uow.commit()
    ctx.bridge.on_status(SyncStatus(state=ConnectionState.ONLINE, held=1, held_notes=[(ack.id, note)]))
    qtbot.waitUntil(lambda: window.status.refused.isVisible(), timeout=5000)
    assert window.status.refused.text() == "1 held for review at HQ…"
    assert window.status.pending.text() == "All sent"  # held is not waiting to be sent

    qtbot.mouseClick(window.status.refused, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(window, "refused_dialog", None) is not None, timeout=5000)
    dialog = window.refused_dialog
    assert dialog.list.count() == 1
    assert dialog.list.item(0).text().endswith(f"Held for review at HQ: {note}")
    dialog.close()


def test_offline_pending_and_clock_warning(qtbot, window):
    window.ctx.bridge.on_status(SyncStatus(state=ConnectionState.OFFLINE, pending=3, clock_skew_s=-420.0,
                                           last_error="cannot reach HQ"))
    qtbot.waitUntil(lambda: "Offline" in window.status.connection.text(), timeout=5000)
    assert window.status.pending.text() == "3 change(s) waiting to send"
    assert window.status.clock.isVisible() and "-420" in window.status.clock.text()
    assert window.status.last_sync.text() == "Never synced"
    window.status.flash("Acknowledged")  # a transient message never hides the connection state
    assert window.status.connection.isVisible() and window.status.message.text() == "Acknowledged"


def test_acknowledged_without_dispatch_rings_again_as_overdue(qtbot, ui_env):
    from core.settings import Settings
    from ui.alarm import RingReason

    ev = created_event(ui_env.hq_clock, name="Overdue Case")
    add_cases_from_hq(ui_env.store, [ev])
    ctx = make_context(ui_env, Settings({"dispatch_overdue_min": 0}))  # overdue the moment it is acknowledged
    win = MainWindow(ctx, with_sound=False)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.alarm.is_ringing, timeout=5000)
    assert win.alarm.ringing[0].reason is RingReason.UNACKNOWLEDGED
    win.acknowledge(ev.case_id)  # watched by id after the change: no full sweep needed
    qtbot.waitUntil(lambda: win.alarm.is_ringing and win.alarm.ringing[0].reason is RingReason.DISPATCH_OVERDUE,
                    timeout=5000)
    win.close()
    wait_idle(qtbot, ctx)

    restarted = MainWindow(ctx, with_sound=False)  # a new window finds it by the start-up sweep
    qtbot.addWidget(restarted)
    qtbot.waitUntil(lambda: restarted.alarm.is_ringing, timeout=5000)
    assert restarted.alarm.ringing[0].reason is RingReason.DISPATCH_OVERDUE
    restarted.record(ev.case_id, EventType.DISPATCHED, {"officer": "SI A", "phone": "9000000555"})
    qtbot.waitUntil(lambda: not restarted.alarm.is_ringing, timeout=5000)
    restarted.close()
    wait_idle(qtbot, ctx)
    ctx.taskman.shutdown()


def test_siren_keeps_playing_while_locked_and_banner_hides_the_name(qtbot, ui_env):
    """With the real AlarmSound on the test run's PulseAudio null sink (tests/unit/ui/conftest.py)."""
    ev = created_event(ui_env.hq_clock, name="Locked Siren Case")
    add_cases_from_hq(ui_env.store, [ev])
    ctx = make_context(ui_env)
    win = MainWindow(ctx, with_sound=True)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.alarm.is_ringing and win.sound.is_playing, timeout=5000)
    assert not win.no_audio.isVisible()  # the null sink is a working output: no "cannot sound" warning
    win.lock()
    qtbot.wait(300)
    assert win.sound.is_playing
    assert "Locked Siren Case" not in win.banner.details.text() + win.banner.headline.text()
    win.unlock()
    win.acknowledge(ev.case_id)
    qtbot.waitUntil(lambda: not win.sound.is_playing, timeout=5000)
    win.close()
    wait_idle(qtbot, ctx)
    ctx.taskman.shutdown()


def test_alarm_menu_test_sound_plays_the_siren(qtbot, ui_env):
    from PySide6.QtGui import QAction

    ctx = make_context(ui_env)
    win = MainWindow(ctx, with_sound=True)
    qtbot.addWidget(win)
    win.show()
    action = next(a for a in win.findChildren(QAction) if a.objectName() == "test-alarm")
    action.trigger()
    assert win.sound.is_testing
    qtbot.waitUntil(lambda: not win.sound.is_testing, timeout=10_000)  # a short test, then silence
    win.close()
    wait_idle(qtbot, ctx)
    ctx.taskman.shutdown()


def test_cases_hq_could_not_take_back_after_a_restore_are_shown(qtbot, window):
    ctx = window.ctx
    assert not window.status.unrepaired.isVisible()
    reason = "HQ's signature on the event does not verify"
    ctx.bridge.on_status(SyncStatus(state=ConnectionState.ONLINE, repair_refused=[(window.case_id, reason)]))
    qtbot.waitUntil(lambda: window.status.unrepaired.isVisible(), timeout=5000)
    assert window.status.unrepaired.text().startswith("⚠ 1 case(s) HQ lost in its restore")
    assert window.case_id[:8] in window.status.unrepaired.toolTip() and reason in window.status.unrepaired.toolTip()
    ctx.bridge.on_status(SyncStatus(state=ConnectionState.ONLINE))
    qtbot.waitUntil(lambda: not window.status.unrepaired.isVisible(), timeout=5000)
