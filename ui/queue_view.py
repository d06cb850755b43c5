"""The queue: filter bar (status, kind, police station, search) above the table of cases.

The view never queries the store: filters become a ``QueueFilter`` handed to ``QueueModel``, which
loads on the DB worker. Search is debounced so typing a name does not fire a query per keystroke.
Where complaints have their own tab (``ui.district_layout.console_tabs``), ``hide_complaints`` puts
"All but complaints" first in the kind list and shows it: the queue is the suicide alerts' (and
tips'), not buried under citizens' complaints; "All kinds" and "Complaint" still list them.
"Follow-ups due" (in the status list) shows cases, open or closed, with an open follow-up due by the
end of today, local time; the bound is recomputed at every refresh, so it moves on at midnight.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.events import iso
from ui.context import ApplicationContext
from ui.labels import KIND_CODES, STATUS_CODES, kind_label, status_label
from ui.models import QueueModel
from ui.operations.cases import QueueFilter, stations

SEARCH_DEBOUNCE_MS = 250
STATIONS_REFRESH_MS = 10 * 60_000
STATIONS_FIRST_DELAY_MS = 1000
OPEN = "__open__"
ALL = "__all__"
FOLLOW_UPS_DUE = "__follow_ups_due__"
ALL_BUT_COMPLAINTS = "__all_but_complaints__"


def follow_ups_due_by(now: datetime | None = None) -> str:
    """The end of the local day containing ``now`` (default: now), as UTC text for the store."""
    local = (now or datetime.now().astimezone()).astimezone()
    end_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return iso(end_of_day - timedelta(milliseconds=1))


class QueueView(QWidget):
    case_selected = Signal(str)  # case id ("" when nothing is selected)

    def __init__(self, ctx: ApplicationContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.model = QueueModel(ctx, self)
        self._selected_id = ""
        self.district: str | None = None  # HQ: one district's cases (``show_district``), None for all
        # The station list is a scan of every case: load it once, then every STATIONS_REFRESH_MS.
        self._stations_loaded = False
        self._stations_timer = QTimer(self)
        self._stations_timer.setInterval(STATIONS_REFRESH_MS)
        self._stations_timer.timeout.connect(self._load_stations)
        self._stations_timer.start()

        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName(self.tr("Filter by status"))
        self.status_filter.addItem(self.tr("Open cases"), OPEN)
        self.status_filter.addItem(self.tr("All cases"), ALL)
        self.status_filter.addItem(self.tr("Follow-ups due"), FOLLOW_UPS_DUE)
        for code in STATUS_CODES:
            self.status_filter.addItem(status_label(code), code)

        self.kind_filter = QComboBox()
        self.kind_filter.setAccessibleName(self.tr("Filter by kind"))
        self.kind_filter.addItem(self.tr("All kinds"), ALL)
        for code in KIND_CODES:
            self.kind_filter.addItem(kind_label(code), code)

        self.station_filter = QComboBox()
        self.station_filter.setAccessibleName(self.tr("Filter by police station"))
        self.station_filter.addItem(self.tr("All police stations"), ALL)
        self.station_filter.setMinimumContentsLength(14)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search name, phone, reference, post text  (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search cases"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)

        self.count_label = QLabel()
        self.count_label.setAccessibleName(self.tr("Number of cases"))

        bar = QHBoxLayout()
        bar.addWidget(self.status_filter)
        bar.addWidget(self.kind_filter)
        bar.addWidget(self.station_filter)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.count_label)

        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Case queue"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((112, 64, 104, 96, 110, 170, 80)):
            self.table.setColumnWidth(col, width)
        # A district console sees only its own district's cases; HQ sees every district's.
        self.table.setColumnHidden(QueueModel.COL_DISTRICT, bool(ctx.district))
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table)

        for combo in (self.status_filter, self.kind_filter, self.station_filter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.model.loaded.connect(self._after_load)
        self.model.total_changed.connect(self._show_total)

    # ---- filters -----------------------------------------------------------------------------------
    def current_filter(self) -> QueueFilter:
        status = self.status_filter.currentData()
        kind = self.kind_filter.currentData()
        station = self.station_filter.currentData()
        text = self.search.text().strip()
        statuses = None
        include_closed = False
        due_by = None
        if status == FOLLOW_UPS_DUE:
            due_by = follow_ups_due_by()
        elif status == ALL:
            include_closed = True
        elif status != OPEN:
            statuses = frozenset({status})
            include_closed = status == "closed"
        kinds = None if kind == ALL else frozenset({kind})
        if kind == ALL_BUT_COMPLAINTS:
            kinds = frozenset(KIND_CODES) - {"complaint"}
        return QueueFilter(
            statuses=statuses,
            kinds=kinds,
            police_station=None if station == ALL else station,
            district=self.district,
            search=text or None,
            include_closed=include_closed,
            follow_ups_due_by=due_by,
        )

    def hide_complaints(self) -> None:
        """Leave complaints out by default ("All but complaints", chosen); before the first load it only
        sets the filter the first refresh uses, so the queue is not read twice at start."""
        if self.kind_filter.findData(ALL_BUT_COMPLAINTS) < 0:
            self.kind_filter.blockSignals(True)
            self.kind_filter.insertItem(0, self.tr("All but complaints"), ALL_BUT_COMPLAINTS)
            self.kind_filter.setCurrentIndex(0)
            self.kind_filter.blockSignals(False)
        self.model.set_filter(self.current_filter(), load=self.model.load_requested)

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())

    def show_district(self, code: str | None) -> None:
        """Show only ``code``'s cases (None: every district's), keeping the other filters."""
        self.district = code
        self.apply_filter()

    def refresh(self) -> None:
        flt = self.model.queue_filter
        if flt.follow_ups_due_by is not None and flt.follow_ups_due_by != follow_ups_due_by():
            self.model.set_filter(replace(flt, follow_ups_due_by=follow_ups_due_by()))  # a new day
        else:
            self.model.refresh()
        if not self._stations_loaded:
            self._stations_loaded = True
            QTimer.singleShot(STATIONS_FIRST_DELAY_MS, self, self._load_stations)  # after the first page

    def _load_stations(self) -> None:
        if not self.isVisible():
            return  # the window closed before the delayed first load
        stations(self._ctx, success=self._set_stations).run(self._ctx.taskman)

    def _set_stations(self, stations: list[str]) -> None:
        current = self.station_filter.currentData()
        have = [self.station_filter.itemData(i) for i in range(1, self.station_filter.count())]
        if have == stations:
            return
        self.station_filter.blockSignals(True)
        self.station_filter.clear()
        self.station_filter.addItem(self.tr("All police stations"), ALL)
        for code in stations:
            self.station_filter.addItem(self._ctx.places.name(code), code)
            self.station_filter.setItemData(self.station_filter.count() - 1, code, Qt.ItemDataRole.ToolTipRole)
        i = self.station_filter.findData(current)
        self.station_filter.setCurrentIndex(max(0, i))
        self.station_filter.blockSignals(False)

    def refresh_station_names(self) -> None:
        """Place names changed: relabel the police station filter (its data stays the codes)."""
        for i in range(1, self.station_filter.count()):
            code = self.station_filter.itemData(i)
            self.station_filter.setItemText(i, self._ctx.places.name(code))

    def _show_total(self, total: int) -> None:
        self.count_label.setText(self.tr("%n case(s)", "", total))

    # ---- selection ---------------------------------------------------------------------------------
    def selected_case_id(self) -> str:
        return self._selected_id

    def select_case(self, case_id: str) -> None:
        row = self.model.row_of(case_id)
        if row < 0 and case_id:
            # Not loaded yet (a new case, the refresh is on its way): selected when its page arrives
            # (``_after_load``), so the queue never highlights another case than the detail shows.
            self._selected_id = case_id
            self.table.clearSelection()
        if row >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(self.model.index(row, 0))

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        case_id = current.data(QueueModel.CASE_ID_ROLE) if current.isValid() else ""
        if case_id and case_id != self._selected_id:
            self._selected_id = case_id
            self.case_selected.emit(case_id)

    def _after_load(self) -> None:
        # A reset drops the selection: put it back on the same case, or select the first row.
        if self._selected_id and self.model.row_of(self._selected_id) >= 0:
            self.table.selectionModel().blockSignals(True)
            self.select_case(self._selected_id)
            self.table.selectionModel().blockSignals(False)
        elif self.model.rowCount() and not self._selected_id:
            self.select_case(self.model.case_row(0).case_id)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
