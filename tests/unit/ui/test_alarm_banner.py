"""What the operator sees: AlarmBanner, NoAudioWarning, MuteDialog, and the attention side effects."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from core.commands import MAX_MUTE_MIN
from core.events import EventType, iso, parse_time
from core.hlc import HybridClock
from core.store import CaseRow, StoreKey, record
from tests.e2e.kit import OPERATOR, add_cases_from_hq, created_event, open_store
from ui.alarm import AlarmBanner, Attention, MuteDialog, NoAudioWarning, Ringing, RingReason
from ui.alarm.audio_check import AudioCheck
from ui.alarm.banner import age_text

# The offscreen platform cannot raise windows or propagate size hints, and says so; a real desktop does both.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support")

NOW = datetime(2026, 11, 22, 16, 0, tzinfo=UTC)


def row(case_id: str = "case-1", **changes: object) -> CaseRow:
    base = CaseRow(
        case_id=case_id,
        kind="suicide_risk",
        status="new",
        priority=1,
        received_at=iso(NOW - timedelta(minutes=4, seconds=10)),
        district="Lucknow",
        police_station="Gomti Nagar",
        summary="Post expressing intent to end life",
        subject_name="प्रिया गुप्ता",
        needs_alarm=True,
        acknowledged_at=None,
        dispatched_at=None,
        muted_until=None,
        pending_count=0,
        rejected_count=0,
        updated_hlc=None,
        purged=False,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def ringing(*rows: CaseRow, reason: RingReason = RingReason.UNACKNOWLEDGED) -> list[Ringing]:
    return [Ringing(r.case_id, reason, r) for r in rows]


def visible_text(widget: QWidget) -> str:
    parts = [w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget)]
    parts += [w.text() for w in widget.findChildren(QPushButton) if w.isVisibleTo(widget)]
    return "\n".join(parts)


@pytest.fixture
def window(qtbot: QtBot) -> tuple[QWidget, AlarmBanner]:
    win = QWidget()
    banner = AlarmBanner(win, clock=lambda: NOW)
    QVBoxLayout(win).addWidget(banner)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win, banner


def test_age_text() -> None:
    assert age_text(iso(NOW - timedelta(seconds=45)), NOW) == "45 s"
    assert age_text(iso(NOW - timedelta(minutes=3, seconds=59)), NOW) == "3 min"
    assert age_text(iso(NOW - timedelta(hours=1, minutes=5)), NOW) == "1 h 05 min"
    assert age_text(None, NOW) == "?" and age_text("garbage", NOW) == "?"
    assert age_text(iso(NOW + timedelta(minutes=2)), NOW) == "0 s"  # sender's clock ahead


def test_banner_names_the_most_urgent_case(qtbot: QtBot, window: tuple[QWidget, AlarmBanner]) -> None:
    _, banner = window
    assert not banner.isVisible()
    banner.set_ringing(ringing(row(), row("case-2", subject_name="Deepak Singh")))
    assert banner.isVisible()
    text = visible_text(banner)
    for expected in (
        "SUICIDE-RISK ALERT",
        "P1",
        "Gomti Nagar",
        "प्रिया गुप्ता",
        "4 min",
        "+1 more",
        "Acknowledge (Ctrl+K)",
    ):
        assert expected in text, (expected, text)
    assert "Deepak Singh" not in text  # one case at a time; the rest are counted
    assert banner.current_case_id == "case-1"
    banner.set_ringing([])
    assert not banner.isVisible()


def test_acknowledge_by_button_and_by_ctrl_k(qtbot: QtBot, window: tuple[QWidget, AlarmBanner]) -> None:
    win, banner = window
    banner.set_ringing(ringing(row()))
    with qtbot.waitSignal(banner.acknowledge_requested) as by_click:
        qtbot.mouseClick(banner.ack_button, Qt.MouseButton.LeftButton)
    assert by_click.args == ["case-1"]
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    with qtbot.waitSignal(banner.acknowledge_requested) as by_key:
        qtbot.keyClick(win, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert by_key.args == ["case-1"]
    with qtbot.waitSignal(banner.mute_requested) as mute:
        qtbot.mouseClick(banner.mute_button, Qt.MouseButton.LeftButton)
    assert mute.args == ["case-1"]


def test_locked_banner_shows_no_personal_data(qtbot: QtBot, window: tuple[QWidget, AlarmBanner]) -> None:
    win, banner = window
    banner.set_ringing(ringing(row(), row("case-2")))
    banner.set_locked(True)
    text = visible_text(banner)
    assert "New alert waiting — unlock to view" in text
    for secret in ("प्रिया", "Gomti Nagar", "P1", "4 min", "+1"):
        assert secret not in text, text
    assert not banner.ack_button.isVisible() and not banner.mute_button.isVisible()
    with qtbot.assertNotEmitted(banner.acknowledge_requested):
        qtbot.keyClick(win, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    banner.set_locked(False)
    assert "प्रिया गुप्ता" in visible_text(banner)


def test_dispatch_overdue_banner_asks_for_dispatch_not_acknowledgement(window: tuple[QWidget, AlarmBanner]) -> None:
    _, banner = window
    acked = row(status="acknowledged", needs_alarm=False, acknowledged_at=iso(NOW - timedelta(minutes=12)))
    banner.set_ringing(ringing(acked, reason=RingReason.DISPATCH_OVERDUE))
    text = visible_text(banner)
    assert "DISPATCH OVERDUE" in text
    assert not banner.ack_button.isVisible() and not banner.mute_button.isVisible()
    assert banner.open_button.isVisible()
    assert not banner.acknowledge_action.isEnabled()


def test_no_audio_warning_stays_until_a_check_passes(qtbot: QtBot) -> None:
    warning = NoAudioWarning()
    qtbot.addWidget(warning)
    assert not warning.isVisible()
    failed = AudioCheck(False, "no audio output device", NOW)
    warning.set_check(failed)
    assert warning.isVisible()
    assert "ALARM CANNOT SOUND" in warning.title.text() and "no audio output device" in warning.detail.text()
    assert not [b for b in warning.findChildren(QPushButton) if "close" in b.text().lower()]
    with qtbot.waitSignal(warning.recheck_requested):
        qtbot.mouseClick(warning.recheck_button, Qt.MouseButton.LeftButton)
    warning.set_check(failed)
    assert warning.isVisible()
    warning.set_check(AudioCheck(True, "ok", NOW))
    assert not warning.isVisible()


def test_mute_dialog_requires_a_reason_and_caps_the_duration(qtbot: QtBot) -> None:
    dialog = MuteDialog("P1 · Gomti Nagar")
    qtbot.addWidget(dialog)
    assert not dialog.ok_button().isEnabled()
    dialog.reason_edit.setText("   ")
    assert not dialog.ok_button().isEnabled()
    with pytest.raises(ValueError):
        dialog.payload(NOW)
    dialog.reason_edit.setText("caller on the line, tracing the number")
    assert dialog.ok_button().isEnabled()
    dialog.minutes_spin.setValue(500)
    assert dialog.minutes() == MAX_MUTE_MIN
    payload = dialog.payload(NOW)
    assert payload == {"reason": "caller on the line, tracing the number", "until": iso(NOW + timedelta(minutes=30))}


def test_mute_dialog_payload_is_accepted_by_the_store_and_silences_the_case(qtbot: QtBot, tmp_path: Path) -> None:
    store = open_store(tmp_path, StoreKey.ephemeral())
    try:
        case = created_event(HybridClock("hq"))
        add_cases_from_hq(store, [case])
        dialog = MuteDialog("case")
        qtbot.addWidget(dialog)
        dialog.reason_edit.setText("on a call with the family")
        dialog.minutes_spin.setValue(10)
        now = datetime.now(UTC)
        record(store, HybridClock(store.device_id), OPERATOR, case.case_id, EventType.ALARM_MUTED, dialog.payload(now))
        with store.unit_of_work() as uow:
            rows = uow.cases.alarming()
        assert len(rows) == 1 and rows[0].muted_until is not None
        assert abs((parse_time(rows[0].muted_until) - (now + timedelta(minutes=10))).total_seconds()) < 1
        from core.alarm import ringing_cases

        assert ringing_cases(rows, now, 10) == []
        assert [r.case_id for r in ringing_cases(rows, now + timedelta(minutes=10, seconds=1), 10)] == [case.case_id]
    finally:
        store.close()


def test_attention_restores_a_minimised_window(qtbot: QtBot) -> None:
    win = QWidget()
    qtbot.addWidget(win)
    win.show()
    win.setWindowState(Qt.WindowState.WindowMinimized)
    assert win.windowState() & Qt.WindowState.WindowMinimized
    attention = Attention(win)
    attention.alarm_started("case-1")
    assert not win.windowState() & Qt.WindowState.WindowMinimized
    assert win.isVisible()
    assert attention.raised_count == 1
    hidden = QWidget()
    qtbot.addWidget(hidden)
    Attention(hidden).alarm_started("case-2")  # a window closed to the tray comes back
    assert hidden.isVisible()


def test_unacknowledged_alert_flashes_overdue_does_not(qtbot: QtBot, window: tuple[QWidget, AlarmBanner]) -> None:
    from ui.alarm.banner import ALARM_RED, ALARM_RED_DIM, FLASH_MS, OVERDUE_ORANGE

    _, banner = window
    banner.set_ringing(ringing(row()))
    assert banner.background == ALARM_RED
    qtbot.waitUntil(lambda: banner.background == ALARM_RED_DIM, timeout=2000)
    qtbot.waitUntil(lambda: banner.background == ALARM_RED, timeout=2000)
    acked = row(status="acknowledged", needs_alarm=False, acknowledged_at=iso(NOW - timedelta(minutes=12)))
    banner.set_ringing(ringing(acked, reason=RingReason.DISPATCH_OVERDUE))
    assert banner.background == OVERDUE_ORANGE
    qtbot.wait(FLASH_MS * 2)
    assert banner.background == OVERDUE_ORANGE
