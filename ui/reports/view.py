"""The Reports view: a period, a scope, one tab per report kind (``ui.reports.tabs.REPORT_TABS``), the
source of the figures always said above them, and exports (CSV, Excel, PDF) with progress and cancel.

Every load and export goes through ``ui.operations.reports`` on worker threads; this widget only
builds queries, paints results and turns failures into sentences. A district user sees its own district
(``district`` given); HQ and supervisors see the state and may narrow it to a range or a district (the
choices come from the state's outcomes report, so no other call is needed to list them).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QTabBar,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.reports import OutcomeReport, ReportQuery, ReportSource
from ui.operations.base import TaskManager, alive
from ui.operations.reports import (
    ExportCancelled,
    ExportFormat,
    ExportJob,
    Report,
    ReportLoader,
    SeriesPoint,
    export_report,
    load_report,
    load_series,
    refused_by_hq,
)
from ui.reports.exports import write_csv, write_xlsx
from ui.reports.pdf import write_pdf
from ui.reports.period import PeriodPicker
from ui.reports.tables import ExportDocument, definitions, header_lines, names_of, source_text
from ui.reports.tabs import REPORT_TABS, ReportTab

FILE_FILTERS = {ExportFormat.CSV: "CSV (*.csv)", ExportFormat.XLSX: "Excel (*.xlsx)", ExportFormat.PDF: "PDF (*.pdf)"}


# Extra height for each tab: an unselected tab is drawn 2 px lower and clipped to its size hint, which the
# primary (Latin) font sets, so the curl of a Devanagari i-matra (परिणाम, स्थिति) was cut off.
TAB_EXTRA_HEIGHT_PX = 6


class ReportTabBar(QTabBar):
    def tabSizeHint(self, index: int) -> QSize:
        size = super().tabSizeHint(index)
        return QSize(size.width(), size.height() + TAB_EXTRA_HEIGHT_PX)


class ReportsView(QWidget):
    case_requested = Signal(str)
    export_finished = Signal(str)  # the path written, or "" when cancelled or failed

    def __init__(
        self,
        loader: ReportLoader,
        taskman: TaskManager,
        *,
        district: str | None = None,
        names: dict[str, str] | None = None,
        today: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.loader = loader
        self.taskman = taskman
        self.district = district
        self.names: dict[str, str] = dict(names or {})
        self.reports: dict[str, Report] = {}
        self._loaded_query: dict[str, ReportQuery] = {}
        self.job: ExportJob | None = None
        self._series_superseded = threading.Event()
        self.setWindowTitle(self.tr("Reports — Rakshak"))
        self.setObjectName("reports-view")

        self.source = QLabel()
        self.source.setWordWrap(True)
        self.source.setObjectName("report-source")
        self.source.setAccessibleName(self.tr("Source of the figures"))
        self.period = PeriodPicker(today)
        self.scope = QComboBox()
        self.scope.setAccessibleName(self.tr("Scope"))
        self.scope.setMinimumContentsLength(18)
        self.scope.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        if district:
            self.scope.addItem(
                self.tr("District: %1").replace("%1", self.names.get(district, district)), ("district", district)
            )
            self.scope.setEnabled(False)
        else:
            self.scope.addItem(self.tr("Whole state"), ("state", None))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setAccessibleName(self.tr("Refresh"))
        self.export_button = QToolButton()
        self.export_button.setText(self.tr("Export…"))
        self.export_button.setAccessibleName(self.tr("Export"))
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        for fmt, text in (
            (ExportFormat.CSV, self.tr("CSV (Excel, UTF-8)")),
            (ExportFormat.XLSX, self.tr("Excel (.xlsx)")),
            (ExportFormat.PDF, self.tr("PDF")),
        ):
            action = QAction(text, menu)
            action.triggered.connect(lambda _c=False, f=fmt: self.choose_export_file(f))
            menu.addAction(action)
        self.export_button.setMenu(menu)

        controls = QHBoxLayout()
        controls.addWidget(self.period)
        controls.addWidget(self.scope)
        controls.addStretch(1)
        controls.addWidget(self.refresh_button)
        controls.addWidget(self.export_button)

        self.tabs = QTabWidget()
        self.tabs.setTabBar(ReportTabBar())
        self.tabs.setAccessibleName(self.tr("Reports"))
        self.tab_by_kind: dict[str, ReportTab] = {}
        for cls in REPORT_TABS:
            tab = cls(self.names)
            tab.case_requested.connect(self.case_requested)
            self.tab_by_kind[cls.kind] = tab
            self.tabs.addTab(tab, tab.title())

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Export progress"))
        self.cancel_button = QPushButton(self.tr("Cancel export"))
        self.cancel_button.setAccessibleName(self.tr("Cancel export"))
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()

        box = QVBoxLayout(self)
        box.addWidget(self.source)
        box.addLayout(controls)
        box.addWidget(self.tabs, 1)
        box.addLayout(bottom)

        self.period.changed.connect(self.refresh)
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.tabs.currentChanged.connect(lambda _i: self.load_current())
        self.cancel_button.clicked.connect(self.cancel_export)
        self.resize(1200, 700)
        self.refresh()

    # ---- queries ------------------------------------------------------------------------------------
    def query(self) -> ReportQuery:
        date_from, date_to = self.period.period()
        level, code = self.scope.currentData() or ("state", None)
        return ReportQuery(
            date_from, date_to, district=code if level == "district" else None, range=code if level == "range" else None
        )

    def current_tab(self) -> ReportTab:
        widget = self.tabs.currentWidget()
        assert isinstance(widget, ReportTab)
        return widget

    def refresh(self) -> None:
        """Forget what was loaded and load the shown tab for the current period and scope."""
        self._loaded_query.clear()
        self.load_current()

    def load_current(self) -> None:
        tab = self.current_tab()
        query = self.query()
        if self._loaded_query.get(tab.kind) == query:
            self._show_source(tab.kind)
            return
        self._loaded_query[tab.kind] = query
        self.reports.pop(tab.kind, None)
        tab.clear()
        self.source.setText(self.tr("Loading…"))
        self.source.setStyleSheet("padding:4px;")
        self.status.clear()
        op = load_report(self.loader, tab.kind, query)
        op.success = lambda report, kind=tab.kind: self._loaded(kind, query, report)
        op.failure = lambda exc, kind=tab.kind: self._failed(kind, exc)
        op.run(self.taskman)
        if tab.wants_series:
            tab.show_series([])
            self._series_superseded.set()  # an older series still loading stops at its next bucket
            self._series_superseded = threading.Event()
            series = load_series(self.loader, query, self._series_superseded)
            series.success = lambda points, t=tab: self._series_loaded(t, points)
            series.failure = lambda exc: None  # the table's own load reports the cause
            series.run(self.taskman)

    def _loaded(self, kind: str, query: ReportQuery, report: Report) -> None:
        if not alive(self) or self._loaded_query.get(kind) != query:
            return
        self.reports[kind] = report
        self.names.update(names_of(getattr(report, "rows", ())))  # state-wide reports have no district rows
        state_wide = self.district is None and query.district is None and query.range is None
        if isinstance(report, OutcomeReport) and state_wide:
            self._offer_scopes(report)
        self.tab_by_kind[kind].show_report(report)
        self._show_source(kind)

    def _series_loaded(self, tab: ReportTab, points: list[SeriesPoint]) -> None:
        if alive(self) and alive(tab):
            tab.show_series(points)

    def _failed(self, kind: str, exc: BaseException) -> None:
        if not alive(self):
            return
        self._loaded_query.pop(kind, None)
        self.source.setText(self.tr("No figures shown."))
        self.status.setText(self.load_error_text(exc))

    def load_error_text(self, exc: BaseException) -> str:
        refused = refused_by_hq(exc)
        if refused is not None and refused[0] in (401, 403):
            return self.tr("HQ does not allow this report for your role or scope.")
        if refused is not None:
            return self.tr("HQ refused the report: %1").replace("%1", refused[1])
        return self.tr("The report could not be computed: %1").replace("%1", str(exc))

    def _show_source(self, kind: str) -> None:
        report = self.reports.get(kind)
        if report is None:
            return
        self.source.setText(source_text(report.header))
        replica = report.header.source is ReportSource.REPLICA
        self.source.setStyleSheet("background:#fff3cd; color:#5c4400; padding:4px;" if replica else "padding:4px;")

    def _offer_scopes(self, report: OutcomeReport) -> None:
        """Offer the state's ranges and districts as scopes (from a state-wide outcomes report; a later
        report may add districts, the current choice is kept)."""
        ranges = {d for level, d in self._scope_items() if level == "range"} | {r.range for r in report.rows if r.range}
        districts = {d for level, d in self._scope_items() if level == "district"}
        districts |= {r.district for r in report.rows}
        if len(ranges) + len(districts) + 1 == self.scope.count():
            return
        current = self.scope.currentData()
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem(self.tr("Whole state"), ("state", None))
        for rng in sorted(str(r) for r in ranges):
            self.scope.addItem(self.tr("Range: %1").replace("%1", rng), ("range", rng))
        for code in sorted(districts, key=lambda c: self.names.get(c, c)):
            self.scope.addItem(self.tr("District: %1").replace("%1", self.names.get(code, code)), ("district", code))
        self.scope.setCurrentIndex(max(0, self.scope.findData(current)))
        self.scope.blockSignals(False)

    def _scope_items(self) -> list[tuple[str, str]]:
        return [d for d in (self.scope.itemData(i) for i in range(self.scope.count())) if d and d[1]]

    # ---- exports ------------------------------------------------------------------------------------
    def document(self, kind: str | None = None) -> ExportDocument:
        """What an export of the shown tab writes, built here on the GUI thread (translated words)."""
        tab = self.tab_by_kind[kind] if kind else self.current_tab()
        report = self.reports[tab.kind]
        return ExportDocument(
            title=tab.title(),
            header=header_lines(tab.title(), report.header, self.names),
            tables=tab.tables(report),
            definitions=definitions(tab.kind),
            charts=tab.charts(),
        )

    def choose_export_file(self, fmt: str) -> None:
        tab = self.current_tab()
        if tab.kind not in self.reports:
            self.status.setText(self.tr("Nothing to export: no figures are shown yet."))
            return
        fmt = ExportFormat(fmt)
        q = self.query()
        suggested = f"rakshak-{tab.kind}-{q.date_from.isoformat()}-{q.date_to.isoformat()}.{fmt.value}"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export report"), suggested, FILE_FILTERS[fmt])
        if path:
            self.export(fmt, Path(path))

    def export(self, fmt: str, path: Path, job: ExportJob | None = None) -> ExportJob | None:
        """Write the shown tab's report to ``path`` off the GUI thread; progress and cancel below the tabs.
        ``job``: the progress and cancel switch to use (a new one by default)."""
        if self.job is not None:
            self.status.setText(self.tr("An export is already running."))
            return None
        tab = self.current_tab()
        if tab.kind not in self.reports:
            return None
        fmt = ExportFormat(fmt)
        doc = self.document()
        report = self.reports[tab.kind]
        writer = self._writer(fmt, doc)
        job = job or ExportJob(self)
        self.job = job
        job.progress.connect(self._progress)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.status.setText(self.tr("Exporting…"))
        op = export_report(self.loader, tab.kind, report.header.query, fmt, path, writer, job)
        op.success = self._exported
        op.failure = self._export_failed
        op.run(self.taskman)
        return job

    def _writer(self, fmt: ExportFormat, doc: ExportDocument) -> Callable[[Path, ExportJob], None]:
        if fmt is ExportFormat.CSV:
            return lambda p, j: write_csv(doc, p, j)
        if fmt is ExportFormat.XLSX:
            return lambda p, j: write_xlsx(doc, p, j)
        families = self.font().families() or [self.font().family()]
        return lambda p, j: write_pdf(doc, p, j, families)

    def _progress(self, done: int, total: int) -> None:
        if alive(self):
            self.progress.setRange(0, max(1, total))
            self.progress.setValue(done)

    def cancel_export(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.status.setText(self.tr("Cancelling…"))

    def _end_export(self) -> None:
        self.job = None
        self.progress.hide()
        self.cancel_button.hide()

    def _exported(self, path: Path) -> None:
        if not alive(self):
            return
        self._end_export()
        self.status.setText(self.tr("Saved: %1").replace("%1", str(path)))
        self.export_finished.emit(str(path))

    def _export_failed(self, exc: BaseException) -> None:
        if not alive(self):
            return
        self._end_export()
        if isinstance(exc, ExportCancelled):
            self.status.setText(self.tr("Export cancelled: no file was written."))
        elif isinstance(exc, OSError):
            self.status.setText(self.tr("The file could not be written: %1").replace("%1", str(exc)))
        else:
            self.status.setText(self.tr("Export failed: %1").replace("%1", str(exc)))
        self.export_finished.emit("")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel_export()
        self._series_superseded.set()
        super().closeEvent(event)


__all__ = ["ReportsView"]
