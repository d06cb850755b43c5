"""The status bar: is HQ reachable, what is waiting to go, when did sync last succeed, what HQ refused.

Fed by ``SyncStatus`` snapshots (``ApplicationContext.bridge.status``, queued to the GUI thread).
Refused items are a button that opens the list with HQ's reasons; each entry names the case and
the entry so the operator can re-record it correctly.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from core.events import parse_time
from core.store.schema import HELD_FOR_REVIEW
from sync.status import ErrorCause
from ui.labels import event_label, local_time

ONLINE_STYLE = "color: white; background: #1b7f3b; padding: 2px 8px; border-radius: 3px;"
OFFLINE_STYLE = "color: white; background: #b00020; padding: 2px 8px; border-radius: 3px;"
BUSY_STYLE = "color: black; background: #f0c000; padding: 2px 8px; border-radius: 3px;"
WARN_STYLE = "color: #8a4b00; font-weight: bold;"



def _is_held(stored: Any) -> bool:
    """An event HQ holds in its review queue (``core.store.schema.HELD_FOR_REVIEW``), not refused."""
    return str(stored.sync_state) == "pending" and stored.reject_code == HELD_FOR_REVIEW


class RefusedDialog(QDialog):
    """The events HQ refused, with HQ's reason, and those it holds for review with its note;
    double-click opens the case."""

    open_case = Signal(str)

    def __init__(self, items: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Changes HQ refused"))
        self.setMinimumSize(560, 320)
        note = QLabel(
            self.tr(
                "HQ did not accept these entries. They are kept here and left out of the case. "
                "Open the case and record the entry again, corrected."
            )
        )
        note.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Refused changes"))
        held = [s for s in items if _is_held(s)]
        if held:
            note.setText(
                note.text()
                + "\n"
                + self.tr(
                    "Entries held for review at HQ were sent; a supervisor there accepts or rejects them, "
                    "and this list shows the decision."
                )
            )
        for stored in items:
            e = stored.event
            reason = stored.reject_reason or ""
            if _is_held(stored):
                reason = self.tr("Held for review at HQ: %1").replace("%1", reason)
            text = f"{local_time(e.wall_time)} — {event_label(str(e.type))} — {reason}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, e.case_id)
            self.list.addItem(item)
        self.list.itemDoubleClicked.connect(self._open)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def _open(self, item: QListWidgetItem) -> None:
        self.open_case.emit(item.data(Qt.ItemDataRole.UserRole))
        self.accept()


class SyncStatusBar(QStatusBar):
    refused_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.connection = QLabel()
        self.connection.setObjectName("status-connection")
        self.connection.setAccessibleName(self.tr("Connection to HQ"))
        self.pending = QLabel()
        self.pending.setObjectName("status-pending")
        self.pending.setAccessibleName(self.tr("Changes waiting to be sent"))
        self.last_sync = QLabel()
        self.last_sync.setObjectName("status-last-sync")
        self.refused = QPushButton()
        self.refused.setObjectName("status-refused")
        self.refused.setFlat(True)
        self.refused.setStyleSheet("color: #a00000; font-weight: bold;")
        self.refused.setAccessibleName(self.tr("Changes refused by HQ"))
        self.refused.clicked.connect(self.refused_clicked)
        self.refused.hide()
        self.clock = QLabel()
        self.clock.setObjectName("status-clock")
        self.clock.setStyleSheet(WARN_STYLE)
        self.clock.hide()
        self.error = QLabel()
        self.error.setObjectName("status-error")
        self.error.setStyleSheet("color: #555;")
        self.user = QLabel()
        self.user.setObjectName("status-user")
        self.message = QLabel()
        self.message.setObjectName("status-message")
        self.message.setStyleSheet("color: #1b5e20; font-weight: bold;")
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self.message.clear)
        # Permanent widgets: QStatusBar.showMessage would hide ordinary ones, and the connection
        # state must never disappear behind a transient message.
        for w in (self.connection, self.pending, self.last_sync, self.refused, self.clock):
            self.addPermanentWidget(w)
        self.addPermanentWidget(self.error, 1)
        self.addPermanentWidget(self.message)
        self.addPermanentWidget(self.user)
        self.status: Any = None
        self._tick = QTimer(self)
        self._tick.setInterval(30_000)
        self._tick.timeout.connect(self._paint_last_sync)
        self._tick.start()
        self.set_status(None)

    def flash(self, text: str, ms: int = 4000) -> None:
        """A short confirmation ("Acknowledged ✓") next to the sync state, which stays visible."""
        self.message.setText(text)
        self._message_timer.start(ms)

    def set_user(self, text: str) -> None:
        self.user.setText(text)

    def set_status(self, status: Any) -> None:
        """Paint a ``sync.SyncStatus`` (None: not connected yet)."""
        self.status = status
        state = str(getattr(status, "state", "offline"))
        if state == "online":
            self.connection.setText(self.tr("● Online"))
            self.connection.setStyleSheet(ONLINE_STYLE)
        elif state == "syncing":
            self.connection.setText(self.tr("● Syncing…"))
            self.connection.setStyleSheet(BUSY_STYLE)
        elif state == "login_required" and getattr(status, "error_cause", None) == ErrorCause.LOGIN_EXPIRED:
            self.connection.setText(self.tr("● Session expired"))
            self.connection.setStyleSheet(OFFLINE_STYLE)
        elif state == "login_required":
            self.connection.setText(self.tr("● Login needed"))
            self.connection.setStyleSheet(OFFLINE_STYLE)
        elif state == "error":
            self.connection.setText(self.tr("● HQ error"))
            self.connection.setStyleSheet(OFFLINE_STYLE)
        else:
            self.connection.setText(self.tr("● Offline — working locally"))
            self.connection.setStyleSheet(OFFLINE_STYLE)
        pending = int(getattr(status, "pending", 0) or 0)
        self.pending.setText(self.tr("%n change(s) waiting to send", "", pending) if pending else self.tr("All sent"))
        rejected = int(getattr(status, "rejected", 0) or 0)
        held = int(getattr(status, "held", 0) or 0)
        text = self.tr("%n refused by HQ…", "", rejected)
        if held:
            held_text = self.tr("%n held for review at HQ…", "", held)
            text = f"{text}  {held_text}" if rejected else held_text
        self.refused.setText(text)
        self.refused.setVisible(rejected > 0 or held > 0)
        skew = getattr(status, "clock_skew_s", None)
        if skew is not None:
            self.clock.setText(
                self.tr("⚠ This PC's clock is off by %1 s from HQ; fix the time").replace("%1", f"{skew:+.0f}")
            )
        self.clock.setVisible(skew is not None)
        error = getattr(status, "last_error", None)
        shown = bool(error) and state != "online"
        # The operator reads the cause in the UI language; the sync layer's English text (HQ's or the
        # library's words, for the IT desk) stays in the tooltip.
        cause = getattr(status, "error_cause", None)
        self.error.setText(self.error_text(state, cause) if shown else "")
        self.error.setToolTip(str(error) if shown else "")
        self._paint_last_sync()

    def error_text(self, state: str, cause: ErrorCause | None) -> str:
        """The cause of a sync error as one translated sentence.

        ``sync`` (no Qt there) reports English text plus its cause (``SyncStatus.error_cause``); the
        state decides first (login_required: the login; offline: the link), then the cause.
        """
        if cause == ErrorCause.LOGIN_EXPIRED:
            return self.tr(
                "Your session with HQ has expired or was ended at HQ: log in again to resume sync; "
                "changes are kept until then."
            )
        if state == "login_required" or cause == ErrorCause.LOGIN:
            return self.tr("Sign-in needed: log in again to resume sync; changes are kept until then.")
        if state == "offline" or cause == ErrorCause.UNREACHABLE:
            return self.tr("HQ cannot be reached; changes are kept and will be sent when the link returns.")
        if cause == ErrorCause.INTERRUPTED:
            return self.tr("Sync was interrupted; it will retry.")
        if cause == ErrorCause.REFUSED:
            return self.tr("HQ refused a request; sync will retry. Tell the IT desk if this stays.")
        if cause == ErrorCause.LOCAL_STORE:
            return self.tr("The local store on this workstation failed; check free disk space and call the IT desk.")
        if cause == ErrorCause.INTERNAL:
            return self.tr("Sync hit an internal error; it was logged and sync will retry.")
        return self.tr("HQ's reply could not be used; nothing from it was applied. Sync will retry.")

    def _paint_last_sync(self) -> None:
        last = getattr(self.status, "last_sync_at", None)
        if not last:
            self.last_sync.setText(self.tr("Never synced"))
            return
        try:
            ago = int((datetime.now(UTC) - parse_time(last)).total_seconds() // 60)
        except ValueError:
            ago = -1
        when = local_time(last)[-8:]
        if ago >= 1:
            text = self.tr("Last sync %1 (%n min ago)", "", ago).replace("%1", when)
        else:
            text = self.tr("Last sync %1").replace("%1", when)
        self.last_sync.setText(text)
