"""The queue model: one table row per case, fetched page by page from the store on the DB worker.

With 100,000 cases the model never holds them all: ``refresh`` loads the count and the first page;
the view's scrolling calls ``canFetchMore``/``fetchMore``, which load the next page. Order and
filtering are the store's (``CaseRepository.queue``: unacknowledged suicide-risk first, then
priority, then age), so the view never sorts.

Every load is a ``QueryOp`` whose result carries the model's load generation: a page that comes
back after the filter changed (or after a newer refresh) is dropped, never appended to the wrong list.

Threading: the model lives on the GUI thread; only the lambdas passed to ``QueryOp`` run on the DB
worker, and they touch nothing but the store.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from ui.context import ApplicationContext
from ui.labels import age_text, kind_label, status_label
from ui.operations.cases import QueueFilter, queue_count, queue_page
from ui.tips.queue import TipColumn

PAGE_SIZE = 200
AGE_REFRESH_MS = 30_000
HIDDEN = "••••••"

Index = QModelIndex | QPersistentModelIndex

ALARM_BG = QColor("#f8d7da")
ALARM_FG = QColor("#7a0010")


class QueueModel(QAbstractTableModel):
    """Columns: kind, age, status, district, police station, subject, sync state.

    District and police station show names (``ApplicationContext.places``), the code in the tooltip.
    The queue view hides the district column on a district console (every case there is its own).
    """

    COL_KIND, COL_AGE, COL_STATUS, COL_DISTRICT, COL_STATION, COL_SUBJECT, COL_SYNC = range(7)
    COLUMNS = 7
    CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
    ROW_ROLE = Qt.ItemDataRole.UserRole + 2

    loaded = Signal()  # a refresh's rows are shown
    total_changed = Signal(int)  # the exact count for the current filter (arrives after the rows)

    def __init__(self, ctx: ApplicationContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._rows: list[Any] = []
        self._total = 0
        self._filter = QueueFilter()
        self._fetching = False
        self._more_possible = False
        self._private_hidden = False
        self._generation = 0
        self._loaded_once = False
        self._tips = TipColumn(ctx, self._repaint_tip_columns)
        self._age_timer = QTimer(self)
        self._age_timer.setInterval(AGE_REFRESH_MS)
        self._age_timer.timeout.connect(self._tick_ages)
        self._age_timer.start()

    # ---- Qt model API ------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            self.tr("Kind"),
            self.tr("Age"),
            self.tr("Status"),
            self.tr("District"),
            self.tr("Police station"),
            self.tr("Subject"),
            self.tr("Sync"),
        )[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == self.CASE_ID_ROLE:
            return row.case_id
        if role == self.ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.BackgroundRole and row.needs_alarm:
            return QBrush(ALARM_BG)
        if role == Qt.ItemDataRole.ForegroundRole and row.needs_alarm:
            return QBrush(ALARM_FG)
        if role == Qt.ItemDataRole.FontRole and row.needs_alarm:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and col in (self.COL_DISTRICT, self.COL_STATION):
            code = row.district if col == self.COL_DISTRICT else row.police_station
            return code or None
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_SYNC and row.rejected_count:
            return self.tr("HQ refused %n change(s); open the case to see why", "", row.rejected_count)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(row, col)
        return None

    def _display(self, row: Any, col: int) -> str:
        if col == self.COL_KIND:
            label = kind_label(row.kind)
            return f"⚠ {label}" if row.needs_alarm else label
        if col == self.COL_AGE:
            return age_text(row.received_at)
        if col == self.COL_STATUS:
            if row.kind == "tip":  # the tip's own status, not the siren workflow's (``ui.tips.queue``);
                # the case's status until its facts are read, and for a tip filed without tip-line facts
                return self._tips.status(row.case_id) or status_label(row.status)
            return status_label(row.status)
        if col == self.COL_DISTRICT:
            return self._ctx.places.name(row.district)
        if col == self.COL_STATION:
            return self._ctx.places.name(row.police_station)
        if col == self.COL_SUBJECT:
            if row.purged:
                return self.tr("(removed: case moved out of this district)")
            if self._private_hidden:
                return HIDDEN
            if row.kind == "tip":  # category and pseudonym (``ui.tips.queue``)
                return self._tips.text(row.case_id) or row.subject_name or ""
            return row.subject_name or ""
        if col == self.COL_SYNC:
            if row.rejected_count:
                return self.tr("refused (%n)", "", row.rejected_count)
            if row.pending_count:
                return self.tr("pending (%n)", "", row.pending_count)
            return self.tr("synced")
        return ""

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._loaded_once and not self._fetching and self._more_possible

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        gen = self._generation
        flt = self._filter
        offset = len(self._rows)
        def done(page: list[Any]) -> None:
            self._fetching = False
            if gen != self._generation or offset != len(self._rows):
                return  # a refresh replaced the list meanwhile
            self._more_possible = len(page) == PAGE_SIZE
            if not page:
                return
            self.beginInsertRows(QModelIndex(), offset, offset + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()
            self._tips.want(page)

        def failed(exc: BaseException) -> None:
            self._fetching = False
            self._ctx.taskman.report(exc)

        queue_page(self._ctx, flt, limit=PAGE_SIZE, offset=offset, success=done, failure=failed).run(self._ctx.taskman)

    # ---- public API --------------------------------------------------------------------------------
    @property
    def queue_filter(self) -> QueueFilter:
        return self._filter

    @property
    def total(self) -> int:
        return self._total

    @property
    def load_requested(self) -> bool:
        """Whether rows were ever asked for (a load may still be on its way)."""
        return self._generation > 0

    def set_filter(self, flt: QueueFilter, *, load: bool = True) -> None:
        """Show the cases ``flt`` selects; ``load=False`` only sets it for the next ``refresh``."""
        if flt == self._filter:
            return
        self._filter = flt
        if load:
            self.refresh(keep_loaded=False)

    def refresh(self, keep_loaded: bool = True) -> None:
        """Reload rows, then the count. With ``keep_loaded``, reload as many rows as are shown (a change).

        Rows come first and are painted as soon as they arrive; the exact count follows in a second
        query, so a filter that matches little never waits for a count over every case.
        """
        self._generation += 1
        gen = self._generation
        flt = self._filter
        limit = max(PAGE_SIZE, len(self._rows)) if keep_loaded else PAGE_SIZE
        def done(rows: list[Any]) -> None:
            if gen != self._generation:
                return
            self.beginResetModel()
            self._rows = rows
            self._more_possible = len(rows) == limit
            self._fetching = False
            self._loaded_once = True
            self.endResetModel()
            self._tips.want(rows)
            self.loaded.emit()

        def counted(total: int) -> None:
            if gen == self._generation:
                self._total = total
                self.total_changed.emit(total)

        queue_page(self._ctx, flt, limit=limit, offset=0, success=done, stamp="queue-refresh").run(self._ctx.taskman)
        queue_count(self._ctx, flt, success=counted).run(self._ctx.taskman)

    def set_private_hidden(self, hidden: bool) -> None:
        """Locked console: subject names are replaced by dots (the store is untouched)."""
        if hidden == self._private_hidden:
            return
        self._private_hidden = hidden
        if self._rows:
            self.dataChanged.emit(self.index(0, self.COL_SUBJECT), self.index(len(self._rows) - 1, self.COL_SUBJECT))

    def row_of(self, case_id: str) -> int:
        for i, row in enumerate(self._rows):
            if row.case_id == case_id:
                return i
        return -1

    def case_row(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def names_changed(self) -> None:
        """Place names arrived (``ApplicationContext.places``): repaint the district and station columns."""
        if self._rows:
            self.dataChanged.emit(
                self.index(0, self.COL_DISTRICT), self.index(len(self._rows) - 1, self.COL_STATION)
            )

    def _tick_ages(self) -> None:
        self._repaint_column(self.COL_AGE)

    def _repaint_tip_columns(self) -> None:
        self._repaint_column(self.COL_STATUS)
        self._repaint_column(self.COL_SUBJECT)

    def _repaint_column(self, col: int) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, col), self.index(len(self._rows) - 1, col))
