"""The complaint queue's table model and the countdown's words.

The model holds ``ComplaintRow``s already read (``ui.operations.complaints``); ``tick(now)`` repaints
the countdown and state columns from them every second and re-sorts only when some row's state has
changed (a warning began, a deadline was breached). No store read happens here: a row whose detail
(author, post, replies) is not read yet paints those cells empty until ``details_filled``; its
state, countdown, platform, category and district come from the keys every row is read with.

States are told in words and colours both: "Breached" on red, "Warning" on amber, "On time" plain.
Translation context ``ComplaintModel``.

Threading: GUI thread only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ui.labels import complaint_category_label, platform_label, reply_status_label, sla_state_label
from ui.operations.complaint_queue import state_counts
from ui.operations.complaints import ComplaintFilter, ComplaintRow, arrange, next_change, row_state

BREACH_BG = QColor("#f8d0d0")
BREACH_FG = QColor("#8a1010")
WARNING_BG = QColor("#ffe9b3")
WARNING_FG = QColor("#6b4a00")
EXCERPT_CHARS = 80

AnyIndex = QModelIndex | QPersistentModelIndex


def hms(seconds: float) -> str:
    """``H:MM:SS`` of a non-negative duration."""
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


class ComplaintModel(QAbstractTableModel):
    COL_STATE, COL_DUE, COL_PLATFORM, COL_AUTHOR, COL_TEXT, COL_CATEGORY, COL_DISTRICT, COL_REPLY = range(8)

    def __init__(self, district_name: Any = None) -> None:
        super().__init__()
        self._all: list[ComplaintRow] = []
        self._rows: list[ComplaintRow] = []
        self._filter = ComplaintFilter()
        self._now: datetime | None = None
        self._resort_at: datetime | None = None
        self._district_name = district_name or (lambda code: code or "")
        self.pending_cases: set[str] = set()  # complaints with a reply waiting on this PC
        self._counts: dict[str | None, int] = {}
        self._headers = [
            self.tr("State"),
            self.tr("Deadline"),
            self.tr("Platform"),
            self.tr("Author"),
            self.tr("Text"),
            self.tr("Category"),
            self.tr("District"),
            self.tr("Reply"),
        ]

    # ---- contents ------------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[ComplaintRow], now: datetime) -> None:
        self._all = list(rows)
        self._arrange(now)

    def set_filter(self, flt: ComplaintFilter, now: datetime) -> None:
        self._filter = flt
        self._arrange(now)

    def _arrange(self, now: datetime) -> None:
        self.beginResetModel()
        self._now = now
        self._rows = arrange(self._all, self._filter, now)
        self._resort_at = next_change(self._all, now)
        self._counts = state_counts(self._all, now)  # states change only at ``_resort_at``: not every tick
        self.endResetModel()

    def details_filled(self, now: datetime) -> None:
        """Rows' details were read (``ComplaintRows.fill``): filter again if the text filter, which
        matches only rows with their detail, is set; else repaint."""
        if self._filter.text:
            self._arrange(now)
        elif self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self._headers) - 1))

    def tick(self, now: datetime) -> bool:
        """Repaint the countdowns at ``now``; re-sort (and re-filter) when a state changed. True if
        it re-sorted."""
        if self._resort_at is not None and now >= self._resort_at:
            self._arrange(now)
            return True
        self._now = now
        if self._rows:
            self.dataChanged.emit(
                self.index(0, self.COL_STATE), self.index(len(self._rows) - 1, self.COL_DUE),
                [Qt.ItemDataRole.DisplayRole],
            )  # fmt: skip
        return False

    @property
    def rows(self) -> list[ComplaintRow]:
        return self._rows

    @property
    def all_rows(self) -> list[ComplaintRow]:
        return self._all

    def row_at(self, r: int) -> ComplaintRow:
        return self._rows[r]

    def row_of(self, case_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.case_id == case_id), -1)

    def counts(self) -> dict[str | None, int]:
        """Open complaints by state at the model's time (all, not only the filtered ones)."""
        return dict(self._counts)

    # ---- words -----------------------------------------------------------------------------------------
    def countdown(self, row: ComplaintRow, now: datetime) -> str:
        if row.due_ts == float("inf"):
            return self.tr("no deadline open")
        # the soonest open deadline's due time, kept with the row's keys (its detail may not be read
        # yet); rounded to the microsecond ``datetime`` arithmetic would give
        left = round(row.due_ts - now.timestamp(), 6)
        if left >= 0:
            return self.tr("%1 left").replace("%1", hms(left))
        return self.tr("breached %1 ago").replace("%1", hms(-left))

    # ---- Qt model --------------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._now is None:
            return None
        row = self._rows[index.row()]
        col = index.column()
        if not row.has_detail and col in (self.COL_AUTHOR, self.COL_TEXT, self.COL_REPLY):
            return None  # read on a worker in a moment (``ComplaintRows.fill``), then repainted
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_TEXT:
            return row.text[:1000]
        if role == Qt.ItemDataRole.UserRole:
            return row.case_id
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole) and col in (
            self.COL_STATE, self.COL_DUE,
        ):  # fmt: skip
            state = row_state(row, self._now)
            bg = role == Qt.ItemDataRole.BackgroundRole
            if state == "breached":
                return QBrush(BREACH_BG if bg else BREACH_FG)
            if state == "warning":
                return QBrush(WARNING_BG if bg else WARNING_FG)
        return None

    def _text(self, row: ComplaintRow, col: int) -> str:
        assert self._now is not None
        if col == self.COL_STATE:
            return sla_state_label(row_state(row, self._now))
        if col == self.COL_DUE:
            return self.countdown(row, self._now)
        if col == self.COL_PLATFORM:
            return platform_label(row.platform)
        if col == self.COL_AUTHOR:
            return row.author_handle or ""
        if col == self.COL_TEXT:
            return " ".join(row.text.split())[:EXCERPT_CHARS]
        if col == self.COL_CATEGORY:
            return complaint_category_label(row.category)
        if col == self.COL_DISTRICT:
            return str(self._district_name(row.district)) if row.district else self.tr("Not routed")
        if col == self.COL_REPLY:
            if row.case_id in self.pending_cases:
                return reply_status_label("not_sent")
            return reply_status_label(row.reply_state)
        return ""


__all__ = ["ComplaintModel", "hms"]
