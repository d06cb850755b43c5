"""The report tabs, one class per report kind, kept in a registry (``REPORT_TABS``): the view builds
one tab per entry, loads its kind and exports what it shows. A later report (tips, complaints) is one
more class here with ``@report_tab``; the view and the exports do not change.

A tab turns a report into ``Table``s (``tables``) and chart data (``charts``), shows them, and asks for
a case by ``case_requested`` (the slowest cases: double-click or Enter).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QLocale, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from core.reports import ConsoleHealthReport, FollowUpReport, OutcomeReport, TimingReport
from ui.operations.reports import Report, ReportKind, SeriesPoint
from ui.reports.charts import BarChartData, BarSeries, ChartView, SpreadChartData, SpreadRow
from ui.reports.tables import (
    Table,
    cell_text,
    followup_table,
    health_table,
    outcome_table,
    slowest_table,
    state_label,
    step_label,
    timing_table,
    total_label,
)

_ModelIndex = QModelIndex | QPersistentModelIndex
HEADER_WRAP_CHARS = 14
RESIZE_SAMPLE_ROWS = 60


class TableModel(QAbstractTableModel):
    """A read-only model over one ``Table``: numbers right-aligned, total rows bold."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table = Table("", (), ())

    def set_table(self, table: Table) -> None:
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.columns)

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.table.columns[index.column()]
        value = self.table.rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cell_text(value, column.kind)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind != "text":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and index.row() >= len(self.table.rows) - self.table.total_rows:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            # wrapped on spaces so twenty columns fit a laptop screen without cutting their titles
            return "\n".join(textwrap.wrap(self.table.columns[section].title, HEADER_WRAP_CHARS)) or ""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return self.table.columns[section].title
        return None


class CaseListView(QTableView):
    """A table whose row opens its case on double-click or Enter."""

    activated_row = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doubleClicked.connect(lambda index: self.activated_row.emit(index.row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


def _table_view(name: str, view: QTableView | None = None) -> tuple[QTableView, TableModel]:
    view = view or QTableView()
    model = TableModel(view)
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setDefaultSectionSize(96)
    # sizing a column reads a sample of rows, not all 456 of a state's timing table (that took ~0.6 s)
    view.horizontalHeader().setResizeContentsPrecision(RESIZE_SAMPLE_ROWS)
    model.modelReset.connect(view.resizeColumnsToContents)
    return view, model


def _titled_table(name: str) -> tuple[QWidget, QLabel, TableModel]:
    """A table under its title, in a box of its own (for a splitter): the box, the title, the model."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    title = QLabel()
    view, model = _table_view(name)
    layout.addWidget(title)
    layout.addWidget(view, 1)
    return box, title, model


def _with_notes(view: QTableView, model: TableModel) -> QWidget:
    """The table with its footnotes under it (``Table.notes``: a figure not known, and why)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    notes = QLabel()
    notes.setWordWrap(True)
    notes.setAccessibleName(f"{view.accessibleName()} notes")
    notes.hide()
    layout.addWidget(view, 1)
    layout.addWidget(notes)

    def update() -> None:
        notes.setText("\n".join(model.table.notes))
        notes.setVisible(bool(model.table.notes))

    model.modelReset.connect(update)
    return box


class ReportTab(QWidget):
    """One report kind's tab. Subclasses set ``kind`` and implement ``title``, ``tables``, ``show``."""

    kind: str = ""
    wants_series = False  # True: the view also loads alerts/lives saved per week or month for it
    case_requested = Signal(str)

    def __init__(self, names: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names = names
        self.report: Report | None = None

    def title(self) -> str:
        raise NotImplementedError

    def tables(self, report: Report) -> tuple[Table, ...]:
        raise NotImplementedError

    def charts(self) -> tuple[BarChartData | SpreadChartData, ...]:
        return ()

    def show_report(self, report: Report) -> None:
        self.report = report
        self._show(self.tables(report))

    def clear(self) -> None:
        """Show nothing: a new period or scope is loading, or its load failed (never older figures)."""
        self.report = None
        for model in self.findChildren(TableModel):
            model.set_table(Table("", (), ()))

    def _show(self, tables: tuple[Table, ...]) -> None:
        raise NotImplementedError

    def show_series(self, points: list[SeriesPoint]) -> None:
        """Alerts and lives saved per bucket (only tabs with ``wants_series``)."""


REPORT_TABS: list[type[ReportTab]] = []


def report_tab(cls: type[ReportTab]) -> type[ReportTab]:
    """Register a tab class; tabs appear in registration order."""
    REPORT_TABS.append(cls)
    return cls


class _SingleTableTab(ReportTab):
    def __init__(self, names: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(names, parent)
        self.view, self.model = _table_view(self.title())
        QVBoxLayout(self).addWidget(_with_notes(self.view, self.model))

    def _show(self, tables: tuple[Table, ...]) -> None:
        self.model.set_table(tables[0])


@report_tab
class OutcomesTab(ReportTab):
    kind = ReportKind.OUTCOMES
    wants_series = True

    def __init__(self, names: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(names, parent)
        self.view, self.model = _table_view(self.title())
        self.chart = ChartView(self._bars([]))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(_with_notes(self.view, self.model))
        split.addWidget(self.chart)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        QVBoxLayout(self).addWidget(split)
        self.points: list[SeriesPoint] = []

    def title(self) -> str:
        return self.tr("Outcomes")

    def tables(self, report: Report) -> tuple[Table, ...]:
        assert isinstance(report, OutcomeReport)
        return (outcome_table(report),)

    def _show(self, tables: tuple[Table, ...]) -> None:
        self.model.set_table(tables[0])

    def _bars(self, points: list[SeriesPoint]) -> BarChartData:
        weekly = bool(points) and (points[-1].start - points[0].start).days < 7 * len(points)
        fmt = "d MMM" if weekly else "MMM yy"
        labels = tuple(_short_date(p.start, fmt) for p in points)
        return BarChartData(
            self.tr("Alerts and lives saved per week") if weekly else self.tr("Alerts and lives saved per month"),
            labels,
            (
                BarSeries(self.tr("Alerts"), tuple(p.alerts for p in points), "#5b7fa6"),
                BarSeries(self.tr("Lives saved"), tuple(p.lives_saved for p in points), "#2e8b57"),
            ),
            self.tr("Loading…") if not points else "",
        )

    def show_series(self, points: list[SeriesPoint]) -> None:
        self.points = points
        self.chart.set_data(self._bars(points))

    def charts(self) -> tuple[BarChartData | SpreadChartData, ...]:
        return (self.chart.data,) if self.points else ()


def _min(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 60.0


def _short_date(day: Any, fmt: str) -> str:
    return QLocale().toString(QDate(day.year, day.month, day.day), fmt)


@report_tab
class TimingTab(ReportTab):
    kind = ReportKind.TIMING

    def __init__(self, names: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(names, parent)
        self.view, self.model = _table_view(self.title())
        self.slowest_view, self.slowest_model = _table_view(self.tr("Slowest cases"), CaseListView())
        self.slowest_view.activated_row.connect(self._open_row)  # type: ignore[attr-defined]
        self.chart = ChartView(self._spread(None, None))
        self.view.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.slowest_label = QLabel(self.tr("Slowest cases (double-click or Enter opens the case)"))
        lower = QWidget()
        lower_box = QVBoxLayout(lower)
        lower_box.setContentsMargins(0, 0, 0, 0)
        lower_box.addWidget(self.slowest_label)
        lower_box.addWidget(self.slowest_view)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.chart)
        bottom.addWidget(lower)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(bottom)
        QVBoxLayout(self).addWidget(split)

    def title(self) -> str:
        return self.tr("Chain timing")

    def tables(self, report: Report) -> tuple[Table, ...]:
        assert isinstance(report, TimingReport)
        return timing_table(report), slowest_table(report, self.names)

    def _show(self, tables: tuple[Table, ...]) -> None:
        self.model.set_table(tables[0])
        self.slowest_model.set_table(tables[1])
        self.chart.set_data(self._spread(self.report, None))

    def clear(self) -> None:
        super().clear()
        self.chart.set_data(self._spread(None, None))

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """The chart follows the table: a district's row shows that district's steps, a total row the total."""
        report = self.report
        if not isinstance(report, TimingReport) or not current.isValid():
            return
        row, index = current.row(), None
        for i, district in enumerate(report.rows):
            if row < len(district.steps):
                index = i
                break
            row -= len(district.steps)
        self.chart.set_data(self._spread(report, index))

    def _spread(self, report: Report | None, district: int | None) -> SpreadChartData:
        rows: tuple[SpreadRow, ...] = ()
        name = state_label()
        if isinstance(report, TimingReport):
            steps = report.total if district is None else report.rows[district].steps
            name = total_label(report.header.query) if district is None else report.rows[district].district_name
            rows = tuple(
                SpreadRow(step_label(s.step), _min(s.p50_s), _min(s.p90_s), _min(s.p99_s), _min(s.target_s))
                for s in steps
            )
        return SpreadChartData(
            self.tr("Time each step took (%1)").replace("%1", name),
            rows,
            self.tr("minutes (log scale)"),
            (self.tr("p50"), self.tr("p50–p90, line to p99"), self.tr("target")),
            self.tr("No step reached in this period") if report is not None else self.tr("Loading…"),
        )

    def charts(self) -> tuple[BarChartData | SpreadChartData, ...]:
        return (self.chart.data,) if self.report is not None else ()

    def _open_row(self, row: int) -> None:
        ids = self.slowest_model.table.case_ids
        if 0 <= row < len(ids):
            self.case_requested.emit(ids[row])


@report_tab
class ConsoleHealthTab(_SingleTableTab):
    kind = ReportKind.CONSOLE_HEALTH

    def title(self) -> str:
        return self.tr("Console health")

    def tables(self, report: Report) -> tuple[Table, ...]:
        assert isinstance(report, ConsoleHealthReport)
        return (health_table(report),)


@report_tab
class FollowUpsTab(_SingleTableTab):
    kind = ReportKind.FOLLOW_UPS

    def title(self) -> str:
        return self.tr("Follow-ups")

    def tables(self, report: Report) -> tuple[Table, ...]:
        assert isinstance(report, FollowUpReport)
        return (followup_table(report),)


__all__ = ["REPORT_TABS", "ReportTab", "TableModel", "report_tab"]

# More tabs, registered where they are written (after the names above exist: they import them).
from ui.reports import claims_tabs, complaint_tabs, tip_tabs  # noqa: E402, F401
