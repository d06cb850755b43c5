"""A district's consoles, from the board: online, last heartbeat, can sound, the human's answer to
the last test alarm, outbox, version. Read-only, from the board HQ last sent (no fetch of its own).

Threading: GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.hq.model import alert_text

if TYPE_CHECKING:
    from sync.wire import BoardConsole, BoardDistrict



def _yes_no(value: bool | None) -> str:
    if value is None:
        return QCoreApplication.translate("Consoles", "not reported")
    return QCoreApplication.translate("Consoles", "yes") if value else QCoreApplication.translate("Consoles", "NO")


def console_cells(c: BoardConsole) -> list[str]:
    """One console's row, in the dialog's column order."""
    seen = c.last_seen.astimezone().strftime("%d %b %H:%M:%S")
    checked = c.audio_checked_at.astimezone().strftime("%H:%M") if c.audio_checked_at else ""
    heard = QCoreApplication.translate("Consoles", "heard")
    not_heard = QCoreApplication.translate("Consoles", "NOT heard")
    test = "" if c.test_heard is None else heard if c.test_heard else not_heard
    if test and c.test_confirmed_at is not None:  # when and by whom (older consoles send neither)
        test += " " + c.test_confirmed_at.astimezone().strftime("%d %b %H:%M")
        test += f" · {c.test_confirmed_by}" if c.test_confirmed_by else ""
    state = QCoreApplication.translate("Consoles", "online") if c.online else QCoreApplication.translate(
        "Consoles", "OFFLINE")
    return [
        c.device_name or c.device_id,
        c.user or "",
        state,
        seen,
        _yes_no(c.can_sound if c.online else None) + (f" ({checked})" if checked else ""),
        test,
        "" if c.pending is None else str(c.pending),
        c.audio_detail or "",
        c.app_version or "",
    ]


class ConsolesDialog(QDialog):
    def __init__(self, district: BoardDistrict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consoles-dialog")
        self.setWindowTitle(self.tr("Consoles of %1").replace("%1", district.name))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        alert = alert_text(district)
        head = self.tr("%1: %2 of %3 online, %4 can sound").replace("%1", district.name).replace(
            "%2", str(district.consoles_online)).replace("%3", str(len(district.consoles))).replace(
            "%4", str(district.consoles_can_sound))
        self.heading = QLabel(head + (f" — {alert}" if alert else ""))
        self.heading.setWordWrap(True)
        headers = [self.tr("Console"), self.tr("Operator"), self.tr("State"), self.tr("Last heartbeat"),
                   self.tr("Can sound"), self.tr("Test alarm"), self.tr("Outbox"), self.tr("Audio check"),
                   self.tr("Version")]
        self.table = QTableWidget(len(district.consoles), len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        for row, console in enumerate(district.consoles):
            for col, text in enumerate(console_cells(console)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(1000, 320)
