"""The complaints' compliance tab in the Reports view's registry (``core.reports.ComplianceReport``,
computed at HQ): the two-hour clock's compliance by district and by category, the first response's
p50 and p90, and the missed deadlines, each one click (double-click or Enter) from its case. A chart
shows the first-response compliance per district. Its tables go to CSV, XLSX and PDF like every tab's.

Registered by importing this module (``ui.reports.tabs`` does, at its end). Translation context
``Reports``.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from core.reports import UNCATEGORISED, ComplianceFigures, ComplianceReport, ComplianceRow
from ui.labels import complaint_category_label, deadline_label, platform_label
from ui.operations.reports import Report
from ui.reports.charts import BarChartData, BarSeries, ChartView, SpreadChartData
from ui.reports.tables import Cell, Column, Table, moment_text, total_label
from ui.reports.tabs import CaseListView, ReportTab, TableModel, _table_view, _titled_table, _with_notes, report_tab

_Q = QCoreApplication
COMPLIANCE_REPORT = "compliance"


def category_label(code: str) -> str:
    """A category's row name: ``ui.labels``'s, and the report's own bucket for complaints not yet triaged."""
    if code == UNCATEGORISED:
        return _Q.translate("Reports", "Not yet categorised")
    return complaint_category_label(code)


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60.0, 1)


def _columns(first: str) -> tuple[Column, ...]:
    return (
        Column(first, "text"),
        Column(_Q.translate("Reports", "Complaints received")),
        Column(_Q.translate("Reports", "First responses due")),
        Column(_Q.translate("Reports", "Met within the deadline")),
        Column(_Q.translate("Reports", "Missed")),
        Column(_Q.translate("Reports", "Compliance"), "percent"),
        Column(_Q.translate("Reports", "First response p50 (min)"), "minutes"),
        Column(_Q.translate("Reports", "First response p90 (min)"), "minutes"),
        Column(_Q.translate("Reports", "Next response met")),
        Column(_Q.translate("Reports", "Next response missed")),
        Column(_Q.translate("Reports", "Resolution met")),
        Column(_Q.translate("Reports", "Resolution missed")),
    )


def _cells(name: str, f: ComplianceFigures) -> tuple[Cell, ...]:
    c = f.first_response
    return (
        name, f.received, c.due, c.met, c.missed, c.compliance, _minutes(f.first_response_p50_s),
        _minutes(f.first_response_p90_s), f.next_response.met, f.next_response.missed, f.resolution.met,
        f.resolution.missed,
    )  # fmt: skip


def compliance_tables(report: ComplianceReport, names: Mapping[str, str] | None = None) -> tuple[Table, ...]:
    """By district (with the state's row), by category (the same total), and the missed deadlines."""
    names = names or {}
    total = _cells(total_label(report.header.query), report.total)
    by_district = Table(
        _Q.translate("Reports", "Two-hour compliance by district"),
        _columns(_Q.translate("Reports", "District")),
        (*(_cells(_district_name(r, names), r.figures) for r in report.by_district), total),
        total_rows=1,
    )
    by_category = Table(
        _Q.translate("Reports", "Two-hour compliance by category"),
        _columns(_Q.translate("Reports", "Category")),
        (*(_cells(category_label(r.key), r.figures) for r in report.by_category), total),
        total_rows=1,
    )
    notes: tuple[str, ...] = ()
    if report.breaches_total > len(report.breaches):
        notes = (
            _Q.translate("Reports", "The latest %1 of %2 missed deadlines are listed.")
            .replace("%1", str(len(report.breaches)))
            .replace("%2", str(report.breaches_total)),
        )
    breaches = Table(
        _Q.translate("Reports", "Missed deadlines"),
        (
            Column(_Q.translate("Reports", "Case"), "text"),
            Column(_Q.translate("Reports", "Platform"), "text"),
            Column(_Q.translate("Reports", "Category"), "text"),
            Column(_Q.translate("Reports", "District"), "text"),
            Column(_Q.translate("Reports", "Deadline"), "text"),
            Column(_Q.translate("Reports", "Due"), "text"),
            Column(_Q.translate("Reports", "Late by (min)"), "minutes"),
        ),
        tuple(
            (b.case_id, platform_label(b.platform), category_label(b.category),
             names.get(b.district, b.district or "–"), deadline_label(b.deadline), moment_text(b.due_at),
             _minutes(b.late_s))
            for b in report.breaches
        ),
        case_ids=tuple(b.case_id for b in report.breaches),
        notes=notes,
    )
    return by_district, by_category, breaches


def _district_name(row: ComplianceRow, names: Mapping[str, str]) -> str:
    if not row.key:
        return _Q.translate("Reports", "(not routed)")
    return names.get(row.key, row.name)


@report_tab
class ComplianceTab(ReportTab):
    kind = COMPLIANCE_REPORT

    def __init__(self, names: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(names, parent)
        self.models: list[TableModel] = []
        self.titles: list[QLabel] = []
        split = QSplitter(Qt.Orientation.Vertical)
        for i in range(2):
            box, title, model = _titled_table(f"{self.kind}-{i}")
            split.addWidget(box)
            self.titles.append(title)
            self.models.append(model)
        self.breaches_view, breaches_model = _table_view(self.tr("Missed deadlines"), CaseListView())
        self.breaches_view.activated_row.connect(self._open_row)  # type: ignore[attr-defined]
        self.models.append(breaches_model)
        lower = QWidget()
        lower_box = QVBoxLayout(lower)
        lower_box.setContentsMargins(0, 0, 0, 0)
        lower_box.addWidget(QLabel(self.tr("Missed deadlines (double-click or Enter opens the case)")))
        lower_box.addWidget(_with_notes(self.breaches_view, breaches_model))
        self.chart = ChartView(self._bars(None))
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.chart)
        bottom.addWidget(lower)
        split.addWidget(bottom)
        QVBoxLayout(self).addWidget(split)

    def title(self) -> str:
        return self.tr("Complaints: compliance")

    def tables(self, report: Report) -> tuple[Table, ...]:
        assert isinstance(report, ComplianceReport)
        return compliance_tables(report, self.names)

    def _show(self, tables: tuple[Table, ...]) -> None:
        for i, (model, table) in enumerate(zip(self.models, tables, strict=True)):
            model.set_table(table)
            if i < len(self.titles):
                self.titles[i].setText(table.title)
        self.chart.set_data(self._bars(self.report))

    def clear(self) -> None:
        super().clear()
        self.chart.set_data(self._bars(None))

    def _bars(self, report: object) -> BarChartData:
        rows = [r for r in report.by_district if r.figures.first_response.due] if isinstance(
            report, ComplianceReport) else []  # fmt: skip
        return BarChartData(
            self.tr("First responses within the deadline, per district (%)"),
            tuple(self.names.get(r.key, r.name) if r.key else self.tr("(not routed)") for r in rows),
            (
                BarSeries(
                    self.tr("Compliance %"),
                    tuple(round(100 * (r.figures.first_response.compliance or 0)) for r in rows),
                    "#2e8b57",
                ),
            ),
            self.tr("No first response was due in this period") if report is not None else self.tr("Loading…"),
        )

    def charts(self) -> tuple[BarChartData | SpreadChartData, ...]:
        return (self.chart.data,) if self.report is not None else ()

    def _open_row(self, row: int) -> None:
        ids = self.models[2].table.case_ids
        if 0 <= row < len(ids):
            self.case_requested.emit(ids[row])


__all__ = ["COMPLIANCE_REPORT", "ComplianceTab", "category_label", "compliance_tables"]
