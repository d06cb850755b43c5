"""What the operator sees of the alarm: the red banner, the no-audio warning, the mute dialog.

All widgets are GUI-thread only and do no store work: they show what they are given and emit
what the operator asked for; the main window turns requests into events (``acknowledged``,
``alarm_muted``) through its operations layer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.alarm import Ringing, RingReason
from core.events import parse_time, utcnow
from ui.alarm.audio_check import AudioCheck, CheckReason
from ui.labels import clock_time, wait_text

ACK_SHORTCUT = "Ctrl+K"
OPEN_SHORTCUT = "F2"  # one key from anywhere in the window to the case that rings
AGE_REFRESH_MS = 1000
ALARM_RED = "#b00020"
ALARM_RED_DIM = "#6d0014"  # the other phase of the flash
OVERDUE_ORANGE = "#c43e00"
FLASH_MS = 700  # ~0.7 Hz: well under the 3 flashes/s photosensitivity limit (WCAG 2.3.1)


def age_text(received_at: str | None, now: datetime) -> str:
    """Age as "45 s", "3 min", "1 h 05 min" (units in the UI language); "?" if unknown."""
    if not received_at:
        return "?"
    try:
        seconds = int((now - parse_time(received_at)).total_seconds())
    except ValueError:
        return "?"
    return wait_text(seconds)


def _big(widget: QWidget, point_delta: int, bold: bool = True) -> None:
    font = QFont(widget.font())
    font.setPointSize(max(8, font.pointSize() + point_delta))
    font.setBold(bold)
    widget.setFont(font)


class AlarmBanner(QWidget):
    """Red, large banner for the most urgent ringing case; hidden when nothing rings.

    ``set_ringing(list[Ringing])`` (connect ``AlarmController.ringing_changed``) shows the first
    case: priority, police station, subject name, age, the reason, and "+N more". Buttons:
    "Acknowledge (Ctrl+K)" emits ``acknowledge_requested(case_id)``; "Mute…" emits
    ``mute_requested(case_id)`` (only for an unacknowledged case: commands refuse to mute others);
    "Open case" emits ``open_requested(case_id)``.

    The Ctrl+K shortcut is the banner's ``acknowledge_action`` (window-wide, enabled only while the
    banner shows an unlocked, unacknowledged case). The window must add no other Ctrl+K shortcut:
    two actions on one key make Qt fire neither.

    ``set_locked(True)`` (idle lock) hides all personal data and buttons: only
    "New alert waiting — unlock to view".
    """

    acknowledge_requested = Signal(str)
    mute_requested = Signal(str)
    open_requested = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = utcnow,
        place_name: Callable[[str | None], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("alarmBanner")
        # Police station code -> name ("GOM" -> "Gomti Nagar"); the code itself when not given.
        self._place_name = place_name or (lambda code: code or "")
        self._ringing: list[Ringing] = []
        self._locked = False
        self._now = clock

        self.headline = QLabel(self)
        self.headline.setObjectName("alarmHeadline")
        self.headline.setWordWrap(True)  # a long (Hindi) headline wraps rather than widening the window
        _big(self.headline, 10)
        self.details = QLabel(self)
        self.details.setObjectName("alarmDetails")
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)
        _big(self.details, 4)
        self.more = QLabel(self)
        self.more.setObjectName("alarmMore")
        _big(self.more, 2)

        self.ack_button = QPushButton(self)
        self.ack_button.setObjectName("alarmAcknowledge")
        _big(self.ack_button, 6)
        self.ack_button.setMinimumHeight(56)
        self.mute_button = QPushButton(self)
        self.mute_button.setObjectName("alarmMute")
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("alarmOpen")
        for button in (self.mute_button, self.open_button):
            _big(button, 2)
            button.setMinimumHeight(40)

        self.acknowledge_action = QAction(self)
        self.acknowledge_action.setShortcut(QKeySequence(ACK_SHORTCUT))
        self.acknowledge_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.acknowledge_action.triggered.connect(self._acknowledge)
        self.addAction(self.acknowledge_action)
        self.open_action = QAction(self)
        self.open_action.setShortcut(QKeySequence(OPEN_SHORTCUT))
        self.open_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.open_action.triggered.connect(self._open)
        self.addAction(self.open_action)

        self.ack_button.clicked.connect(self._acknowledge)
        self.mute_button.clicked.connect(self._mute)
        self.open_button.clicked.connect(self._open)

        text = QVBoxLayout()
        text.addWidget(self.headline)
        text.addWidget(self.details)
        text.addWidget(self.more)
        buttons = QVBoxLayout()
        buttons.addWidget(self.ack_button)
        row = QHBoxLayout()
        row.addWidget(self.mute_button)
        row.addWidget(self.open_button)
        buttons.addLayout(row)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(text, 1)
        layout.addLayout(buttons)

        self._age_timer = QTimer(self)
        self._age_timer.setInterval(AGE_REFRESH_MS)
        self._age_timer.timeout.connect(self._refresh)
        # An unacknowledged alert flashes: seen from across the room, and the only signal left if
        # the sound has failed. The background is painted from the palette (cheap to change); the
        # style sheet only styles the children.
        self._flash_on = True
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(FLASH_MS)
        self._flash_timer.timeout.connect(self._flash)
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            "#alarmBanner QLabel { color: white; } "
            "#alarmBanner QPushButton { background: white; color: black; padding: 6px 18px; }"
        )
        self.setVisible(False)
        self._refresh()

    # ---------------------------------------------------------------- public
    @property
    def current_case_id(self) -> str | None:
        """The case the buttons act on (None when hidden)."""
        return self._ringing[0].case_id if self._ringing else None

    def set_ringing(self, ringing: list[Ringing]) -> None:
        self._ringing = list(ringing)
        self.setVisible(bool(self._ringing))
        if self._ringing:
            self._age_timer.start()
            self._flash_timer.start()
        else:
            self._age_timer.stop()
            self._flash_timer.stop()
            self._flash_on = True
        self._refresh()

    def set_locked(self, locked: bool) -> None:
        self._locked = locked
        self._refresh()

    def is_locked(self) -> bool:
        return self._locked

    # --------------------------------------------------------------- private
    def _acknowledge(self) -> None:
        case_id = self.current_case_id
        if case_id is not None and not self._locked and self._ringing[0].reason is RingReason.UNACKNOWLEDGED:
            self.acknowledge_requested.emit(case_id)

    def _mute(self) -> None:
        case_id = self.current_case_id
        if case_id is not None and not self._locked and self._ringing[0].reason is RingReason.UNACKNOWLEDGED:
            self.mute_requested.emit(case_id)

    def _open(self) -> None:
        case_id = self.current_case_id
        if case_id is not None and not self._locked:
            self.open_requested.emit(case_id)

    @property
    def background(self) -> str:
        """The banner's current background colour (``#rrggbb``)."""
        return str(self.palette().color(QPalette.ColorRole.Window).name())

    def _paint_background(self, overdue: bool) -> None:
        flash = ALARM_RED if self._flash_on else ALARM_RED_DIM
        colour = OVERDUE_ORANGE if overdue else flash
        if self.background != colour:
            palette = self.palette()
            palette.setColor(QPalette.ColorRole.Window, QColor(colour))
            self.setPalette(palette)

    def _flash(self) -> None:
        self._flash_on = not self._flash_on
        first = self._ringing[0] if self._ringing else None
        self._paint_background(first is not None and first.reason is RingReason.DISPATCH_OVERDUE)

    def _refresh(self) -> None:
        first = self._ringing[0] if self._ringing else None
        overdue = first is not None and first.reason is RingReason.DISPATCH_OVERDUE
        self._paint_background(overdue)
        self.ack_button.setText(self.tr("Acknowledge (Ctrl+K)"))
        self.mute_button.setText(self.tr("Mute…"))
        self.open_button.setText(self.tr("Open case (F2)"))
        self.open_action.setEnabled(first is not None and not self._locked)
        if first is None:
            self.acknowledge_action.setEnabled(False)
            return
        if self._locked:
            self.headline.setText(self.tr("New alert waiting — unlock to view"))
            self.details.clear()
            self.more.clear()
            for w in (self.details, self.more, self.ack_button, self.mute_button, self.open_button):
                w.setVisible(False)
            self.acknowledge_action.setEnabled(False)
            return
        row = first.row
        if overdue:
            self.headline.setText(self.tr("DISPATCH OVERDUE — send a team"))
        else:
            self.headline.setText(self.tr("SUICIDE-RISK ALERT — acknowledge now"))
        fields = [
            self.tr("Priority P%1").replace("%1", str(row.priority)),
            self.tr("Police station: %1").replace("%1", self._place_name(row.police_station) or "—"),
            self.tr("Name: %1").replace("%1", row.subject_name or "—"),
            self.tr("Waiting: %1").replace("%1", age_text(row.received_at, self._now())),
        ]
        self.details.setText("   ·   ".join(fields))
        others = len(self._ringing) - 1
        self.more.setText(self.tr("+%1 more alerts ringing").replace("%1", str(others)) if others else "")
        self.details.setVisible(True)
        self.more.setVisible(bool(others))
        self.ack_button.setVisible(not overdue)
        self.mute_button.setVisible(not overdue)
        self.open_button.setVisible(True)
        # Not isVisible(): the banner may be filled before its window is first shown.
        self.acknowledge_action.setEnabled(not overdue)


class NoAudioWarning(QWidget):
    """Permanent warning that the alarm cannot sound. Has no close button: it hides only when a
    check succeeds (``set_check`` with ``ok`` True). Connect ``AlarmSound.audio_checked`` to
    ``set_check``; ``recheck_requested`` (its "Check again" button) to ``AlarmSound.check_audio``.

    A check with reason ``CheckReason.NOT_HEARD`` (the control room did not hear the test alarm)
    says what to check instead, and its button asks for a new test alarm (``test_requested``):
    only a test confirmed heard clears it. Which check is shown is the window's decision.
    """

    recheck_requested = Signal()
    test_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noAudioWarning")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            "#noAudioWarning { background: #ffd600; border: 4px solid black; } "
            "#noAudioWarning QLabel { color: black; } "
            "#noAudioWarning QPushButton { padding: 6px 18px; }"
        )
        self.title = QLabel(self)
        self.title.setObjectName("noAudioTitle")
        _big(self.title, 8)
        self.title.setWordWrap(True)
        self.detail = QLabel(self)
        self.detail.setObjectName("noAudioDetail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setWordWrap(True)
        _big(self.detail, 2, bold=False)
        self.recheck_button = QPushButton(self)
        self.recheck_button.setObjectName("noAudioRecheck")
        self.recheck_button.clicked.connect(self._button_clicked)
        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(self.detail)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(text, 1)
        layout.addWidget(self.recheck_button)
        self._check: AudioCheck | None = None
        self.setVisible(False)
        self._retranslate()

    @property
    def check(self) -> AudioCheck | None:
        return self._check

    @property
    def not_heard(self) -> bool:
        """The shown check is a human's "the test alarm was not heard"."""
        return self._check is not None and self._check.reason == CheckReason.NOT_HEARD

    def set_check(self, check: AudioCheck) -> None:
        self._check = check
        self._retranslate()
        self.setVisible(not check.ok)

    def _button_clicked(self) -> None:
        if self.not_heard:
            self.test_requested.emit()
        else:
            self.recheck_requested.emit()

    def _retranslate(self) -> None:
        if self.not_heard:
            self.title.setText(
                self.tr(
                    "TEST ALARM NOT HEARD: the alarm may be silent. Check that the speakers are switched on, "
                    "the volume is turned up and the speaker cable is plugged in; call the IT desk. "
                    "Watch the screen for new alerts until a test alarm is heard."
                )
            )
            self.recheck_button.setText(self.tr("Test alarm again"))
        else:
            self.title.setText(
                self.tr(
                    "ALARM CANNOT SOUND: no audio output. Check the speakers, their power and cable; "
                    "call the IT desk. Watch the screen for new alerts until this is fixed."
                )
            )
            self.recheck_button.setText(self.tr("Check again"))
        # The check's text in the UI language; its English ``detail`` is for the log and HQ.
        detail = self._check.text if self._check is not None else ""
        when = clock_time(self._check.checked_at) if self._check is not None else ""
        self.detail.setText(self.tr("Last check %1: %2").replace("%1", when).replace("%2", detail))
