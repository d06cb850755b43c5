"""Muting a ringing case: the dialog that asks why and for how long, and the notice of mutes in force.

A mute is an event like any other (``alarm_muted``, recorded by the window through
``ui.operations.record``); the notice lists who muted what until when, and offers an early unmute.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.commands import MAX_MUTE_MIN
from core.events import MAX_SHORT_CHARS, iso, utcnow
from ui.alarm.banner import _big
from ui.labels import clock_time

DEFAULT_MUTE_MIN = 5


class MuteDialog(QDialog):
    """Ask why and for how long to mute one case's alarm (1 to MAX_MUTE_MIN minutes, reason required).

    After ``exec()`` returns Accepted, ``payload(now)`` gives the ``alarm_muted`` event payload
    ``{"reason": ..., "until": iso(now + minutes)}`` for the window to record. The OK button stays
    disabled until a reason is typed.
    """

    def __init__(self, case_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("muteDialog")
        self.setWindowTitle(self.tr("Mute alarm"))
        self.case_label = QLabel(case_label, self)
        self.case_label.setTextFormat(Qt.TextFormat.PlainText)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("muteReason")
        self.reason_edit.setMaxLength(MAX_SHORT_CHARS)
        self.reason_edit.setPlaceholderText(self.tr("e.g. caller on the line, handling it now"))
        self.minutes_spin = QSpinBox(self)
        self.minutes_spin.setObjectName("muteMinutes")
        self.minutes_spin.setRange(1, MAX_MUTE_MIN)
        self.minutes_spin.setValue(DEFAULT_MUTE_MIN)
        self.minutes_spin.setSuffix(self.tr(" min"))
        note = QLabel(
            self.tr(
                "The alarm rings again when the mute ends unless the case is acknowledged. At most %1 minutes."
            ).replace("%1", str(MAX_MUTE_MIN)),
            self,
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Case"), self.case_label)
        form.addRow(self.tr("Reason"), self.reason_edit)
        form.addRow(self.tr("Duration"), self.minutes_spin)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        self.ok_button().setText(self.tr("Mute"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.reason_edit.textChanged.connect(self._validate)
        self._validate()

    def ok_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert button is not None
        return button

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def minutes(self) -> int:
        return self.minutes_spin.value()

    def payload(self, now: datetime | None = None) -> dict[str, str]:
        """The ``alarm_muted`` payload. Raises ValueError if the reason is empty."""
        if not self.reason():
            raise ValueError("a mute needs a reason")
        return {"reason": self.reason(), "until": iso((now or utcnow()) + timedelta(minutes=self.minutes()))}

    def accept(self) -> None:
        if self.reason():
            super().accept()

    def _validate(self) -> None:
        self.ok_button().setEnabled(bool(self.reason()))


class MuteNotice(QWidget):
    """While a ringing case is muted: "Alarm muted by NAME until 21:40 — reason", and "Unmute now".

    A mute silences a suicide-risk alert for minutes; the room must see that it did, who did it, why,
    and until when, and anyone must be able to end it early. ``set_mutes`` takes one
    ``(case_id, label, who, until, reason)`` per muted case (``until`` a UTC ``datetime``), soonest first;
    the first is shown, the rest counted. "Unmute now" emits ``unmute_requested(case_id)``; the window
    records a mute that ends at once (the only change ``core`` allows: a mute must end in the future).
    ``set_locked(True)`` hides the case label and reason (personal data) but keeps the notice.
    """

    unmute_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("muteNotice")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            "#muteNotice { background: #fff3cd; border: 3px solid #c43e00; } "
            "#muteNotice QLabel { color: black; } "
            "#muteNotice QPushButton { padding: 4px 14px; }"
        )
        self.text = QLabel(self)
        self.text.setObjectName("muteNoticeText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        _big(self.text, 2)
        self.unmute_button = QPushButton(self)
        self.unmute_button.setObjectName("muteNoticeUnmute")
        self.unmute_button.clicked.connect(self._unmute)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.unmute_button)
        self._mutes: list[tuple[str, str, str, datetime, str]] = []
        self._locked = False
        self.setVisible(False)
        self._refresh()

    @property
    def current_case_id(self) -> str | None:
        return self._mutes[0][0] if self._mutes else None

    def set_mutes(self, mutes: list[tuple[str, str, str, datetime, str]]) -> None:
        self._mutes = list(mutes)
        self._refresh()

    def set_locked(self, locked: bool) -> None:
        self._locked = locked
        self._refresh()

    def _unmute(self) -> None:
        if self._mutes and not self._locked:
            self.unmute_requested.emit(self._mutes[0][0])

    def _refresh(self) -> None:
        self.unmute_button.setText(self.tr("Unmute now"))
        self.unmute_button.setAccessibleName(self.tr("Unmute the alarm now"))
        self.setVisible(bool(self._mutes))
        if not self._mutes:
            self.text.clear()
            return
        _case_id, label, who, until, reason = self._mutes[0]
        text = self.tr("Alarm muted by %1 until %2 — %3").replace("%1", who or "?").replace(
            "%2", clock_time(until)).replace("%3", "…" if self._locked else reason)
        if label and not self._locked:
            text += f"   ({label})"
        others = len(self._mutes) - 1
        if others:
            text += "   " + self.tr("+%1 more muted").replace("%1", str(others))
        self.text.setText(text)
        self.unmute_button.setVisible(not self._locked)
