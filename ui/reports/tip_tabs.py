"""The tip line's tab in the Reports view's registry (``core.reports.TipReport``, computed at HQ):
tips received by district and by category with their status now (open, assigned, actioned, closed)
and the relay's questions asked and answered, and the tips received per week or month, as a table
and a chart. Counts only: no pseudonym, no text. Its tables go to CSV, XLSX and PDF like every tab's.

Scope is the caller's (a district its own, HQ roles the state or a range): HQ decides it.

Registered by importing this module (``ui.reports.tabs`` does, at its end). Translation context
``Reports``.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from core.reports import TipCounts, TipReport
from core.tips import TipCategory
from ui.labels import tip_category_label
from ui.operations.reports import Report
from ui.reports.charts import BarChartData, BarSeries, ChartView, SpreadChartData
from ui.reports.tables import Cell, Column, Table, date_text, total_label
from ui.reports.tabs import ReportTab, TableModel, _short_date, _titled_table, report_tab

_Q = QCoreApplication
TIPS_REPORT = "tips"


def _columns(first: str) -> tuple[Column, ...]:
    return (
        Column(first, "text"),
        Column(_Q.translate("Reports", "Tips received")),
        Column(_Q.translate("Reports", "Open")),
        Column(_Q.translate("Reports", "Assigned")),
        Column(_Q.translate("Reports", "Actioned")),
        Column(_Q.translate("Reports", "Closed")),
        Column(_Q.translate("Reports", "Questions asked")),
        Column(_Q.translate("Reports", "Questions answered")),
    )


def _cells(name: str, c: TipCounts) -> tuple[Cell, ...]:
    return (name, c.received, c.open, c.assigned, c.actioned, c.closed, c.questions_asked, c.questions_answered)


def tip_tables(report: TipReport, names: Mapping[str, str] | None = None) -> tuple[Table, ...]:
    """By district and by category (each with the total row), and the tips per week or month."""
    names = names or {}
    total = _cells(total_label(report.header.query), report.total)
    not_routed = _Q.translate("Reports", "(not routed: the range's triage)")
    by_district = Table(
        _Q.translate("Reports", "Tips by district"),
        _columns(_Q.translate("Reports", "District")),
        (*(_cells(names.get(r.key, r.name) if r.key else not_routed, r.counts) for r in report.by_district), total),
        total_rows=1,
    )
    by_category = Table(
        _Q.translate("Reports", "Tips by category"),
        _columns(_Q.translate("Reports", "Category")),
        (*(_cells(tip_category_label(r.key), r.counts) for r in report.by_category), total),
        total_rows=1,
    )
    weekly = report.bucket == "week"
    cats = [str(c) for c in TipCategory]
    per_week = _Q.translate("Reports", "Tips received per week")
    per_month = _Q.translate("Reports", "Tips received per month")
    over_time = Table(
        per_week if weekly else per_month,
        (
            Column(_Q.translate("Reports", "Week from") if weekly else _Q.translate("Reports", "Month from"), "text"),
            Column(_Q.translate("Reports", "Tips received")),
            *(Column(tip_category_label(c)) for c in cats),
        ),
        tuple((date_text(b.start), b.received, *(b.by_category.get(c, 0) for c in cats)) for b in report.over_time),
    )
    return by_district, by_category, over_time


@report_tab
class TipsTab(ReportTab):
    kind = TIPS_REPORT

    def __init__(self, names: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(names, parent)
        self.models: list[TableModel] = []
        self.titles: list[QLabel] = []
        split = QSplitter(Qt.Orientation.Vertical)
        for i in range(3):
            box, title, model = _titled_table(f"{self.kind}-{i}")
            split.addWidget(box)
            self.titles.append(title)
            self.models.append(model)
        self.chart = ChartView(self._bars(None))
        split.addWidget(self.chart)
        QVBoxLayout(self).addWidget(split)

    def title(self) -> str:
        return self.tr("Tip line")

    def tables(self, report: Report) -> tuple[Table, ...]:
        assert isinstance(report, TipReport)
        return tip_tables(report, self.names)

    def _show(self, tables: tuple[Table, ...]) -> None:
        for title, model, table in zip(self.titles, self.models, tables, strict=True):
            title.setText(table.title)
            model.set_table(table)
        self.chart.set_data(self._bars(self.report))

    def clear(self) -> None:
        super().clear()
        self.chart.set_data(self._bars(None))

    def _bars(self, report: object) -> BarChartData:
        buckets = report.over_time if isinstance(report, TipReport) else ()
        weekly = isinstance(report, TipReport) and report.bucket == "week"
        fmt = "d MMM" if weekly else "MMM yy"
        return BarChartData(
            self.tr("Tips received per week") if weekly else self.tr("Tips received per month"),
            tuple(_short_date(b.start, fmt) for b in buckets),
            (BarSeries(self.tr("Tips received"), tuple(b.received for b in buckets), "#5b7fa6"),),
            self.tr("No tip in this period") if report is not None else self.tr("Loading…"),
        )

    def charts(self) -> tuple[BarChartData | SpreadChartData, ...]:
        return (self.chart.data,) if self.report is not None else ()


__all__ = ["TIPS_REPORT", "TipsTab", "tip_tables"]
