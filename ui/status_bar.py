"""The status bar: is HQ reachable, what is waiting to go, when did sync last succeed, what HQ refused.

Fed by ``SyncStatus`` snapshots (``ApplicationContext.bridge.status``, queued to the GUI thread).
Refused items are a button that opens the list with HQ's reasons; each entry names the case and
the entry so the operator can re-record it correctly.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from core.events import parse_time
from ui.labels import event_label, local_time
from ui.operations.cases import duplicate_of, is_held_for_review
from ui.operations.console import ErrorCause, free_disk_bytes
from ui.widgets import ElidedLabel

ONLINE_STYLE = "color: white; background: #1b7f3b; padding: 2px 8px; border-radius: 3px;"
OFFLINE_STYLE = "color: white; background: #b00020; padding: 2px 8px; border-radius: 3px;"
BUSY_STYLE = "color: black; background: #f0c000; padding: 2px 8px; border-radius: 3px;"
WARN_STYLE = "color: #8a4b00; font-weight: bold;"
EVENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
# Columns of the refused list's CSV export (``StoredEvent.refusal_record``; payload as JSON text).
REFUSAL_FIELDS = [
    "event_id",
    "case_id",
    "type",
    "wall_time",
    "hlc",
    "author_id",
    "author_name",
    "device_id",
    "seen_assignment",
    "reason",
    "code",
    "payload",
    "dealt_with_at",
    "dealt_with_by",
]

DISK_CHECK_MS = 60_000


def shown_state(status: Any) -> str:
    """The connection state to show: one consistent picture, never "online" and "unreachable" at once.

    The engine reports ``offline`` whenever the link is known to be down. An ``error`` whose cause is
    ``unreachable`` therefore means the link works again and one direction (a long pull still waiting
    out its timeout) has not yet succeeded since the outage: that error is stale, not a fault to show.
    """
    state = str(getattr(status, "state", "offline"))
    if state == "error" and getattr(status, "error_cause", None) == ErrorCause.UNREACHABLE:
        return "online"
    return state


class RefusedDialog(QDialog):
    """The events HQ refused, with HQ's reason, and those it holds for review with its note;
    double-click opens the case.

    Nothing leaves this list by itself: a refused entry stays (also when its case has left the
    district, then without personal details) until an operator selects it and marks it dealt with,
    which emits ``dealt_with`` with the event ids; the owner records that in the store off the GUI
    thread and then calls ``remove_events``. "Export…" writes the list (``StoredEvent.refusal_record``:
    no free text of the case) to a JSON or CSV file, to hand on or keep.
    """

    open_case = Signal(str)
    dealt_with = Signal(list)

    def __init__(self, items: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Changes HQ refused"))
        self.setMinimumSize(560, 320)
        self.items = list(items)
        note = QLabel(
            self.tr(
                "HQ did not accept these entries. They are kept here and left out of the case, also when the "
                "case has left your district (then without personal details). Open the case and record the "
                "entry again, corrected, or pass it on; then mark it as dealt with."
            )
        )
        note.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Refused changes"))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        held = [s for s in self.items if is_held_for_review(s)]
        if held:
            note.setText(
                note.text()
                + "\n"
                + self.tr(
                    "Entries held for review at HQ were sent; a supervisor there accepts or rejects them, "
                    "and this list shows the decision."
                )
            )
        for stored in self.items:
            e = stored.event
            reason = stored.reject_reason or ""
            if is_held_for_review(stored):
                reason = self.tr("Held for review at HQ: %1").replace("%1", reason)
            text = f"{local_time(e.wall_time)} — {event_label(str(e.type))} — {e.author_name} — {reason}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, duplicate_of(stored) or e.case_id)  # a twin: the existing case
            item.setData(EVENT_ID_ROLE, e.id)
            self.list.addItem(item)
        self.list.itemDoubleClicked.connect(self._open)
        self.list.itemSelectionChanged.connect(self._selection_changed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = buttons.addButton(self.tr("Export…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self._ask_export)
        self.export_button.setEnabled(bool(self.items))
        self.dealt_button = buttons.addButton(self.tr("Mark as dealt with"), QDialogButtonBox.ButtonRole.ActionRole)
        self.dealt_button.clicked.connect(self._mark_dealt_with)
        self.dealt_button.setEnabled(False)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def _open(self, item: QListWidgetItem) -> None:
        self.open_case.emit(item.data(Qt.ItemDataRole.UserRole))
        self.accept()

    def _selection_changed(self) -> None:
        self.dealt_button.setEnabled(bool(self.list.selectedItems()))

    def _mark_dealt_with(self) -> None:
        ids = [str(item.data(EVENT_ID_ROLE)) for item in self.list.selectedItems()]
        if ids:
            self.dealt_with.emit(ids)

    def remove_events(self, event_ids: list[str]) -> None:
        """Drop these entries from the list (they were recorded as dealt with)."""
        gone = set(event_ids)
        self.items = [s for s in self.items if s.event.id not in gone]
        for row in reversed(range(self.list.count())):
            if self.list.item(row).data(EVENT_ID_ROLE) in gone:
                self.list.takeItem(row)
        self.export_button.setEnabled(bool(self.items))
        self._selection_changed()

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export refused changes"), "refused-changes.json", self.tr("JSON (*.json);;CSV (*.csv)")
        )
        if path:
            try:
                self.export_to(Path(path))
            except OSError as exc:
                detail = self.tr("Could not write the file: %1").replace("%1", exc.strerror or str(exc))
                QMessageBox.warning(self, self.tr("Export failed"), detail)

    def export_to(self, path: Path) -> None:
        """Write the listed entries to ``path``: CSV if its name ends in .csv, JSON otherwise."""
        records = [stored.refusal_record() for stored in self.items]
        if path.suffix.lower() == ".csv":
            with path.open("w", newline="", encoding="utf-8") as f:
                writer = csv.DictWriter(f, fieldnames=REFUSAL_FIELDS)
                writer.writeheader()
                for r in records:
                    writer.writerow(r | {"payload": json.dumps(r["payload"], ensure_ascii=False, sort_keys=True)})
        else:
            path.write_text(json.dumps(records, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")


class SyncStatusBar(QStatusBar):
    refused_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.connection = ElidedLabel()
        self.connection.setObjectName("status-connection")
        self.connection.setAccessibleName(self.tr("Connection to HQ"))
        self.pending = ElidedLabel()
        self.pending.setObjectName("status-pending")
        self.pending.setAccessibleName(self.tr("Changes waiting to be sent"))
        self.last_sync = ElidedLabel()
        self.last_sync.setObjectName("status-last-sync")
        self.refused = QPushButton()
        self.refused.setObjectName("status-refused")
        self.refused.setFlat(True)
        self.refused.setStyleSheet("color: #a00000; font-weight: bold;")
        self.refused.setAccessibleName(self.tr("Changes refused by HQ"))
        self.refused.clicked.connect(self.refused_clicked)
        self.refused.hide()
        # Elided labels: a long text is cut with "…" (whole in the tooltip), never widening the window.
        self.clock = ElidedLabel()
        self.clock.setObjectName("status-clock")
        self.clock.setStyleSheet(WARN_STYLE)
        self.clock.hide()
        self.error = ElidedLabel()
        self.error.setObjectName("status-error")
        self.error.setStyleSheet("color: #555;")
        self.user = ElidedLabel()
        self.user.setObjectName("status-user")
        self.message = ElidedLabel()
        self.message.setObjectName("status-message")
        self.message.setStyleSheet("color: #1b5e20; font-weight: bold;")
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self.message.clear)
        # Permanent widgets: QStatusBar.showMessage would hide ordinary ones, and the connection
        # state must never disappear behind a transient message.
        self._init_disk_warning()
        # Cases HQ could not take back after it was restored from a backup: they need a decision at HQ.
        self.unrepaired = ElidedLabel()
        self.unrepaired.setObjectName("status-unrepaired")
        self.unrepaired.setStyleSheet(WARN_STYLE)
        self.unrepaired.hide()
        for w in (self.connection, self.pending, self.last_sync, self.refused, self.unrepaired, self.clock, self.disk):
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
        state = shown_state(status)
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
        unrepaired = list(getattr(status, "repair_refused", None) or [])
        if unrepaired:
            self.unrepaired.setText(
                self.tr("⚠ %n case(s) HQ lost in its restore could not be taken back: call HQ", "", len(unrepaired))
            )
            lines = [f"{case_id[:8]}…  {reason}" for case_id, reason in unrepaired[:20]]
            self.unrepaired.set_detail_tooltip(
                self.tr("HQ must decide on these cases (hq admin repair-refused lists them):") + "\n" + "\n".join(lines)
            )
        self.unrepaired.setVisible(bool(unrepaired))
        skew = getattr(status, "clock_skew_s", None)
        if skew is not None:
            self.clock.setText(
                self.tr("⚠ This PC's clock is off by %1 s from HQ; fix the time").replace("%1", f"{skew:+.0f}")
            )
        self.clock.setVisible(skew is not None)
        error = getattr(status, "last_error", None)
        cause = getattr(status, "error_cause", None)
        # A stale "unreachable" from before the link returned is not shown beside a working link.
        shown = bool(error) and state != "online" and not (state == "syncing" and cause == ErrorCause.UNREACHABLE)
        # The operator reads the cause in the UI language; the sync layer's English text (HQ's or the
        # library's words, for the IT desk) stays in the tooltip.
        self.error.setText(self.error_text(state, cause) if shown else "")
        self.error.set_detail_tooltip(str(error) if shown else "")
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

    # ---- free space in the data folder ------------------------------------------------------------
    def _init_disk_warning(self) -> None:
        self.disk = QLabel()
        self.disk.setObjectName("status-disk")
        self.disk.setStyleSheet(WARN_STYLE)
        self.disk.setAccessibleName(self.tr("Free disk space"))
        self.disk.hide()
        self._disk_timer = QTimer(self)
        self._disk_timer.setInterval(DISK_CHECK_MS)

    def watch_disk(self, taskman: Any, data_dir: Path, warn_bytes: int) -> None:
        """Check the free space in ``data_dir`` now and every ``DISK_CHECK_MS``, on the bulk reader
        thread (``shutil.disk_usage`` may block on a slow or network disk), never the GUI thread."""

        def check() -> None:
            free_disk_bytes(
                data_dir,
                success=lambda free: self.set_disk_free(free, warn_bytes),
                failure=lambda _exc: self.set_disk_free(None, warn_bytes),
            ).run(taskman)

        self._disk_timer.timeout.connect(check)
        self._disk_timer.start()
        check()

    def set_disk_free(self, free_bytes: int | None, warn_bytes: int) -> None:
        """Show the early warning while free space is under ``warn_bytes`` (hidden otherwise)."""
        low = free_bytes is not None and free_bytes < warn_bytes
        if low:
            assert free_bytes is not None
            self.disk.setText(
                self.tr("⚠ Disk almost full: %1 MB free. Free space or call the IT cell before nothing can be saved.")
                .replace("%1", str(free_bytes // (1024 * 1024)))
            )
        self.disk.setVisible(low)
